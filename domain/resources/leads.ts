import { leads } from '../../schema';
import { defineResource } from './spec';

export default defineResource(leads, {
  group: 'Customers',
  title: { fields: ['first_name', 'last_name'], disambiguate: 'email' },
  search: ['first_name', 'last_name', 'email', 'company'],
  owners: ['assigned_to_id', 'assigned_by_id'],
});
