import { assistantConversations } from '../../schema';
import { defineResource } from './spec';

export default defineResource(assistantConversations, {
  group: 'AI Assistants',
  title: 'visitor_id',
  search: ['visitor_email'],
});
