import { assistantMessages } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(assistantMessages, {
  longText: ['content'],
});
