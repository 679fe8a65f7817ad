import { activityTypes } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(activityTypes, {
  longText: ['description'],
});
