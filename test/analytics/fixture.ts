// A deterministic event fixture and, independently of the code under test, the figures every dashboard query
// should give for it: plain JavaScript over the fixture's own list, no SQL, no ClickHouse.
import { Random } from '../../scripts/random';

export interface FixtureEvent {
  event: string;
  /** A CRM user id, or a visitor id. */
  user?: number | string;
  /** Epoch milliseconds, whole seconds. */
  ts: number;
  properties?: Record<string, unknown>;
  url?: string;
  session?: string;
  workspace?: number;
}

export const WINDOW_FROM = Date.UTC(2025, 2, 3); // a Monday
export const WINDOW_TO = Date.UTC(2025, 2, 31); // four weeks later, a Monday
const DAY = 86_400_000;
const PAGES = ['/pricing', '/docs/start', '/blog/hello', '/features', '/'];

/** The API body of a fixture event. */
export const toBody = (e: FixtureEvent) => ({
  event: e.event,
  ...(e.user !== undefined && { user: e.user }),
  timestamp: new Date(e.ts).toISOString(),
  ...(e.properties && { properties: e.properties }),
  ...(e.url !== undefined && { url: e.url }),
  ...(e.session !== undefined && { session: e.session }),
  ...(e.workspace !== undefined && { workspace: e.workspace }),
});

/**
 * Visits of CRM users and anonymous visitors over the window: sessions of page views and clicks, some users
 * going through signup -> activate -> purchase with various delays (some beyond a day), plans as a property.
 */
