// Retention cohorts as a table: a row per cohort (the week, or day or month, of the users' first event), its
// users, then the share of them active again in each later period (+0 is the cohort's own period), shaded by
// that share. A cohort's label opens the list of its users.
import { Box, Button, Text } from '@adminjs/design-system';
import React, { useState } from 'react';
import { api } from '../api';
import { formatCount, formatDay, formatRate } from './format';
import { userPage } from './links';
import type { Row } from './configs';

const cell: React.CSSProperties = { padding: '6px 8px', whiteSpace: 'nowrap', textAlign: 'right', borderBottom: '1px solid #eee', fontVariantNumeric: 'tabular-nums' };

export const CohortTable: React.FC<{ rows: Row[]; params: string; periodName: string }> = ({ rows, params, periodName }) => {
  const periods = rows[0] ? Object.keys(rows[0]).filter((k) => /^\+\d+$/.test(k)) : [];
  const [open, setOpen] = useState<{ cohort: string; users: Row[] | null; error?: string } | null>(null);
  const show = (cohort: string) => {
    setOpen({ cohort, users: null });
    api<{ rows: Row[] }>(`/api/analytics/retention?${params}&cohort=${cohort}`)
      .then((r) => setOpen({ cohort, users: r.rows }))
      .catch((e: Error) => setOpen({ cohort, users: [], error: e.message }));
  };
  return (
    <Box>
      <Box style={{ overflowX: 'auto' }}>
        <table data-testid="chart-cohorts" style={{ borderCollapse: 'collapse', width: '100%', fontSize: 13 }}>
          <thead>
            <tr>
              <th style={{ ...cell, textAlign: 'left' }}>{`Cohort (${periodName})`}</th>
              <th style={cell}>Users</th>
              {periods.map((p) => <th key={p} style={cell}>{p}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.cohort)}>
                <td style={{ ...cell, textAlign: 'left' }}>
                  <Button size="sm" variant="text" data-testid="cohort-open" onClick={() => show(String(r.cohort))} title="Show this cohort's users">
                    {formatDay(new Date(`${String(r.cohort)}T00:00:00Z`))}
                  </Button>
                </td>
                <td style={cell}>{formatCount(Number(r.users))}</td>
                {periods.map((p) => {
                  const v = r[p];
                  const rate = v === null || v === undefined ? null : Number(v);
                  const shade = rate === null ? undefined : { background: `rgba(0, 114, 178, ${0.08 + 0.82 * rate})`, color: rate > 0.5 ? 'white' : undefined };
                  return <td key={p} style={{ ...cell, ...shade }}>{rate === null ? '' : formatRate(rate)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
      {open && (
        <Box mt="default" data-testid="cohort-users">
          <Text variant="sm" mb="sm">
            {`Users of the cohort of ${formatDay(new Date(`${open.cohort}T00:00:00Z`))}`}
            {open.users ? ` (${formatCount(open.users.length)})` : ': loading…'}
            {open.error ? `: ${open.error}` : ''}
          </Text>
          <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
            {open.users?.map((u) =>
              u.user_id ? (
                <a key={String(u.user)} href={userPage(Number(u.user_id))}>{`user #${String(u.user_id)}`}</a>
              ) : (
                <span key={String(u.user)} title="A visitor id (not a CRM user)">{String(u.user)}</span>
              ),
            )}
          </Box>
        </Box>
      )}
    </Box>
  );
};
