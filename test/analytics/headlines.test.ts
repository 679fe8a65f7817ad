// The corrected dashboard definitions against figures computed here, independently of the code under test, on
// real ClickHouse and PostgreSQL: every headline figure beside the previous period of the same length (value,
// previous value, change in %), lead conversion as converted / created, the win rate as won / closed, and
// retention laid out as a cohort table (+N columns) whose cohorts list their users.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BASE_DATE } from '../../scripts/demo-data';
import { Browser } from '../http/client';
import { distinctId, expectedRetention, makeFixture, toBody, WINDOW_FROM, WINDOW_TO, type FixtureEvent } from './fixture';
import { ingest, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
const DAY = 86_400_000;
const MID = WINDOW_FROM + 14 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();
let events: FixtureEvent[];
type Row = Record<string, any>;
let leads: Row[], deals: Row[];

const browsers: Record<string, Browser> = {};
async function query(username: string, path: string) {
  browsers[username] ??= await (async () => {
    const b = new Browser(w.base);
    expect((await b.login('acme', username)).status).toBe(200);
    return b;
  })();
  const res = await browsers[username]!.call('GET', `/api/analytics/${path}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  const users = Object.values(w.acme.users).map((u) => ({ id: u.id, workspace: u.workspace_id }));
  events = makeFixture(1, users, w.acme.workspaces, 700);
  for (let i = 0; i < events.length; i += 1000) expect((await ingest(w.base, w.keys.acme, { batch: events.slice(i, i + 1000).map(toBody) })).status).toBe(200);
  await w.shipper.drain();
  const q = async (table: string) => (await w.db.pool.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY id`, [w.acme.id])).rows;
  [leads, deals] = [await q('leads'), await q('deals')];
}, 120_000);

const rate = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
const change = (v: number | null, p: number | null) => (v === null || p === null || p === 0 ? null : Math.round(((v - p) / p) * 1000) / 10);

function eventFigures(list: FixtureEvent[], from: number, to: number) {
  const inRange = list.filter((e) => e.ts >= from && e.ts < to);
  const sessions = new Map<string, number[]>();
  for (const e of inRange) if (e.session) sessions.set(e.session, [...(sessions.get(e.session) ?? []), e.ts]);
  const lengths = [...sessions.values()].map((ts) => (Math.max(...ts) - Math.min(...ts)) / 1000);
  return {
    events: inRange.length,
    users: new Set(inRange.map(distinctId).filter(Boolean)).size,
    sessions: sessions.size,
    bounce_rate: rate([...sessions.values()].filter((ts) => ts.length === 1).length, sessions.size),
    avg_session_seconds: sessions.size ? Math.round((lengths.reduce((s, x) => s + x, 0) / sessions.size) * 100) / 100 : null,
  };
}

/** The figures of the API as {figure: {value, previous, change_percent}}. */
const byFigure = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.figure, { value: r.value, previous: r.previous, change_percent: r.change_percent }]));
const compared = (now: Record<string, number | null>, before: Record<string, number | null>) =>
  Object.fromEntries(Object.entries(now).map(([k, v]) => [k, { value: v, previous: before[k], change_percent: change(v, before[k]!) }]));

