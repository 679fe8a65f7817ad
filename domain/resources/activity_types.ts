import { activityTypes } from '../../schema';
import { defineResource } from './spec';

export default defineResource(activityTypes, {
  group: 'Sales',
  title: 'type_name',
  search: ['type_name'],
});
