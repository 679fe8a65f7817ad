// Retention cohorts: users (distinct ids) grouped by the period (day, week from Monday, or month; UTC) of their
// first `start_event` in the range (any event by default), and for each later period k = 0..periods-1 how many
// of them did a `return_event` (any event by default) in period cohort+k. Only periods that start before
// the end of the range are reported.
import type { ClickHouseClient } from '../clickhouse';
import { bucketStart, type Interval } from '../params';
import type { AnalyticsScope } from '../scope';
import { str, uint } from '../sql';
import { n, ratio, rows, where, type EventFilter, type QueryResult, type ResultRow } from './common';

export interface RetentionParams extends EventFilter {
  interval: Exclude<Interval, 'hour'>;
  periods: number;
  startEvent?: string;
  returnEvent?: string;
  /** 'long' (default): one row per cohort and period; 'table': one row per cohort, a column per period (+0, +1...). */
  layout?: 'long' | 'table';
}

const PERIOD: Record<RetentionParams['interval'], { number: string; start: string }> = {
  day: { number: 'toRelativeDayNum(ts)', start: 'toDate(ts)' },
  week: { number: 'toRelativeWeekNum(ts)', start: 'toMonday(ts)' },
  month: { number: 'toRelativeMonthNum(ts)', start: 'toStartOfMonth(ts)' },
};

function addPeriods(d: Date, k: number, interval: RetentionParams['interval']): Date {
  if (interval === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1));
  return new Date(d.getTime() + k * (interval === 'week' ? 7 : 1) * 86_400_000);
}

/** Per user (distinct id) in scope with a start event in the range: their cohort (number and start) and active periods. */
function perUser(scope: AnalyticsScope, p: Omit<RetentionParams, 'periods'>): string {
  const { number, start } = PERIOD[p.interval];
  const isStart = p.startEvent === undefined ? '1' : `event = ${str(p.startEvent)}`;
  const isReturn = p.returnEvent === undefined ? '1' : `event = ${str(p.returnEvent)}`;
  return `SELECT distinct_id, max(user_id) AS user_id, minIf(${number}, ${isStart}) AS cohort, minIf(${start}, ${isStart}) AS cohort_start,
              groupUniqArrayIf(${number}, ${isReturn}) AS active
       FROM events WHERE ${where(scope, p)} AND distinct_id != ''
       GROUP BY distinct_id HAVING countIf(${isStart}) > 0`;
}

export async function retention(client: ClickHouseClient, scope: AnalyticsScope, p: RetentionParams): Promise<QueryResult> {
  const counts = Array.from({ length: p.periods }, (_, k) => `countIf(has(active, cohort + ${uint(k)})) AS r${k}`);
  const found = await rows<Record<string, string | number>>(
    client,
    `SELECT cohort_start, count() AS users, ${counts.join(', ')} FROM (${perUser(scope, p)}) GROUP BY cohort_start ORDER BY cohort_start`,
  );
  const out: ResultRow[] = [];
  for (const r of found) {
    const cohort = new Date(`${String(r.cohort_start)}T00:00:00Z`);
    const users = n(r.users) ?? 0;
    for (let k = 0; k < p.periods; k++) {
      if (addPeriods(bucketStart(cohort, p.interval), k, p.interval) >= p.range.to) break;
      const retained = n(r[`r${k}`]) ?? 0;
      out.push({ cohort: String(r.cohort_start), users, period: k, retained, rate: ratio(retained, users) });
    }
  }
  return { rows: p.layout === 'table' ? asTable(out, p.periods) : out, source: 'raw' };
}

/** One row per cohort: its users, then the rate of each period (+0, +1, ...; null for periods not yet begun). */
function asTable(long: ResultRow[], periods: number): ResultRow[] {
  const byCohort = new Map<string, ResultRow>();
  for (const r of long) {
    const row: ResultRow = byCohort.get(String(r.cohort)) ?? { cohort: r.cohort!, users: r.users!, ...Object.fromEntries(Array.from({ length: periods }, (_, k) => [`+${k}`, null])) };
    row[`+${String(r.period)}`] = r.rate!;
    byCohort.set(String(r.cohort), row);
  }
  return [...byCohort.values()];
}

/** The users of one cohort (its first day, as the cohort column gives it): distinct id, CRM user id if any. */
export async function cohortUsers(client: ClickHouseClient, scope: AnalyticsScope, p: Omit<RetentionParams, 'periods'>, cohort: Date): Promise<QueryResult> {
  const day = cohort.toISOString().slice(0, 10);
  const found = await rows<{ distinct_id: string; user_id: string | number }>(
    client,
    `SELECT distinct_id, user_id FROM (${perUser(scope, p)}) WHERE cohort_start = toDate(${str(day)}) ORDER BY distinct_id LIMIT 1000`,
  );
  return { rows: found.map((r) => ({ user: r.distinct_id, user_id: n(r.user_id) || null })), source: 'raw' };
}
