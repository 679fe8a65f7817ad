import { deals } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(deals, {
  list: ['title', 'value', 'stage_id', 'probability', 'expected_close_date', 'assigned_to_id', 'created_at'],
  longText: ['description'],
  related: ['activities'],
});
