import { assistantProspects } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(assistantProspects, {
  longText: ['notes'],
});
