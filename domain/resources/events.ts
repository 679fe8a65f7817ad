import { events } from '../../schema';
import { defineResource } from './spec';

export default defineResource(events, {
  group: 'Analytics',
  title: 'event_name',
  search: ['event_name'],
  owners: ['user_id'],
});
