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

/**
 * The period of the same length just before `range` (what every headline figure is compared with); it starts
 * no earlier than 1970-01-02, the earliest time a parameter may name (ClickHouse's DateTime).
 */
export const previousRange = (range: TimeRange): TimeRange => ({
  from: new Date(Math.max(Date.UTC(1970, 0, 2), range.from.getTime() - (range.to.getTime() - range.from.getTime()))),
  to: range.from,
});

/** Relative change from `previous` to `value` in %, one decimal; null when there is nothing to compare with. */
export const changePercent = (value: number | null, previous: number | null) =>
  value === null || previous === null || previous === 0 ? null : Math.round(((value - previous) / previous) * 1000) / 10;

export type FigureUnit = 'count' | 'money' | 'rate' | 'seconds';

/** How a figure is read from the counts of one period. */
export type FigureSpec<C> = [figure: string, unit: FigureUnit, pick: (counts: C) => number | null];

/** Figures as result rows: value, previous value and change in % (change of a rate: relative too). */
export const figureRows = <C>(specs: FigureSpec<C>[], current: C, previous: C): ResultRow[] =>
  specs.map(([figure, unit, pick]) => {
    const value = pick(current);
    const before = pick(previous);
    return { figure, unit, value, previous: before, change_percent: changePercent(value, before) };
  });

/** The range and the period it is compared with, as the summary of a headline query. */
export const comparedRanges = (range: TimeRange) => {
  const prev = previousRange(range);
  return { from: range.from.toISOString(), to: range.to.toISOString(), previous_from: prev.from.toISOString(), previous_to: prev.to.toISOString() };
};
