// What the event queries share: the scoped WHERE clause, time buckets, running a query, and the result shape.
import type { ClickHouseClient } from '../clickhouse';
import { bucketStart, type Interval, type TimeRange } from '../params';
import type { AnalyticsScope } from '../scope';
import { dateTime, uint } from '../sql';

export type ResultRow = Record<string, string | number | null>;

/** Every query answers rows (the CSV variant is exactly these) plus, for some, a summary. */
export interface QueryResult {
  rows: ResultRow[];
  summary?: Record<string, number | string | null>;
  /** Where the figures came from ('rollup': events_hourly, 'raw': events). */
  source?: 'raw' | 'rollup';
}

export interface EventFilter {
  range: TimeRange;
  /** undefined: every workspace in scope; null: tenant-wide events only; a number: that workspace. */
  workspace?: number | null;
}

/** Tenant, CASL scope, workspace and time range over `events` (time column `ts`) or `events_hourly` (`hour`). */
export function where(scope: AnalyticsScope, f: EventFilter, timeColumn: 'ts' | 'hour' = 'ts'): string {
  const parts = [`tenant_id = ${uint(scope.tenantId)}`, `(${scope.condition})`];
  if (f.workspace !== undefined) parts.push(`workspace_id = ${uint(f.workspace ?? 0)}`);
  parts.push(`${timeColumn} >= ${dateTime(f.range.from)}`, `${timeColumn} < ${dateTime(f.range.to)}`);
  return parts.join(' AND ');
}

/** The bucket of a DateTime('UTC') column as unix seconds (weeks start on Monday). */
export function bucketSql(column: string, interval: Interval): string {
  switch (interval) {
    case 'hour':
      return `toUnixTimestamp(toStartOfHour(${column}))`;
    case 'day':
      return `toUnixTimestamp(toStartOfDay(${column}))`;
    case 'week':
      return `toUInt32(toMonday(${column})) * 86400`;
    case 'month':
      return `toUInt32(toStartOfMonth(${column})) * 86400`;
  }
}

/** The rollup answers exactly when the range starts and ends on whole hours. */
export const hourAligned = (r: TimeRange) => r.from.getTime() % 3_600_000 === 0 && r.to.getTime() % 3_600_000 === 0;

export async function rows<T = Record<string, unknown>>(client: ClickHouseClient, query: string): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** UInt64 counts arrive as strings (JSON), floats may be NaN for empty sets: numbers, or null. */
export const n = (v: unknown): number | null => {
  const x = typeof v === 'string' ? Number(v) : (v as number);
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
};

export const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Rounded to 4 decimals (rates), null when the denominator is 0. */
export const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** Bucket start (unix seconds) of a Date, as bucketSql computes it in ClickHouse. */
export const bucketSeconds = (d: Date, interval: Interval) => bucketStart(d, interval).getTime() / 1000;
