// The director dashboards in a real browser, on real ClickHouse: the demo events are shipped from the
// PostgreSQL outbox, then a Director sees the charts drawn; an Agent has no analytics page and a 403 from
// the analytics API.
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateClickHouse } from '../../analytics/migrate';
import { Shipper } from '../../analytics/shipper';
import { seedDemo } from '../../scripts/demo-data';
import { useTestClickHouse, useTestDatabase } from '../harness';
import { BROWSER_TEST_TIMEOUT, expectHealthy, openPage, shot, sidebarLinks, useBrowser, visible } from './helpers';

const db = useTestDatabase();
const ch = useTestClickHouse();
const web = useBrowser(db, () => ch.client);

beforeAll(async () => {
  await seedDemo(db);
  await migrateClickHouse(ch.client);
  const shipped = await new Shipper(db.pool, ch.client, { log: () => {} }).drain();
  expect(shipped).toBeGreaterThan(0);
});

describe('dashboards', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('a Director sees every chart drawn over the demo events', async () => {
    const page = await web.loginAs('acme', 'director');
    await openPage(page, '/admin/pages/Analytics', '[data-testid="dashboard-trends"]');
    await page.fill('#from', '2025-01-01');
    await visible(page.locator('[data-testid="dashboard-trends"] [data-testid="chart-line"] polyline'));
    await visible(page.locator('[data-testid="dashboard-top-events"] [data-testid="chart-bar"] rect'));
    await visible(page.locator('[data-testid="dashboard-funnel"] [data-testid="chart-bar"] rect'));
    await visible(page.locator('[data-testid="dashboard-retention"] [data-testid="chart-cohorts"]'));
    await visible(page.locator('[data-testid="dashboard-pipeline"] [data-testid="chart-bar"] rect'));
    expect(await page.locator('[data-testid="chart-loading"]').count()).toBe(0);
    // The top-events bars are the tenant's own counts, as ClickHouse has them.
    const top = (await ch.client.query({ query: `SELECT event, toUInt64(count()) AS c FROM events FINAL WHERE tenant_id = ${(await db.pool.query("SELECT id FROM tenants WHERE subdomain = 'acme'")).rows[0].id} GROUP BY event ORDER BY c DESC, event LIMIT 1`, format: 'JSONEachRow' }).then((r) => r.json<{ event: string }>()))[0]!;
    expect(await page.locator('[data-testid="dashboard-top-events"] svg text').first().textContent()).toBe(top.event);
    await shot(page, 'dashboards');
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
