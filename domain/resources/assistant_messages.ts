import { assistantMessages } from '../../schema';
import { defineResource } from './spec';

export default defineResource(assistantMessages, {
  group: 'AI Assistants',
  title: 'content',
  search: [],
});
