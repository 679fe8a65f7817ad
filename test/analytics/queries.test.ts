// Ingest -> ClickHouse -> dashboard API, for every event aggregation, against figures computed independently
// from the same fixture (test/analytics/fixture.ts); tenant isolation, CASL gates and scopes (workspace, team),
// and the CSV variant. Two tenants ingest in the same window: neither ever sees the other's events.
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../http/client';
import {
  distinctId, expectedFunnel, expectedRetention, expectedSessions, expectedTopEvents, expectedTopPages, expectedTrends, makeFixture,
  toBody, WINDOW_FROM, WINDOW_TO, type FixtureEvent,
} from './fixture';
import { ingest, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
let acmeEvents: FixtureEvent[];
let globexEvents: FixtureEvent[];
const browsers: Record<string, Browser> = {};

const iso = (ms: number) => new Date(ms).toISOString();
const RANGE = `from=${iso(WINDOW_FROM)}&to=${iso(WINDOW_TO)}`;

async function as(username: string, tenant = 'acme') {
  const key = `${tenant}/${username}`;
  if (!browsers[key]) {
    const b = new Browser(w.base);
    expect((await b.login(tenant, username)).status).toBe(200);
    browsers[key] = b;
  }
  return browsers[key]!;
}

async function query(username: string, path: string, tenant = 'acme') {
  const res = await (await as(username, tenant)).call('GET', `/api/analytics/${path}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  const users = (t: typeof w.acme) => Object.values(t.users).map((u) => ({ id: u.id, workspace: u.workspace_id }));
  acmeEvents = makeFixture(1, users(w.acme), w.acme.workspaces, 700);
  globexEvents = makeFixture(2, users(w.globex), w.globex.workspaces, 300);
  for (const [key, events] of [[w.keys.acme, acmeEvents], [w.keys.globex, globexEvents]] as const) {
    for (let i = 0; i < events.length; i += 1000) {
      const res = await ingest(w.base, key, { batch: events.slice(i, i + 1000).map(toBody) });
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    }
  }
  await w.shipper.drain();
}, 120_000);

describe('event analytics match the fixture', () => {
  it('the fixture is big enough to mean something', () => {
    expect(acmeEvents.length).toBeGreaterThan(2000);
    expect(new Set(acmeEvents.map(distinctId)).size).toBeGreaterThan(30);
  });

  it('top events, from the hourly rollup (whole-hour range) and from raw events (any range)', async () => {
    const rollup = await query('admin', `top-events?${RANGE}&limit=4`);
    expect(rollup.source).toBe('rollup');
    expect(rollup.rows).toEqual(expectedTopEvents(acmeEvents, WINDOW_FROM, WINDOW_TO, 4));
    const from = WINDOW_FROM + 90 * 60_000 + 17_000;
    const raw = await query('admin', `top-events?from=${iso(from)}&to=${iso(WINDOW_TO - 1000)}`);
    expect(raw.source).toBe('raw');
    expect(raw.rows).toEqual(expectedTopEvents(acmeEvents, from, WINDOW_TO - 1000, 20));
  });

  it('trends per day (rollup), per hour over two days, and per week from raw events', async () => {
    const daily = await query('admin', `trends?${RANGE}&interval=day`);
    expect(daily.source).toBe('rollup');
    expect(daily.rows).toEqual(expectedTrends(acmeEvents, { from: WINDOW_FROM, to: WINDOW_TO, interval: 'day', limit: 10 }));
    const twoDays = WINDOW_FROM + 2 * 86_400_000;
    const hourly = await query('admin', `trends?from=${iso(WINDOW_FROM)}&to=${iso(twoDays)}&interval=hour&events=page.view,signup`);
    expect(hourly.rows).toEqual(expectedTrends(acmeEvents, { from: WINDOW_FROM, to: twoDays, interval: 'hour', events: ['page.view', 'signup'], limit: 10 }));
    expect(hourly.rows.length).toBe(2 * 48);
    const from = WINDOW_FROM + 1234_000;
    const weekly = await query('admin', `trends?from=${iso(from)}&to=${iso(WINDOW_TO)}&interval=week`);
    expect(weekly.source).toBe('raw');
    expect(weekly.rows).toEqual(expectedTrends(acmeEvents, { from, to: WINDOW_TO, interval: 'week', limit: 10 }));
  });

  it('trends broken down by a property: its top values, the rest as $other, events without it as ""', async () => {
    const res = await query('admin', `trends?${RANGE}&interval=week&events=page.view,purchase&breakdown=plan&limit=2`);
    const expected = expectedTrends(acmeEvents, { from: WINDOW_FROM, to: WINDOW_TO, interval: 'week', events: ['page.view', 'purchase'], breakdown: 'plan', limit: 2 });
    expect(res.rows).toEqual(expected);
    expect(new Set(res.rows.map((r: any) => r.breakdown_value))).toEqual(new Set(['free', 'pro', '$other']));
  });

  it('top pages: URL paths without query or fragment, relative URLs, the path property', async () => {
    const res = await query('admin', `top-pages?${RANGE}`);
    expect(res.rows).toEqual(expectedTopPages(acmeEvents, WINDOW_FROM, WINDOW_TO, 20));
    expect(res.rows.map((r: any) => r.page).sort()).toEqual(['/', '/blog/hello', '/docs/start', '/features', '/pricing']);
  });

  it('sessions: count, average and median length, events per session, bounce rate, per day', async () => {
    const res = await query('admin', `sessions?${RANGE}&interval=day`);
    const expected = expectedSessions(acmeEvents, WINDOW_FROM, WINDOW_TO, 'day');
    expect(res.summary).toEqual(expected.summary);
    expect(res.rows).toEqual(expected.rows);
  });

  it('funnel signup -> activate -> purchase within a day: users per step, conversion, time to convert', async () => {
    const res = await query('admin', `funnel?${RANGE}&steps=signup,activate,purchase&window=86400`);
    const expected = expectedFunnel(acmeEvents, WINDOW_FROM, WINDOW_TO, ['signup', 'activate', 'purchase'], 86_400);
    expect(res.rows).toEqual(expected.rows);
    expect(res.summary).toEqual(expected.summary);
    expect(expected.summary.converted).toBeGreaterThan(5);
    // A shorter window loses the slow converters.
    const short = await query('admin', `funnel?${RANGE}&steps=signup,activate,purchase&window=3600`);
    expect(short.rows).toEqual(expectedFunnel(acmeEvents, WINDOW_FROM, WINDOW_TO, ['signup', 'activate', 'purchase'], 3600).rows);
    expect(short.summary.converted).toBeLessThan(expected.summary.converted as number);
  });

  it('weekly retention cohorts, for any activity and for signup -> purchase', async () => {
    const any = await query('admin', `retention?${RANGE}&interval=week&periods=4`);
    expect(any.rows).toEqual(expectedRetention(acmeEvents, WINDOW_FROM, WINDOW_TO, 4));
    expect(new Set(any.rows.map((r: any) => r.cohort)).size).toBeGreaterThanOrEqual(2);
    const buyers = await query('admin', `retention?${RANGE}&interval=week&periods=4&start_event=signup&return_event=purchase`);
    expect(buyers.rows).toEqual(expectedRetention(acmeEvents, WINDOW_FROM, WINDOW_TO, 4, 'signup', 'purchase'));
  });

  it('filters by workspace, and by tenant-wide events only', async () => {
    const ws = w.acme.workspaces[0]!;
    const inWs = await query('admin', `top-events?${RANGE}&workspace=${ws}`);
    expect(inWs.rows).toEqual(expectedTopEvents(acmeEvents.filter((e) => e.workspace === ws), WINDOW_FROM, WINDOW_TO, 20));
    const wide = await query('admin', `top-events?${RANGE}&workspace=none`);
    expect(wide.rows).toEqual(expectedTopEvents(acmeEvents.filter((e) => e.workspace === undefined), WINDOW_FROM, WINDOW_TO, 20));
  });
});

describe('isolation and permissions', () => {
  it('another tenant\'s events never appear: globex sees exactly its own', async () => {
    const res = await query('admin', `top-events?${RANGE}&limit=100`, 'globex');
    expect(res.rows).toEqual(expectedTopEvents(globexEvents, WINDOW_FROM, WINDOW_TO, 100));
    const sessions = await query('admin', `sessions?${RANGE}`, 'globex');
    expect(sessions.summary).toEqual(expectedSessions(globexEvents, WINDOW_FROM, WINDOW_TO, 'day').summary);
  });

  it('a workspace member (the director) sees their workspace and tenant-wide events only', async () => {
    const ws = w.acme.users.director!.workspace_id;
    expect(ws).not.toBeNull();
    const visible = acmeEvents.filter((e) => e.workspace === undefined || e.workspace === ws);
    expect((await query('director', `top-events?${RANGE}`)).rows).toEqual(expectedTopEvents(visible, WINDOW_FROM, WINDOW_TO, 20));
    expect((await query('director', `funnel?${RANGE}&steps=signup,purchase`)).summary).toEqual(
      expectedFunnel(visible, WINDOW_FROM, WINDOW_TO, ['signup', 'purchase'], 86_400).summary,
    );
  });

  it('roles without view_analytics get 403 on event analytics; the query list says what each may run', async () => {
    for (const username of ['agent', 'manager', 'superadmin']) {
      const b = await as(username);
      for (const q of ['trends', 'top-events', 'top-pages', 'sessions', 'funnel?steps=a,b', 'retention']) {
        const res = await b.call('GET', `/api/analytics/${q}`);
        expect(res.status, `${username} ${q}`).toBe(403);
        expect(res.body.error).toMatch(/view_analytics/);
      }
    }
    const list = (await (await as('agent')).call('GET', '/api/analytics')).body.queries;
    expect(list.find((q: any) => q.name === 'trends')).toMatchObject({ allowed: false, permission: 'view_analytics' });
    expect(list.find((q: any) => q.name === 'pipeline')).toMatchObject({ allowed: false, permission: 'view_reports' });
    expect((await new Browser(w.base).call('GET', '/api/analytics/trends')).status).toBe(401);
  });

  it('CSV of the same rows for users who may export; 403 for those who may not', async () => {
    const res = await (await as('admin')).call('GET', `/api/analytics/top-events.csv?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const expected = expectedTopEvents(acmeEvents, WINDOW_FROM, WINDOW_TO, 20);
    expect(res.body).toBe(['event,count,users', ...expected.map((r) => `${r.event},${r.count},${r.users}`)].join('\r\n') + '\r\n');
    expect((await (await as('agent')).call('GET', `/api/analytics/top-events.csv`)).status).toBe(403);
  });

  it('rejects bad parameters with the parameter named', async () => {
    const b = await as('admin');
    const cases: [string, string][] = [
      ['trends?interval=minute', 'interval'],
      ['trends?from=yesterday', 'from'],
      [`trends?from=${iso(WINDOW_TO)}&to=${iso(WINDOW_FROM)}`, 'from'],
      ['trends?interval=hour&from=2024-01-01&to=2025-01-01', 'interval'],
      ['funnel?steps=only-one', 'steps'],
      ['top-events?limit=0', 'limit'],
      ['top-events?workspace=abc', 'workspace'],
      ['nope', ''],
    ];
    for (const [q, field] of cases) {
      const res = await b.call('GET', `/api/analytics/${q}`);
      expect(res.status, q).toBe(q === 'nope' ? 404 : 400);
      if (field) expect(res.body.fields, q).toHaveProperty(field);
    }
  });

  it('a team-scoped role with view_analytics sees the events of its team only', async () => {
    const { rows: [role] } = await w.db.pool.query(
      `INSERT INTO roles (name, level, permissions, tenant_id) VALUES ('Team analyst', 2, ARRAY['view_team_data', 'view_analytics', 'view_reports'], $1) RETURNING id`,
      [w.acme.id],
    );
    const manager = w.acme.users.manager!;
    await w.db.pool.query('UPDATE users SET role_id = $1 WHERE id = $2', [role.id, manager.id]);
    const team = new Set([manager.id]);
    for (const id of team) for (const u of Object.values(w.acme.users)) if (u.manager_id === id) team.add(u.id);
    expect(team.size).toBeGreaterThan(1);
    const visible = acmeEvents.filter(
      (e) => typeof e.user === 'number' && team.has(e.user) && (e.workspace === undefined || e.workspace === manager.workspace_id),
    );
    expect(visible.length).toBeGreaterThan(10);
    expect((await query('manager', `top-events?${RANGE}`)).rows).toEqual(expectedTopEvents(visible, WINDOW_FROM, WINDOW_TO, 20));
    expect((await query('manager', `sessions?${RANGE}`)).summary).toEqual(expectedSessions(visible, WINDOW_FROM, WINDOW_TO, 'day').summary);
  });
});
