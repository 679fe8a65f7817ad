// Show page: the record's history from the audit log, in words: when (the app's date format), who (by name, a
// link to the user), and what changed, field by field with the form's labels, references by their titles
// ("Assigned to: Anna Novak → Tom Fischer") and JSON values as the keys that changed rather than raw JSON.
import { Badge, Box, H5, Link, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import React, { useEffect, useState } from 'react';
import { auditDate, changeText, labelFor } from './history-words';

interface Entry {
  at: string;
  action: 'create' | 'update' | 'delete';
  actor: { id: number | null; username: string | null; name: string | null };
  changes: Record<string, [unknown, unknown]>;
  titles?: Record<string, [string | null, string | null]>;
}

const ACTION_WORDS = { create: 'created', update: 'changed', delete: 'deleted' } as const;

const RecordHistory: React.FC<{ record?: { id: string | number }; resource: { id: string } }> = ({ record, resource }) => {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { translateProperty } = useTranslation();
  useEffect(() => {
    if (!record) return;
    fetch(`/api/${resource.id}/${record.id}/history`, { credentials: 'same-origin' })
      .then(async (res) => (res.ok ? setEntries(await res.json()) : setError((await res.json()).error ?? res.statusText)))
      .catch((err: Error) => setError(err.message));
  }, [record?.id, resource.id]);
  const label = (field: string) => labelFor(field, translateProperty(field, resource.id));
  return (
    <Box mt="xl" data-testid="record-history">
      <H5>History</H5>
      {error && <Text color="error">{error}</Text>}
      {!entries && !error && <Text>Loading…</Text>}
      {entries && entries.length === 0 && <Text>No changes recorded yet (records loaded by the system have no history).</Text>}
      {entries && entries.length > 0 && (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>What</TableCell>
              <TableCell>Changes</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map((e, i) => (
              <TableRow key={i}>
                <TableCell style={{ whiteSpace: 'nowrap' }}>{auditDate(e.at)}</TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {e.actor.id === null ? 'the system' : <Link href={`/admin/resources/users/records/${e.actor.id}/show`}>{e.actor.name ?? e.actor.username ?? `user #${e.actor.id}`}</Link>}
                </TableCell>
                <TableCell>
                  <Badge variant={e.action === 'delete' ? 'danger' : e.action === 'create' ? 'success' : 'info'}>{ACTION_WORDS[e.action]}</Badge>
                </TableCell>
                <TableCell data-testid="history-changes">
                  {Object.entries(e.changes).map(([field, values]) => (
                    <div key={field}>
                      <b>{label(field)}</b>: {changeText(e.action, values, e.titles?.[field])}
                    </div>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default RecordHistory;
