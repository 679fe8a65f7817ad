import { assistants } from '../../schema';
import { defineResource } from './spec';

export default defineResource(assistants, {
  group: 'AI Assistants',
  title: 'name',
  search: ['name'],
});
