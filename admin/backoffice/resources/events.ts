import { events } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(events, {
  list: ['event_name', 'user_id', 'source', 'url', 'timestamp'],
  longText: ['user_agent'],
  labels: { url: 'URL', ip_address: 'IP address' },
});
