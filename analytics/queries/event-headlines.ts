// The event stream's headline figures over the range, each beside the same figure over the previous period of
// the same length (as Umami compares). What each counts, within the actor's event scope:
//   events        events in the range
//   users         distinct users (CRM users and visitor ids; events without one are not counted)
//   sessions      distinct session ids of the range's events
//   bounce_rate   sessions of one event / sessions
//   avg_session_seconds   average of (last event - first event) per session
// Exact counts (uniqExact), so that they agree with the rows they summarize.
import type { ClickHouseClient } from '../clickhouse';
import type { TimeRange } from '../params';
import type { AnalyticsScope } from '../scope';
import { comparedRanges, figureRows, n, previousRange, ratio, rows, where, type EventFilter, type FigureSpec, type QueryResult } from './common';

interface Counts {
  events: number;
  users: number;
  sessions: number;
  bounces: number;
  avg_seconds: number | null;
}

async function counts(client: ClickHouseClient, scope: AnalyticsScope, f: EventFilter): Promise<Counts> {
  const [totals] = await rows<Record<string, string | number>>(
    client,
    `SELECT count() AS events, uniqExactIf(distinct_id, distinct_id != '') AS users FROM events WHERE ${where(scope, f)}`,
  );
  const [s] = await rows<Record<string, string | number>>(
    client,
    `SELECT count() AS sessions, countIf(c = 1) AS bounces, avg(length) AS avg_seconds FROM (
       SELECT session_id, count() AS c, toUInt32(max(ts) - min(ts)) AS length
       FROM events WHERE ${where(scope, f)} AND session_id != '' GROUP BY session_id
     )`,
  );
  const sessions = n(s?.sessions) ?? 0;
  return {
    events: n(totals?.events) ?? 0,
    users: n(totals?.users) ?? 0,
    sessions,
    bounces: n(s?.bounces) ?? 0,
    avg_seconds: sessions ? Math.round(n(s!.avg_seconds)! * 100) / 100 : null,
  };
}

const FIGURES: FigureSpec<Counts>[] = [
  ['events', 'count', (c) => c.events],
  ['users', 'count', (c) => c.users],
  ['sessions', 'count', (c) => c.sessions],
  ['bounce_rate', 'rate', (c) => ratio(c.bounces, c.sessions)],
  ['avg_session_seconds', 'seconds', (c) => c.avg_seconds],
];

export async function eventHeadlines(client: ClickHouseClient, scope: AnalyticsScope, f: EventFilter & { range: TimeRange }): Promise<QueryResult> {
  const current = await counts(client, scope, f);
  const previous = await counts(client, scope, { ...f, range: previousRange(f.range) });
  return { rows: figureRows(FIGURES, current, previous), summary: comparedRanges(f.range), source: 'raw' };
}
