import { projects } from '../../schema';
import { defineResource } from './spec';

export default defineResource(projects, {
  group: 'Organization',
  title: 'name',
  search: ['name'],
});
