import { tenants } from '../../schema';
import { defineResource } from './spec';

export default defineResource(tenants, {
  group: 'Organization',
  title: 'name',
  search: ['name'],
});
