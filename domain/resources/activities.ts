import { activities } from '../../schema';
import { defineResource } from './spec';

export default defineResource(activities, {
  group: 'Sales',
  title: 'subject',
  search: ['subject'],
  owners: ['user_id', 'supervisor_id'],
});
