import { agentMessages } from '../../schema';
import { defineResource } from './spec';

export default defineResource(agentMessages, {
  group: 'AI Assistants',
  title: 'content',
  search: [],
  owners: ['user_id'],
});
