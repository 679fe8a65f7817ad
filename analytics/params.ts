// Query-string parameters of the analytics API, validated with messages that name the parameter.
import { invalid } from '../domain/errors';

export type Interval = 'hour' | 'day' | 'week' | 'month';
export const INTERVALS: readonly Interval[] = ['hour', 'day', 'week', 'month'];

/** Most buckets a time series may have (hour over a year would be 8760). */
export const MAX_BUCKETS = 1000;

export interface TimeRange {
  from: Date;
  to: Date;
}

type Query = Record<string, unknown>;

const DAY = 86_400_000;
/** The times a parameter may name: ClickHouse's DateTime (unix seconds, UInt32) holds them in any time zone. */
const EARLIEST = Date.UTC(1970, 0, 2);
const LATEST = Date.UTC(2105, 0, 1);

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw invalid(`${name}: give it once, as text`, { [name]: 'must be given once' });
  return v;
}

/** A date (2026-01-31, midnight UTC) or an ISO date-time with a zone. */
export function parseTime(q: Query, name: string): Date | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v);
  // V8 rolls an impossible day over (2025-02-30 is read as March 2): a day the month does not have is refused,
  // rather than answering silently for another range.
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const real = day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
  const t = ok && real ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v) : new Date(NaN);
  if (Number.isNaN(t.getTime()) || t.getTime() < EARLIEST || t.getTime() > LATEST) {
    throw invalid(`${name}: must be a date (2026-01-31) or an ISO date-time with a time zone (2026-01-31T12:00:00Z)`, { [name]: 'invalid date' });
  }
  return t;
}

/** [from, to): defaults to the `defaultDays` days before now; at most `maxDays` long. */
export function parseRange(q: Query, defaultDays = 30, maxDays = 800): TimeRange {
  const to = parseTime(q, 'to') ?? new Date();
  // The default start is clamped to the earliest time: `to=1970-01-03` alone would otherwise start before
  // 1970, which ClickHouse's DateTime cannot hold (a 500 rather than a chart).
  const from = parseTime(q, 'from') ?? new Date(Math.max(to.getTime() - defaultDays * DAY, EARLIEST));
  if (from.getTime() >= to.getTime()) throw invalid('from: must be before to', { from: 'must be before to' });
  if (to.getTime() - from.getTime() > maxDays * DAY) throw invalid(`from/to: at most ${maxDays} days apart`, { from: `at most ${maxDays} days before to` });
  return { from, to };
}

export function parseEnum<T extends string>(q: Query, name: string, values: readonly T[], fallback: T): T {
  const v = one(q, name);
  if (v === undefined) return fallback;
  if (!(values as readonly string[]).includes(v)) throw invalid(`${name}: must be one of ${values.join(', ')}`, { [name]: `one of ${values.join(', ')}` });
  return v as T;
}

export function parseInt(q: Query, name: string, min: number, max: number, fallback: number): number {
  const v = one(q, name);
  if (v === undefined) return fallback;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalid(`${name}: must be a whole number from ${min} to ${max}`, { [name]: `${min} to ${max}` });
  return n;
}

/** A short free text (an event name, a property name). */
export function parseText(q: Query, name: string, max = 200): string | undefined {
  const v = one(q, name);
  if (v !== undefined && v.length > max) throw invalid(`${name}: at most ${max} characters`, { [name]: `at most ${max} characters` });
  return v;
}

/** A comma-separated list of event names. */
export function parseList(q: Query, name: string, maxItems: number): string[] | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length || items.length > maxItems || items.some((s) => s.length > 200)) {
    throw invalid(`${name}: 1 to ${maxItems} comma-separated names of at most 200 characters`, { [name]: `1 to ${maxItems} names` });
  }
  return items;
}

/** `workspace=<id>` (that workspace) or `workspace=none` (tenant-wide rows only); absent: no filter. */
export function parseWorkspace(q: Query): number | null | undefined {
  const v = one(q, 'workspace');
  if (v === undefined) return undefined;
  if (v === 'none') return null;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw invalid('workspace: a workspace id, or "none" for tenant-wide rows', { workspace: 'invalid' });
  return n;
}

/** Start of the bucket holding `t` (UTC; weeks start on Monday). */
export function bucketStart(t: Date, interval: Interval): Date {
  const d = new Date(t.getTime());
  switch (interval) {
    case 'hour':
      d.setUTCMinutes(0, 0, 0);
      return d;
    case 'day':
      d.setUTCHours(0, 0, 0, 0);
      return d;
    case 'week': {
      d.setUTCHours(0, 0, 0, 0);
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return d;
    }
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  }
}

function nextBucket(d: Date, interval: Interval): Date {
  switch (interval) {
    case 'hour':
      return new Date(d.getTime() + 3_600_000);
    case 'day':
      return new Date(d.getTime() + DAY);
    case 'week':
      return new Date(d.getTime() + 7 * DAY);
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
}

/** Every bucket start from the one holding `from` up to (not including) `to`. */
export function buckets(range: TimeRange, interval: Interval): Date[] {
  const out: Date[] = [];
  for (let d = bucketStart(range.from, interval); d < range.to; d = nextBucket(d, interval)) {
    out.push(d);
    if (out.length > MAX_BUCKETS) {
      throw invalid(`interval: ${interval} over this range makes more than ${MAX_BUCKETS} points; choose a coarser interval or a shorter range`, { interval: 'too fine for the range' });
    }
  }
  return out;
}
