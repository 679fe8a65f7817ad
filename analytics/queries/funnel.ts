// Funnels: how many users (distinct ids) went through the steps in order, each within `window` seconds of the
// first step (ClickHouse's windowFunnel), the conversion rate from the first step and from the previous one,
// and the time to convert of those who completed: from the first step to the last, along the first chain of
// steps that completes within the window (each step the earliest one after the previous step). Times are
// whole seconds; events of the same second count in step order. At most the first 1000 occurrences of each
// step per user are considered for the time to convert.
import type { ClickHouseClient } from '../clickhouse';
import type { AnalyticsScope } from '../scope';
import { isIn, str, uint } from '../sql';
import { n, ratio, rows, where, type EventFilter, type QueryResult } from './common';

export interface FunnelParams extends EventFilter {
  /** 2 to 10 event names, in order. */
  steps: string[];
  /** Seconds from the first step within which the last must happen. */
  window: number;
}

const MAX_OCCURRENCES = 1000;

export async function funnel(client: ClickHouseClient, scope: AnalyticsScope, p: FunnelParams): Promise<QueryResult> {
  const steps = p.steps;
  const w = `${where(scope, p)} AND distinct_id != '' AND ${isIn('event', [...new Set(steps)].map(str))}`;
  const levels = await rows<{ level: number; users: string }>(
    client,
    `SELECT level, count() AS users FROM (
       SELECT distinct_id, windowFunnel(${uint(p.window)})(ts, ${steps.map((s) => `event = ${str(s)}`).join(', ')}) AS level
       FROM events WHERE ${w} GROUP BY distinct_id
     ) GROUP BY level`,
  );
  const reached = steps.map((_, i) => levels.filter((l) => Number(l.level) >= i + 1).reduce((sum, l) => sum + (n(l.users) ?? 0), 0));

  // Time to convert: one subquery level per step, each adding the earliest time of step k after step k-1.
  const arrays = steps.map((s, i) => `arraySlice(arraySort(groupArrayIf(toUInt32(ts), event = ${str(s)})), 1, ${MAX_OCCURRENCES}) AS a${i + 1}`);
  let q = `SELECT distinct_id, ${arrays.join(', ')} FROM events WHERE ${w} GROUP BY distinct_id HAVING length(a1) > 0 AND length(a${steps.length}) > 0`;
  const rest = (from: number) => steps.map((_, i) => i + 1).filter((k) => k >= from).map((k) => `a${k}`);
  q = `SELECT distinct_id, arrayJoin(a1) AS t1, ${rest(2).join(', ')} FROM (${q})`;
  for (let k = 2; k <= steps.length; k++) {
    const known = Array.from({ length: k - 1 }, (_, i) => `t${i + 1}`);
    const later = rest(k + 1);
    // (t{k-1} also appears outside the lambda: 18.16 does not see a lambda's captured columns as needed, and
    // would prune them from the subquery.)
    q = `SELECT distinct_id, ${known.join(', ')}, if(t${k - 1} > 0, arrayFirst(x -> x >= t${k - 1}, a${k}), 0) AS t${k}${later.length ? `, ${later.join(', ')}` : ''} FROM (${q})`;
  }
  const last = `t${steps.length}`;
  const valid = `${last} > 0 AND ${last} - t1 <= ${uint(p.window)}`;
  const [times] = await rows<{ converted: string; avg_seconds: number; median_seconds: number }>(
    client,
    `SELECT count() AS converted, avg(d) AS avg_seconds, quantileExact(0.5)(d) AS median_seconds FROM (
       SELECT distinct_id, argMinIf(${last} - t1, t1, ${valid}) AS d FROM (${q}) GROUP BY distinct_id HAVING countIf(${valid}) > 0
     )`,
  );
  const converted = n(times?.converted) ?? 0;
  return {
    rows: steps.map((event, i) => ({
      step: i + 1,
      event,
      users: reached[i]!,
      conversion_rate: ratio(reached[i]!, reached[0]!),
      step_conversion_rate: i === 0 ? (reached[0]! > 0 ? 1 : null) : ratio(reached[i]!, reached[i - 1]!),
    })),
    summary: {
      entered: reached[0]!,
      converted: reached[steps.length - 1]!,
      conversion_rate: ratio(reached[steps.length - 1]!, reached[0]!),
      avg_seconds_to_convert: converted ? Math.round(n(times!.avg_seconds)! * 100) / 100 : null,
      median_seconds_to_convert: converted ? n(times!.median_seconds) : null,
    },
    source: 'raw',
  };
}
