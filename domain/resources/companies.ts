import { companies } from '../../schema';
import { defineResource } from './spec';

export default defineResource(companies, {
  group: 'Customers',
  title: 'name',
  search: ['name', 'email'],
});
