import { salesStages } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(salesStages, {
  list: ['title', 'sale_pipeline_id', 'order'],
  longText: ['description'],
  labels: { sale_pipeline_id: 'Pipeline' },
});
