import { salesPipelines } from '../../schema';
import { defineResource } from './spec';

export default defineResource(salesPipelines, {
  group: 'Sales',
  title: 'title',
  search: ['title'],
});
