import { salesPipelines } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(salesPipelines, {
  longText: ['description'],
  related: ['sales_stages'],
});
