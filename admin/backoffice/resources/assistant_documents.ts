import { assistantDocuments } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(assistantDocuments, {
  longText: ['description', 'content'],
});
