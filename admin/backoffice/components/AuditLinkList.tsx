// The audit log list's actor and record cells: links, without the label (see AuditLink).
export { AuditLinkList as default } from './AuditLink';
