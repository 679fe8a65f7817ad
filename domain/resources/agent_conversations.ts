import { agentConversations } from '../../schema';
import { defineResource } from './spec';

export default defineResource(agentConversations, {
  group: 'AI Assistants',
  title: 'title',
  search: ['title'],
  owners: ['user_id'],
});
