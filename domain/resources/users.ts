import { users } from '../../schema';
import { defineResource } from './spec';

export default defineResource(users, {
  group: 'Access',
  // Full name; the username only where two users of the tenant share it.
  title: { fields: ['first_name', 'last_name'], disambiguate: 'username' },
  search: ['first_name', 'last_name', 'email', 'username'],
  owners: ['id'],
  order: ['first_name', 'last_name'],
});
