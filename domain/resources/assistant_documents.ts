import { assistantDocuments } from '../../schema';
import { defineResource } from './spec';

export default defineResource(assistantDocuments, {
  group: 'AI Assistants',
  title: 'name',
  search: ['name'],
});
