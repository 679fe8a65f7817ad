import { contacts } from '../../schema';
import { defineResource } from './spec';

export default defineResource(contacts, {
  group: 'Customers',
  title: 'email',
  search: ['first_name', 'last_name', 'email'],
  owners: ['assigned_to_id', 'supervisor_id'],
});
