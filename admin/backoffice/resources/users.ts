import { users } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(users, {
  list: ['username', 'first_name', 'last_name', 'email', 'role_id', 'workspace_id', 'manager_id'],
  related: ['deals', 'contacts', 'leads', 'activities'],
});
