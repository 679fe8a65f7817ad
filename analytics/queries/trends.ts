// Trends: events and unique users per hour, day, week or month, one series per event name, optionally broken
// down by one event property (its top values; the rest together as "$other"). Every bucket of the range is
// present (zeros included). Without a breakdown and with a range on whole hours, the hourly rollup answers.
import type { ClickHouseClient } from '../clickhouse';
import { buckets, type Interval } from '../params';
import type { AnalyticsScope } from '../scope';
import { isIn, str, uint } from '../sql';
import { bucketSql, hourAligned, iso, n, rows, where, type EventFilter, type QueryResult, type ResultRow } from './common';

export interface TrendsParams extends EventFilter {
  interval: Interval;
  /** Event names to chart; default: the `limit` most frequent in the range. */
  events?: string[];
  /** An event property to break the series down by (its top-level key). */
  breakdown?: string;
  /** Series (events) when `events` is not given, and breakdown values kept. */
  limit: number;
}

export const OTHER = '$other';

/** The value of a top-level property ('' when the event has none). */
export const propertySql = (key: string) => `prop_values[indexOf(prop_keys, ${str(key)})]`;

export async function trends(client: ClickHouseClient, scope: AnalyticsScope, p: TrendsParams): Promise<QueryResult> {
  const slots = buckets(p.range, p.interval);
  const rollup = !p.breakdown && hourAligned(p.range);
  const table = rollup ? 'events_hourly' : 'events';
  const w = where(scope, p, rollup ? 'hour' : 'ts');
  const count = rollup ? 'countMerge(events)' : 'count()';
  const users = rollup ? 'uniqIfMerge(users)' : `uniqIf(distinct_id, distinct_id != '')`;

  const events =
    p.events ??
    (await rows<{ event: string }>(client, `SELECT event FROM ${table} WHERE ${w} GROUP BY event ORDER BY ${count} DESC, event LIMIT ${uint(p.limit)}`)).map(
      (r) => r.event,
    );
  if (!events.length) return { rows: [], source: rollup ? 'rollup' : 'raw' };
  const eventIn = isIn('event', events.map(str));

  let breakdownExpr = `''`;
  let values: string[] = [];
  if (p.breakdown) {
    const prop = propertySql(p.breakdown);
    values = (
      await rows<{ v: string }>(client, `SELECT ${prop} AS v FROM events WHERE ${w} AND ${eventIn} GROUP BY v ORDER BY count() DESC, v LIMIT ${uint(p.limit)}`)
    ).map((r) => r.v);
    breakdownExpr = `if(${isIn(prop, values.map(str))}, ${prop}, ${str(OTHER)})`;
  }

  const bucket = bucketSql(rollup ? 'hour' : 'ts', p.interval);
  const found = await rows<{ b: number; event: string; v: string; c: string; u: string }>(
    client,
    `SELECT ${bucket} AS b, event, ${breakdownExpr} AS v, ${count} AS c, ${users} AS u
     FROM ${table} WHERE ${w} AND ${eventIn} GROUP BY b, event, v`,
  );

  const key = (b: number, e: string, v: string) => `${b}\u0000${e}\u0000${v}`;
  const byKey = new Map(found.map((r) => [key(Number(r.b), r.event, r.v), r]));
  const series: [string, string][] = [];
  for (const e of events) {
    if (!p.breakdown) series.push([e, '']);
    else {
      const present = new Set(found.filter((r) => r.event === e).map((r) => r.v));
      for (const v of [...values, OTHER]) if (present.has(v)) series.push([e, v]);
    }
  }
  const out: ResultRow[] = [];
  for (const [e, v] of series) {
    for (const slot of slots) {
      const b = slot.getTime() / 1000;
      const r = byKey.get(key(b, e, v));
      const row: ResultRow = { bucket: iso(b), event: e };
      if (p.breakdown) row.breakdown_value = v;
      row.count = r ? n(r.c) : 0;
      row.users = r ? n(r.u) : 0;
      out.push(row);
    }
  }
  return { rows: out, source: rollup ? 'rollup' : 'raw' };
}
