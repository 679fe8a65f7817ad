import { assistantConversations } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(assistantConversations, {});
