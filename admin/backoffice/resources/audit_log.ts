import { auditLog } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(auditLog, {
  list: ['at', 'actor_id', 'resource', 'record_id', 'action'],
});
