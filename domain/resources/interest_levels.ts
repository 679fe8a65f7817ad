import { interestLevels } from '../../schema';
import { defineResource } from './spec';

export default defineResource(interestLevels, {
  group: 'Sales',
  title: 'level',
  search: ['level'],
});
