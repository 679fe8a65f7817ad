import { workspaces } from '../../schema';
import { defineResource } from './spec';

export default defineResource(workspaces, {
  group: 'Organization',
  title: 'name',
  search: ['name'],
});
