import { salesStages } from '../../schema';
import { defineResource } from './spec';

export default defineResource(salesStages, {
  group: 'Sales',
  // "Pipeline · Stage": two pipelines may both have a "Qualified".
  title: { fields: ['title'], parent: 'sale_pipeline_id' },
  search: ['title'],
  order: ['sale_pipeline_id', 'order'],
});
