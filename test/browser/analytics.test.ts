// The dashboards in a real browser, on real ClickHouse: the demo events are shipped from the PostgreSQL outbox,
// then a Director sees every chart drawn with ticks, legends beside the plot and tooltips; the headline figures
// and their comparison with the previous period equal figures computed here from the same rows; changing the
// range changes them; a pipeline stage opens the deals list with as many deals as its bar. A Sales Manager sees
// their team's figures; an Agent has no analytics page. Screenshots at 1440 and 390 px.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateClickHouse } from '../../analytics/migrate';
import { Shipper } from '../../analytics/shipper';
import { DEMO_BASE_DATE, seedDemo } from '../../scripts/demo-data';
import { useTestClickHouse, useTestDatabase } from '../harness';
import { demoTenant, type DemoTenant } from '../security/helpers';
import { clickAt, expectReadable, figureText, layoutOf, settled, shotWhole, tooltipAt } from './charts';
import { BROWSER_TEST_TIMEOUT, expectHealthy, openPage, shot, sidebarLinks, useBrowser, visible } from './helpers';

const db = useTestDatabase();
const ch = useTestClickHouse();
const web = useBrowser(db, () => ch.client);

type Row = Record<string, any>;
let acme: DemoTenant;
let events: Row[], leads: Row[], deals: Row[];
const DAY = 86_400_000;

