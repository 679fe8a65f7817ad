// The headline figures: each one's value over the range, the previous period's value and the change in %.
import { Box, Text } from '@adminjs/design-system';
import React from 'react';
import { formatChange, formatRange, formatValue, type Unit } from './format';
import type { Row } from './configs';

/** What each figure counts, as the card says it. */
export const FIGURES: Record<string, { title: string; counts: string; lowerIsBetter?: boolean }> = {
  events: { title: 'Events', counts: 'events tracked' },
  users: { title: 'Active users', counts: 'distinct users and visitors with an event' },
  sessions: { title: 'Sessions', counts: 'distinct session ids' },
  bounce_rate: { title: 'Bounce rate', counts: 'sessions of a single event / sessions', lowerIsBetter: true },
  avg_session_seconds: { title: 'Avg. session', counts: 'last event − first event, per session' },
  leads_created: { title: 'Leads created', counts: 'leads created in the range' },
  leads_converted: { title: 'Leads converted', counts: 'of the leads created in the range, those converted' },
  lead_conversion_rate: { title: 'Lead conversion', counts: 'leads converted / leads created in the range' },
  deals_created: { title: 'Deals created', counts: 'deals created in the range' },
  deals_created_value: { title: 'New deal value', counts: 'total value of the deals created in the range' },
  deals_won: { title: 'Deals won', counts: 'deals won (probability 100 %) closing in the range' },
  deals_closed: { title: 'Deals closed', counts: 'deals won or lost closing in the range' },
  win_rate: { title: 'Win rate', counts: 'deals won / deals closed in the range' },
  won_value: { title: 'Won value', counts: 'total value of the deals won in the range' },
};

export const Headlines: React.FC<{ rows: Row[]; summary: Record<string, unknown>; testId: string }> = ({ rows, summary, testId }) => {
  const prev = summary.previous_from ? formatRange(new Date(String(summary.previous_from)), new Date(String(summary.previous_to))) : '';
  const currency = typeof summary.currency === 'string' ? summary.currency : undefined;
  return (
    <Box data-testid={testId} style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: 12 }}>
      {rows.map((r) => {
        const f = FIGURES[String(r.figure)] ?? { title: String(r.figure), counts: '' };
        const unit = String(r.unit) as Unit;
        const change = r.change_percent === null ? null : Number(r.change_percent);
        const good = change === null || change === 0 ? null : (change > 0) !== Boolean(f.lowerIsBetter);
        return (
          <Box key={String(r.figure)} data-testid={`figure-${String(r.figure)}`} title={f.counts} style={{ border: '1px solid #e5e5ef', borderRadius: 6, padding: '10px 12px' }}>
            <Text variant="sm" style={{ color: '#5c5f72' }}>{f.title}</Text>
            <Text data-testid="figure-value" style={{ fontSize: 22, fontWeight: 600, whiteSpace: 'nowrap' }}>{formatValue(r.value as number | null, unit, currency)}</Text>
            <Text variant="sm" data-testid="figure-change" style={{ color: good === null ? '#5c5f72' : good ? '#007a4d' : '#b3261e', whiteSpace: 'nowrap' }}>
              {change !== null ? `${change > 0 ? '▲' : change < 0 ? '▼' : '='} ${formatChange(change)}` : r.previous === 0 ? (r.value === 0 ? '= none in either' : 'up from 0') : 'nothing to compare with'}
            </Text>
            <Text variant="sm" data-testid="figure-previous" style={{ color: '#5c5f72' }}>
              {`previous: ${formatValue(r.previous as number | null, unit, currency)}`}
            </Text>
          </Box>
        );
      })}
      {prev && <Text variant="sm" style={{ gridColumn: '1 / -1', color: '#5c5f72' }}>Compared with the previous period of the same length: {prev}.</Text>}
    </Box>
  );
};
