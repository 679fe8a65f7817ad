import { ingestKeys } from '../../schema';
import { defineResource } from './spec';

export default defineResource(ingestKeys, {
  group: 'Analytics',
  title: 'name',
  search: ['name'],
});