beforeAll(async () => {
  await seedDemo(db);
  await migrateClickHouse(ch.client);
  const shipped = await new Shipper(db.pool, ch.client, { log: () => {} }).drain();
  expect(shipped).toBeGreaterThan(0);
  acme = await demoTenant(db, 'acme');
  const q = async (table: string) => (await db.pool.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY id`, [acme.id])).rows;
  [events, leads, deals] = [await q('events'), await q('leads'), await q('deals')];
});

/** Who a viewer sees, restated independently of the code: owners in their team (or all), and the workspace rule. */
function viewer(username: string) {
  const me = acme.users[username]!;
  const team = new Set([me.id]);
  for (const id of team) for (const u of Object.values(acme.users)) if (u.manager_id === id) team.add(u.id);
  const all = me.level >= 3;
  const inWorkspace = (r: Row) => me.level >= 5 || me.workspace_id === null || r.workspace_id === null || r.workspace_id === me.workspace_id;
  return (r: Row, owners: string[]) => inWorkspace(r) && (all || owners.some((f) => team.has(r[f])));
}

/** The dashboard's default range: the last 30 days up to the end of today (UTC), and the 30 days before. */
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const rangeOf = (days: number) => ({ from: new Date(today.getTime() - (days - 1) * DAY), to: new Date(today.getTime() + DAY) });
const previousOf = (r: { from: Date; to: Date }) => ({ from: new Date(2 * r.from.getTime() - r.to.getTime()), to: r.from });
const within = (t: Date, r: { from: Date; to: Date }) => t >= r.from && t < r.to;
const rate = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
const change = (v: number | null, p: number | null) => (v === null || p === null || p === 0 ? null : Math.round(((v - p) / p) * 1000) / 10);

function eventFigures(username: string, r: { from: Date; to: Date }) {
  const sees = viewer(username);
  const mine = events.filter((e) => sees(e, ['user_id']) && within(e.timestamp, r));
  const sessions = new Map<string, number>();
  for (const e of mine) if (e.session_id) sessions.set(e.session_id, (sessions.get(e.session_id) ?? 0) + 1);
  const bounces = [...sessions.values()].filter((n) => n === 1).length;
  return { events: mine.length, sessions: sessions.size, bounce_rate: rate(bounces, sessions.size) };
}

function crmFigures(username: string, r: { from: Date; to: Date }) {
  const sees = viewer(username);
  const created = leads.filter((l) => sees(l, ['assigned_to_id', 'assigned_by_id']) && within(l.created_at, r));
  const converted = created.filter((l) => l.status === 'converted').length;
  const closed = deals.filter((d) => sees(d, ['assigned_to_id', 'supervisor_id']) && d.expected_close_date && within(new Date(`${d.expected_close_date}T00:00:00Z`), r));
  const won = closed.filter((d) => d.probability === 100).length;
  const lost = closed.filter((d) => d.probability === 0).length;
  return { leads_created: created.length, lead_conversion_rate: rate(converted, created.length), deals_won: won, win_rate: rate(won, won + lost) };
}

/** A headline query as the page's user, through the API the page calls. */
const api = (page: Page, path: string) => page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).json(), path);
const params = (r: { from: Date; to: Date }) => `from=${r.from.toISOString()}&to=${r.to.toISOString()}`;

async function openDashboard(page: Page) {
  await openPage(page, '/admin/pages/Analytics', '[data-testid="dashboard-scope"]');
  await settled(page);
}

describe('dashboards', { timeout: BROWSER_TEST_TIMEOUT * 2 }, () => {
  it('a Director sees every chart drawn with ticks, a legend beside the plot and a tooltip', async () => {
    const page = await web.loginAs('acme', 'director');
    await openDashboard(page);
    for (const name of ['trends', 'sessions', 'top-events', 'top-pages', 'funnel', 'pipeline', 'lead-conversion', 'activities']) {
      const l = await expectReadable(page, name);
      const horizontal = ['top-events', 'top-pages', 'pipeline', 'lead-conversion', 'activities'].includes(name);
      const i = l.points.findIndex((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (horizontal ? p.x > l.area.left + 4 : p.y < l.area.bottom - 4));
      expect(i, `${name}: a bar or point to hover`).toBeGreaterThanOrEqual(0);
      expect(await tooltipAt(page, name, i, horizontal ? -3 : 0, horizontal ? 0 : 3), `${name}: tooltip`).not.toBe('');
    }
    // Dates in the viewer's locale (en-US here), not ISO timestamps; money in the tenant's currency.
    const trends = await layoutOf(page, 'trends');
    for (const tick of trends.scales.x!.ticks) expect(tick).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);
    expect(trends.legend).not.toBeNull();
    expect((await layoutOf(page, 'pipeline')).scales.x!.ticks.some((t) => t.startsWith('$'))).toBe(true);
    expect(await tooltipAt(page, 'trends', 3)).toMatch(/^[A-Z][a-z]{2} \d{1,2}\n/);
    // Rates as percentages with their definition.
    expect(await page.locator('[data-testid="conversion-rate"]').innerText()).toMatch(/^Conversion rate \d+(\.\d)?% \(leads converted \/ leads created\)/);
    // Retention: a row per cohort, +N columns, no cell wrapped onto a second line.
    const cohorts = page.locator('[data-testid="chart-cohorts"]');
    expect(await cohorts.locator('th').allInnerTexts()).toEqual(expect.arrayContaining(['Users', '+0', '+1', '+4']));
    const heights = await cohorts.locator('td').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(44);
    await shotWhole(page, 'director-1440', shot);
    // A tooltip as the Director sees it: the stage, its value in the tenant's currency, its deals.
    const pipeline = await layoutOf(page, 'pipeline');
    const bar = pipeline.points.findIndex((p) => Number.isFinite(p.x) && p.x > pipeline.area.left + 4);
    expect(await tooltipAt(page, 'pipeline', bar, -3)).toMatch(/^.+\nvalue \(USD\): \$[\d,]+\ndeals: \d+\nweighted by probability: \$[\d,]+$/);
    await page.locator('[data-testid="dashboard-pipeline"]').screenshot({ path: await shot(page, 'pipeline-tooltip') });
    expectHealthy(page);
  });

  it('the headline figures and their previous period equal the rows counted here; a new range changes them', async () => {
    const page = await web.loginAs('acme', 'director');
    await openDashboard(page);
    for (const days of [30, 7]) {
      const r = rangeOf(days);
      if (days !== 30) {
        await page.click(`[data-testid="range-${days}"]`);
        await settled(page);
      }
      const expected = { ...eventFigures('director', r), ...crmFigures('director', r) };
      const previous = { ...eventFigures('director', previousOf(r)), ...crmFigures('director', previousOf(r)) };
      const got = Object.fromEntries(
        [...(await api(page, `/api/analytics/event-headlines?${params(r)}`)).rows, ...(await api(page, `/api/analytics/headlines?${params(r)}`)).rows].map((x: Row) => [x.figure, x]),
      );
      for (const [figure, value] of Object.entries(expected)) {
        const p = previous[figure as keyof typeof previous];
        expect(got[figure], `${days} days: ${figure}`).toMatchObject({ value, previous: p, change_percent: change(value, p) });
      }
      expect(expected.events).toBeGreaterThan(0);
      // The page shows the same numbers.
      expect((await figureText(page, 'event-headlines', 'events')).replace(/,/g, '')).toBe(String(expected.events));
      expect(await figureText(page, 'event-headlines', 'events', 'previous')).toBe(`previous: ${previous.events.toLocaleString('en-US')}`);
      const c = change(expected.events, previous.events);
      if (c !== null) expect(await figureText(page, 'event-headlines', 'events', 'change')).toContain(`${Math.abs(c).toLocaleString('en-US')} %`);
    }
    expect(eventFigures('director', rangeOf(7)).events).not.toBe(eventFigures('director', rangeOf(30)).events);
    await shotWhole(page, 'director-7-days', shot);
  });

  it('a pipeline stage opens the deals list with as many deals as its bar; a cohort opens its users', async () => {
    const page = await web.loginAs('acme', 'director');
    await openDashboard(page);
    const r = rangeOf(30);
    const rows = (await api(page, `/api/analytics/pipeline?${params(r)}`)).rows.filter((x: Row) => x.stage_id !== null);
    const first = rows.filter((x: Row) => x.pipeline_id === rows[0].pipeline_id);
    const i = first.findIndex((x: Row) => x.deals > 0);
    expect(i).toBeGreaterThanOrEqual(0);
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin/resources/deals'), clickAt(page, 'pipeline', i, -3)]);
    expect(new URL(page.url()).searchParams.get('filters.stage_id')).toBe(String(first[i].stage_id));
    await page.locator('table tbody tr').first().waitFor();
    const listed = await api(page, `/admin/api/resources/deals/actions/list${new URL(page.url()).search}`);
    expect(listed.meta.total).toBe(first[i].deals);
    expect(await page.locator('table tbody tr').count()).toBe(Math.min(first[i].deals, listed.meta.perPage));
    await shot(page, 'deals-of-stage');

    await openDashboard(page);
    await page.locator('[data-testid="cohort-open"]').first().click();
    await visible(page.locator('[data-testid="cohort-users"] a'));
    const cohortUsers = await page.locator('[data-testid="chart-cohorts"] tbody tr').first().locator('td').nth(1).innerText();
    expect(await page.locator('[data-testid="cohort-users"] a, [data-testid="cohort-users"] span').count()).toBe(Number(cohortUsers.replace(/,/g, '')));

    // A top event opens the events list filtered to it.
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin/resources/events'), clickAt(page, 'top-events', 0, -3)]);
    expect(new URL(page.url()).searchParams.get('filters.event_name~~equals')).toBeTruthy();
    expectHealthy(page);
  });

  it('is usable at 390 px', async () => {
    const page = await web.loginAs('acme', 'director');
    await page.setViewportSize({ width: 390, height: 844 });
    await openDashboard(page);
    for (const name of ['trends', 'pipeline', 'activities']) await expectReadable(page, name);
    // Nothing wider than the screen, except the cohort table inside its own scrolling box.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shotWhole(page, 'director-390', shot);
  });

  it('a Sales Manager sees their team\'s figures', async () => {
    const page = await web.loginAs('acme', 'manager');
    await openDashboard(page);
    expect(await page.locator('h2').first().innerText()).toBe('Team dashboard');
    expect(await page.locator('[data-testid="dashboard-trends"]').count()).toBe(0);
    const r = rangeOf(30);
    const got = Object.fromEntries((await api(page, `/api/analytics/headlines?${params(r)}`)).rows.map((x: Row) => [x.figure, x.value]));
    expect(got).toMatchObject(crmFigures('manager', r));
    expect(crmFigures('manager', r).leads_created).toBeLessThan(crmFigures('director', r).leads_created);
    expect((await figureText(page, 'headlines', 'leads_created')).replace(/,/g, '')).toBe(String(got.leads_created));
    const sees = viewer('manager');
    const team = deals.filter((d) => sees(d, ['assigned_to_id', 'supervisor_id']) && within(d.created_at, r)).length;
    const pipeline = (await api(page, `/api/analytics/pipeline?${params(r)}`)).rows.reduce((s: number, x: Row) => s + x.deals, 0);
    expect(pipeline).toBe(team);
    await expectReadable(page, 'pipeline');
    await shotWhole(page, 'manager-1440', shot);
    await page.setViewportSize({ width: 390, height: 844 });
    await shotWhole(page, 'manager-390', shot);
    expectHealthy(page);
  });

  it('an Agent has no analytics page and gets 403 from the analytics API', async () => {
    const page = await web.loginAs('acme', 'agent');
    const labels = (await sidebarLinks(page)).map((l) => l.label);
    expect(labels).not.toContain('Analytics');
    expect(labels).not.toContain('Events');
    const status = await page.evaluate(async () => (await fetch('/api/analytics/trends', { credentials: 'same-origin' })).status);
    expect(status).toBe(403);
    await shot(page, 'agent-sidebar');
  });
});

void DEMO_BASE_DATE;
