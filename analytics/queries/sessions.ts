// Sessions: the events sharing a session id, within the range. A session's length is its last event's time
// minus its first's (seconds); a bounce is a session of one event. Summary over the range, and a series by
// the bucket of each session's first event. Median: quantileExact(0.5), the upper middle value.
import type { ClickHouseClient } from '../clickhouse';
import { buckets, type Interval } from '../params';
import type { AnalyticsScope } from '../scope';
import { bucketSql, iso, n, ratio, rows, where, type EventFilter, type QueryResult } from './common';

export interface SessionsParams extends EventFilter {
  interval: Interval;
}

export async function sessions(client: ClickHouseClient, scope: AnalyticsScope, p: SessionsParams): Promise<QueryResult> {
  const slots = buckets(p.range, p.interval);
  const perSession = `SELECT session_id, min(ts) AS start, toUInt32(max(ts) - min(ts)) AS length, count() AS events
    FROM events WHERE ${where(scope, p)} AND session_id != '' GROUP BY session_id`;
  const [summary] = await rows<Record<string, string | number>>(
    client,
    `SELECT count() AS sessions, avg(length) AS avg_seconds, quantileExact(0.5)(length) AS median_seconds,
            avg(events) AS avg_events, countIf(events = 1) AS bounces
     FROM (${perSession})`,
  );
  const series = await rows<{ b: number; s: string; a: number }>(
    client,
    `SELECT ${bucketSql('start', p.interval)} AS b, count() AS s, avg(length) AS a FROM (${perSession}) GROUP BY b`,
  );
  const byBucket = new Map(series.map((r) => [Number(r.b), r]));
  const total = n(summary?.sessions) ?? 0;
  const round = (v: unknown) => (n(v) === null ? null : Math.round(n(v)! * 100) / 100);
  return {
    rows: slots.map((slot) => {
      const r = byBucket.get(slot.getTime() / 1000);
      return { bucket: iso(slot.getTime() / 1000), sessions: r ? n(r.s) : 0, avg_seconds: r ? round(r.a) : null };
    }),
    summary: {
      sessions: total,
      avg_seconds: total ? round(summary!.avg_seconds) : null,
      median_seconds: total ? n(summary!.median_seconds) : null,
      avg_events: total ? round(summary!.avg_events) : null,
      bounce_rate: ratio(n(summary?.bounces) ?? 0, total),
    },
    source: 'raw',
  };
}
