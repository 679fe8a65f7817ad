import { interestLevels } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(interestLevels, {
  longText: ['description'],
});
