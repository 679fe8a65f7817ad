// An audit entry's show page: what changed, field by field in words (labels, "before → after", JSON as the keys
// that changed, references by their titles as the reader may read them, "Restricted" otherwise), instead of
// the raw JSON of the row before and after.
import { Box } from '@adminjs/design-system';
import { PropertyLabel, type ShowPropertyProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import { changeText, labelFor } from './history-words';

const parse = (raw: unknown): Record<string, unknown> | null => {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw === 'object') return raw as Record<string, unknown>;
  try {
    return JSON.parse(String(raw));
  } catch {
    return null;
  }
};

const AuditChanges: React.FC<ShowPropertyProps> = ({ property, record }) => {
  const action = record.params.action as 'create' | 'update' | 'delete';
  const before = parse(record.params.before) ?? {};
  const after = parse(record.params.after) ?? {};
  const [titles, setTitles] = useState<Record<string, [string | null, string | null]>>({});
  useEffect(() => {
    fetch(`/api/audit_log/${record.id}/titles`, { credentials: 'same-origin' })
      .then((res) => (res.ok ? res.json() : {}))
      .then(setTitles, () => setTitles({}));
  }, [record.id]);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (f) => f !== 'updated_at' && (action !== 'update' || JSON.stringify(before[f]) !== JSON.stringify(after[f])),
  );
  return (
    <Box mb="xl" data-testid="audit-changes">
      <PropertyLabel property={{ ...property, label: 'Changes', isRequired: false }} />
      {fields.length === 0 && <span>—</span>}
      {fields.map((f) => (
        <div key={f}>
          <b>{labelFor(f)}</b>: {changeText(action, [before[f] ?? null, after[f] ?? null], titles[f])}
        </div>
      ))}
    </Box>
  );
};

export default AuditChanges;
