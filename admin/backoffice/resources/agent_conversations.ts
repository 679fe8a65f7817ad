import { agentConversations } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(agentConversations, {});
