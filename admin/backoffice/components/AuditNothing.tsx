// The audit entry's raw "after" row on its show page: left out, AuditChanges (in place of "before") says it in words.
const AuditNothing = () => null;
export default AuditNothing;
