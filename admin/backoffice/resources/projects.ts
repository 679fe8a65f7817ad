import { projects } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(projects, {
  longText: ['description'],
});
