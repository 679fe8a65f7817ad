// Show page: the record's history from the audit log (who changed what, when), newest first.
import { Badge, Box, H5, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';

interface Entry {
  at: string;
  action: 'create' | 'update' | 'delete';
  actor: { id: number | null; username: string | null };
  changes: Record<string, [unknown, unknown]>;
}

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

const RecordHistory: React.FC<{ record?: { id: string | number }; resource: { id: string } }> = ({ record, resource }) => {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!record) return;
    fetch(`/api/${resource.id}/${record.id}/history`, { credentials: 'same-origin' })
      .then(async (res) => (res.ok ? setEntries(await res.json()) : setError((await res.json()).error ?? res.statusText)))
      .catch((err: Error) => setError(err.message));
  }, [record?.id, resource.id]);
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
                <TableCell style={{ whiteSpace: 'nowrap' }}>{new Date(e.at).toLocaleString()}</TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>{e.actor.username ?? `user #${e.actor.id}`}</TableCell>
                <TableCell>
                  <Badge variant={e.action === 'delete' ? 'danger' : e.action === 'create' ? 'success' : 'info'}>{e.action}</Badge>
                </TableCell>
                <TableCell>
                  {Object.entries(e.changes).map(([field, [before, after]]) => (
                    <div key={field}>
                      <b>{field}</b>: {e.action === 'create' ? show(after) : e.action === 'delete' ? show(before) : `${show(before)} → ${show(after)}`}
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
