import { contacts } from '../../../schema';
import { Components } from '../components';
import { defineScreen } from './spec';

export default defineScreen(contacts, {
  list: ['first_name', 'last_name', 'email', 'status', 'company_id', 'assigned_to_id', 'created_at'],
  widgets: { email: { edit: Components.DuplicateEmail } },
  related: ['deals', 'activities'],
});