describe('headline figures compared with the previous period', () => {
  it('event figures over the second half of the window, against the first half', async () => {
    const res = await query('admin', `event-headlines?from=${iso(MID)}&to=${iso(WINDOW_TO)}`);
    expect(byFigure(res.rows)).toEqual(compared(eventFigures(events, MID, WINDOW_TO), eventFigures(events, WINDOW_FROM, MID)));
    expect(res.summary).toMatchObject({ from: iso(MID), to: iso(WINDOW_TO), previous_from: iso(WINDOW_FROM), previous_to: iso(MID) });
    expect(res.rows.find((r: Row) => r.figure === 'events').change_percent).not.toBeNull();
  });

  it('a workspace member\'s figures are their workspace\'s and the tenant-wide events', async () => {
    const ws = w.acme.users.director!.workspace_id;
    const visible = events.filter((e) => e.workspace === undefined || e.workspace === ws);
    const res = await query('director', `event-headlines?from=${iso(MID)}&to=${iso(WINDOW_TO)}`);
    expect(byFigure(res.rows)).toEqual(compared(eventFigures(visible, MID, WINDOW_TO), eventFigures(visible, WINDOW_FROM, MID)));
  });

  /** Who a viewer sees, restated: owners in the team (or all), and the workspace rule. */
  function sees(username: string) {
    const me = w.acme.users[username]!;
    const team = new Set([me.id]);
    for (const id of team) for (const u of Object.values(w.acme.users)) if (u.manager_id === id) team.add(u.id);
    const inWorkspace = (r: Row) => me.level >= 5 || me.workspace_id === null || r.workspace_id === null || r.workspace_id === me.workspace_id;
    return (r: Row, owners: string[]) => inWorkspace(r) && (me.level >= 3 || owners.some((f) => team.has(r[f])));
  }

  function crmFigures(username: string, from: number, to: number) {
    const v = sees(username);
    const created = leads.filter((l) => v(l, ['assigned_to_id', 'assigned_by_id']) && l.created_at.getTime() >= from && l.created_at.getTime() < to);
    const converted = created.filter((l) => l.status === 'converted').length;
    const newDeals = deals.filter((d) => v(d, ['assigned_to_id', 'supervisor_id']) && d.created_at.getTime() >= from && d.created_at.getTime() < to);
    const closing = deals.filter((d) => {
      const t = d.expected_close_date ? Date.parse(`${d.expected_close_date}T00:00:00Z`) : NaN;
      return v(d, ['assigned_to_id', 'supervisor_id']) && t >= from && t < to && (d.probability === 0 || d.probability === 100);
    });
    const won = closing.filter((d) => d.probability === 100);
    const sum = (ds: Row[]) => Math.round(ds.reduce((s, d) => s + Math.round(Number(d.value) * 100), 0)) / 100;
    return {
      leads_created: created.length, leads_converted: converted, lead_conversion_rate: rate(converted, created.length),
      deals_created: newDeals.length, deals_created_value: sum(newDeals),
      deals_won: won.length, deals_closed: closing.length, win_rate: rate(won.length, closing.length), won_value: sum(won),
    };
  }

  it.each(['admin', 'director', 'manager'])('CRM figures of %s: conversion = converted / created, win rate = won / closed', async (username) => {
    const to = DEMO_BASE_DATE.getTime() + DAY;
    const from = to - 45 * DAY;
    const res = await query(username, `headlines?from=${iso(from)}&to=${iso(to)}`);
    const now = crmFigures(username, from, to);
    expect(byFigure(res.rows)).toEqual(compared(now, crmFigures(username, from - 45 * DAY, from)));
    expect(res.summary.currency).toBe('USD');
    expect(now.leads_created).toBeGreaterThan(0);
    expect(now.deals_closed).toBeGreaterThan(0);
  });

  it('lead conversion\'s summary rate is converted / created (it was leads with a deal / created)', async () => {
    const from = DEMO_BASE_DATE.getTime() - 100 * DAY;
    const to = DEMO_BASE_DATE.getTime() + DAY;
    const res = await query('admin', `lead-conversion?from=${iso(from)}&to=${iso(to)}`);
    const count = (step: string) => res.rows.find((r: Row) => r.step === step).count;
    const expected = crmFigures('admin', from, to);
    expect(count('leads')).toBe(expected.leads_created);
    expect(count('converted')).toBe(expected.leads_converted);
    expect(res.summary).toMatchObject({ conversion_rate: expected.lead_conversion_rate, deal_rate: rate(count('deals'), count('leads')), currency: 'USD' });
    expect(res.summary.conversion_rate).toBeGreaterThan(0);
  });
});

describe('retention as a cohort table', () => {
  it('a row per cohort, +N columns of rates, null where the period has not begun', async () => {
    const periods = 4;
    const res = await query('admin', `retention?from=${iso(WINDOW_FROM)}&to=${iso(WINDOW_TO)}&interval=week&periods=${periods}&layout=table`);
    const long = expectedRetention(events, WINDOW_FROM, WINDOW_TO, periods);
    const cohorts = [...new Set(long.map((r) => r.cohort as string))];
    expect(res.rows).toEqual(
      cohorts.map((c) => {
        const mine = long.filter((r) => r.cohort === c);
        const row: Row = { cohort: c, users: mine[0]!.users };
        for (let k = 0; k < periods; k++) row[`+${k}`] = mine.find((r) => r.period === k)?.rate ?? null;
        return row;
      }),
    );
    expect(res.rows.length).toBeGreaterThanOrEqual(2);
    expect(res.rows.at(-1)['+3']).toBeNull(); // the last week's cohort has no +3 within the range
  });

  it('a cohort lists its users', async () => {
    const res = await query('admin', `retention?from=${iso(WINDOW_FROM)}&to=${iso(WINDOW_TO)}&interval=week&cohort=2025-03-10`);
    const first = new Map<string, number>();
    for (const e of events) if (distinctId(e) && e.ts >= WINDOW_FROM && e.ts < WINDOW_TO) first.set(distinctId(e), Math.min(first.get(distinctId(e)) ?? Infinity, e.ts));
    const week = [...first].filter(([, t]) => t >= Date.UTC(2025, 2, 10) && t < Date.UTC(2025, 2, 17)).map(([id]) => id).sort();
    expect(res.rows.map((r: Row) => r.user)).toEqual(week);
    for (const r of res.rows) expect(r.user_id).toBe(r.user.startsWith('u:') ? Number(r.user.slice(2)) : null);
    expect(week.length).toBeGreaterThan(0);
  });
});
