import { deals } from '../../schema';
import { defineResource } from './spec';

export default defineResource(deals, {
  group: 'Sales',
  title: 'title',
  search: ['title'],
  owners: ['assigned_to_id', 'supervisor_id'],
});