export function makeFixture(seed: number, crmUsers: { id: number; workspace: number | null }[], workspaces: number[], visits: number): FixtureEvent[] {
  const rng = new Random(seed);
  const out: FixtureEvent[] = [];
  const used = new Set<string>();
  const visitors = Array.from({ length: 40 }, (_, i) => `visitor-${seed}-${i}`);
  // One event per (user, second) at most: funnel steps never tie.
  const unique = (user: string, ts: number) => {
    let t = ts;
    while (used.has(`${user}|${t}`)) t += 1000;
    used.add(`${user}|${t}`);
    return t;
  };
  for (let v = 0; v < visits; v++) {
    const crm = rng.chance(0.4) ? rng.pick(crmUsers) : null;
    const user: number | string | undefined = crm ? crm.id : rng.chance(0.9) ? rng.pick(visitors) : undefined;
    const workspace = crm ? (crm.workspace ?? undefined) : rng.chance(0.3) ? rng.pick(workspaces) : undefined;
    const session = rng.chance(0.9) ? `s-${seed}-${v}` : undefined;
    const plan = rng.weighted(['free', 'pro', 'ent', null], [5, 3, 1, 2]);
    let ts = WINDOW_FROM + rng.int(0, 27 * 24 * 3600 - 1) * 1000;
    const steps = rng.int(1, 8);
    for (let k = 0; k < steps && ts < WINDOW_TO - 3600_000; k++) {
      const kind = rng.weighted(['page.view', 'button.click', 'signup', 'activate', 'purchase'], [10, 4, 1, 1, 1]);
      const e: FixtureEvent = { event: kind, user, ts: unique(String(user), ts), session, workspace };
      if (kind === 'page.view') {
        const page = rng.pick(PAGES);
        const form = rng.int(0, 3);
        if (form === 0) e.url = `https://www.acme.test${page}?utm=${rng.int(1, 3)}#top`;
        else if (form === 1) e.url = `${page}?ref=x`;
        else if (form === 2) e.properties = { path: page };
        else e.url = `https://www.acme.test${page}`;
      }
      if (plan !== null) e.properties = { ...e.properties, plan };
      out.push(e);
      ts = e.ts + rng.int(10, 900) * 1000;
    }
    // A funnel run, with a delay that may exceed a day.
    if (user !== undefined && rng.chance(0.35)) {
      let t = ts + rng.int(1, 3600) * 1000;
      for (const step of ['signup', 'activate', 'purchase']) {
        if (t >= WINDOW_TO) break;
        out.push({ event: step, user, ts: unique(String(user), t), session, workspace });
        if (rng.chance(0.25)) break;
        t += rng.int(60, rng.chance(0.2) ? 2 * 86_400 : 20_000) * 1000;
      }
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

// --- independent expectations ----------------------------------------------------------------------------

export const distinctId = (e: FixtureEvent) => (typeof e.user === 'number' ? `u:${e.user}` : typeof e.user === 'string' ? `v:${e.user}` : '');
const inRange = (e: FixtureEvent, from: number, to: number) => e.ts >= from && e.ts < to;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;
const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
/** quantileExact(0.5): the element at floor(n / 2) of the sorted values. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export type Interval = 'hour' | 'day' | 'week' | 'month';
export function bucketOf(ts: number, interval: Interval): number {
  const d = new Date(ts);
  if (interval === 'hour') return ts - (ts % 3_600_000);
  if (interval === 'day') return ts - (ts % DAY);
  if (interval === 'week') {
    const day = ts - (ts % DAY);
    return day - ((d.getUTCDay() + 6) % 7) * DAY;
  }
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
function allBuckets(from: number, to: number, interval: Interval): number[] {
  const out: number[] = [];
  for (let b = bucketOf(from, interval); b < to; ) {
    out.push(b);
    const d = new Date(b);
    b = interval === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : b + (interval === 'hour' ? 3_600_000 : interval === 'day' ? DAY : 7 * DAY);
  }
  return out;
}

function countUsers(events: FixtureEvent[]) {
  return { count: events.length, users: new Set(events.map(distinctId).filter(Boolean)).size };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
}

export function expectedTopEvents(events: FixtureEvent[], from: number, to: number, limit: number) {
  const groups = groupBy(events.filter((e) => inRange(e, from, to)), (e) => e.event);
  return [...groups]
    .map(([event, es]) => ({ event, ...countUsers(es) }))
    .sort((a, b) => b.count - a.count || cmp(a.event, b.event))
    .slice(0, limit);
}

export function expectedTrends(events: FixtureEvent[], o: { from: number; to: number; interval: Interval; events?: string[]; breakdown?: string; limit: number }) {
  const scoped = events.filter((e) => inRange(e, o.from, o.to));
  const names = o.events ?? expectedTopEvents(events, o.from, o.to, o.limit).map((r) => r.event);
  const chosen = scoped.filter((e) => names.includes(e.event));
  const valueOf = (e: FixtureEvent) => (o.breakdown ? String(e.properties?.[o.breakdown] ?? '') : '');
  let top: string[] = [];
  if (o.breakdown) {
    top = [...groupBy(chosen, valueOf)].map(([v, es]) => ({ v, n: es.length })).sort((a, b) => b.n - a.n || cmp(a.v, b.v)).slice(0, o.limit).map((x) => x.v);
  }
  const label = (e: FixtureEvent) => (o.breakdown ? (top.includes(valueOf(e)) ? valueOf(e) : '$other') : '');
  const rows: Record<string, unknown>[] = [];
  for (const name of names) {
    const mine = chosen.filter((e) => e.event === name);
    const labels = o.breakdown ? [...top, '$other'].filter((l) => mine.some((e) => label(e) === l)) : [''];
    for (const l of labels) {
      for (const b of allBuckets(o.from, o.to, o.interval)) {
        const es = mine.filter((e) => label(e) === l && bucketOf(e.ts, o.interval) === b);
        rows.push({ bucket: new Date(b).toISOString(), event: name, ...(o.breakdown && { breakdown_value: l }), ...countUsers(es) });
      }
    }
  }
  return rows;
}

export function pageOf(e: FixtureEvent): string {
  if (!e.url) return String(e.properties?.path ?? '');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(e.url)) return new URL(e.url).pathname;
  return e.url.split(/[?#]/)[0]!;
}

export function expectedTopPages(events: FixtureEvent[], from: number, to: number, limit: number) {
  const views = events.filter((e) => e.event === 'page.view' && inRange(e, from, to));
  return [...groupBy(views, pageOf)]
    .filter(([page]) => page !== '')
    .map(([page, es]) => ({ page, views: es.length, users: countUsers(es).users }))
    .sort((a, b) => b.views - a.views || cmp(a.page, b.page))
    .slice(0, limit);
}

export function expectedSessions(events: FixtureEvent[], from: number, to: number, interval: Interval) {
  const sessions = [...groupBy(events.filter((e) => e.session && inRange(e, from, to)), (e) => e.session!)].map(([, es]) => {
    const times = es.map((e) => e.ts / 1000);
    return { start: Math.min(...times) * 1000, length: Math.max(...times) - Math.min(...times), events: es.length };
  });
  const n = sessions.length;
  return {
    rows: allBuckets(from, to, interval).map((b) => {
      const mine = sessions.filter((s) => bucketOf(s.start, interval) === b);
      return {
        bucket: new Date(b).toISOString(),
        sessions: mine.length,
        avg_seconds: mine.length ? round2(mine.reduce((s, x) => s + x.length, 0) / mine.length) : null,
      };
    }),
    summary: {
      sessions: n,
      avg_seconds: round2(sessions.reduce((s, x) => s + x.length, 0) / n),
      median_seconds: median(sessions.map((s) => s.length)),
      avg_events: round2(sessions.reduce((s, x) => s + x.events, 0) / n),
      bounce_rate: rate(sessions.filter((s) => s.events === 1).length, n),
    },
  };
}

/**
 * The funnel by its definition: a user reaches step k if, from some occurrence of step 1, each next step
 * happens at or after the previous one and all within `window` seconds of that first step. Time to convert:
 * along the earliest such start that completes every step.
 */
export function expectedFunnel(events: FixtureEvent[], from: number, to: number, steps: string[], window: number) {
  const byUser = groupBy(events.filter((e) => inRange(e, from, to) && distinctId(e) && steps.includes(e.event)), distinctId);
  const reached = steps.map(() => 0);
  const durations: number[] = [];
  for (const [, es] of byUser) {
    const times = steps.map((s) => es.filter((e) => e.event === s).map((e) => e.ts / 1000).sort((a, b) => a - b));
    let best = 0;
    let duration: number | null = null;
    for (const t1 of times[0]!) {
      let level = 1;
      let prev = t1;
      for (let k = 1; k < steps.length; k++) {
        const next = times[k]!.find((t) => t >= prev);
        if (next === undefined || next - t1 > window) break;
        level++;
        prev = next;
      }
      best = Math.max(best, level);
      if (level === steps.length && duration === null) duration = prev - t1;
    }
    for (let k = 0; k < best; k++) reached[k]!++;
    if (duration !== null) durations.push(duration);
  }
  return {
    rows: steps.map((event, i) => ({
      step: i + 1,
      event,
      users: reached[i]!,
      conversion_rate: rate(reached[i]!, reached[0]!),
      step_conversion_rate: i === 0 ? (reached[0]! > 0 ? 1 : null) : rate(reached[i]!, reached[i - 1]!),
    })),
    summary: {
      entered: reached[0]!,
      converted: reached[steps.length - 1]!,
      conversion_rate: rate(reached[steps.length - 1]!, reached[0]!),
      avg_seconds_to_convert: durations.length ? round2(durations.reduce((s, d) => s + d, 0) / durations.length) : null,
      median_seconds_to_convert: durations.length ? median(durations) : null,
    },
  };
}

/** Weekly cohorts: first start event's week, then a return event in week cohort + k. */
export function expectedRetention(events: FixtureEvent[], from: number, to: number, periods: number, startEvent?: string, returnEvent?: string) {
  const byUser = groupBy(events.filter((e) => inRange(e, from, to) && distinctId(e)), distinctId);
  const cohorts = new Map<number, { users: number; retained: number[] }>();
  for (const [, es] of byUser) {
    const starts = es.filter((e) => !startEvent || e.event === startEvent);
    if (!starts.length) continue;
    const cohort = bucketOf(Math.min(...starts.map((e) => e.ts)), 'week');
    const active = new Set(es.filter((e) => !returnEvent || e.event === returnEvent).map((e) => bucketOf(e.ts, 'week')));
    const c = cohorts.get(cohort) ?? { users: 0, retained: Array.from({ length: periods }, () => 0) };
    c.users++;
    for (let k = 0; k < periods; k++) if (active.has(cohort + k * 7 * DAY)) c.retained[k]!++;
    cohorts.set(cohort, c);
  }
  const rows: Record<string, unknown>[] = [];
  for (const [cohort, c] of [...cohorts].sort((a, b) => a[0] - b[0])) {
    for (let k = 0; k < periods && cohort + k * 7 * DAY < to; k++) {
      rows.push({ cohort: new Date(cohort).toISOString().slice(0, 10), users: c.users, period: k, retained: c.retained[k]!, rate: rate(c.retained[k]!, c.users) });
    }
  }
  return rows;
}
