import { users } from '../../schema';
import { defineResource } from './spec';

export default defineResource(users, {
  group: 'Access',
  title: 'username',
  search: ['first_name', 'last_name', 'email', 'username'],
  owners: ['id'],
});
