import { auditLog } from '../../../schema';
import { Components } from '../components';
import { defineScreen } from './spec';

export default defineScreen(auditLog, {
  list: ['at', 'actor_id', 'resource', 'record_id', 'action'],
  // Actor and record as links to their pages; the change as words, not the rows' raw JSON.
  widgets: {
    actor_id: { list: Components.AuditLinkList, show: Components.AuditLink },
    record_id: { list: Components.AuditLinkList, show: Components.AuditLink },
    before: { show: Components.AuditChanges },
    after: { show: Components.AuditNothing },
  },
});
