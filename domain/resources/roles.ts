import { roles } from '../../schema';
import { defineResource } from './spec';

export default defineResource(roles, {
  group: 'Access',
  title: 'name',
  search: ['name'],
});
