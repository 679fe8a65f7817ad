import { salesStages } from '../../schema';
import { defineResource } from './spec';

export default defineResource(salesStages, {
  group: 'Sales',
  title: 'title',
  search: ['title'],
});
