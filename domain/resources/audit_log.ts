import { auditLog } from '../../schema';
import { defineResource } from './spec';

export default defineResource(auditLog, {
  group: 'Access',
  title: 'resource',
  search: [],
});
