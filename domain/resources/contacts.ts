import { contacts } from '../../schema';
import { defineResource } from './spec';

export default defineResource(contacts, {
  group: 'Customers',
  // People read "First Last"; two contacts of the same name are told apart by their email.
  title: { fields: ['first_name', 'last_name'], disambiguate: 'email' },
  search: ['first_name', 'last_name', 'email'],
  owners: ['assigned_to_id', 'supervisor_id'],
});
