import { agentMessages } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(agentMessages, {
  longText: ['content'],
});
