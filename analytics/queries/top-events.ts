// Top events: the most frequent event names in the range, with their unique users. The hourly rollup answers
// when the range starts and ends on whole hours.
import type { ClickHouseClient } from '../clickhouse';
import type { AnalyticsScope } from '../scope';
import { uint } from '../sql';
import { hourAligned, n, rows, where, type EventFilter, type QueryResult } from './common';

export interface TopEventsParams extends EventFilter {
  limit: number;
}

export async function topEvents(client: ClickHouseClient, scope: AnalyticsScope, p: TopEventsParams): Promise<QueryResult> {
  const rollup = hourAligned(p.range);
  const query = rollup
    ? `SELECT event, countMerge(events) AS c, uniqIfMerge(users) AS u FROM events_hourly WHERE ${where(scope, p, 'hour')}
       GROUP BY event ORDER BY c DESC, event LIMIT ${uint(p.limit)}`
    : `SELECT event, count() AS c, uniqIf(distinct_id, distinct_id != '') AS u FROM events WHERE ${where(scope, p)}
       GROUP BY event ORDER BY c DESC, event LIMIT ${uint(p.limit)}`;
  const found = await rows<{ event: string; c: string; u: string }>(client, query);
  return { rows: found.map((r) => ({ event: r.event, count: n(r.c), users: n(r.u) })), source: rollup ? 'rollup' : 'raw' };
}
