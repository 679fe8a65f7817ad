import { companies } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(companies, {
  list: ['name', 'industry', 'email', 'phone', 'website', 'workspace_id'],
  longText: ['address'],
  related: ['contacts', 'deals'],
});
