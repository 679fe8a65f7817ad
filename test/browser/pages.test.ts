// What a person's browser fetches (admin/backoffice/frontend-assets.ts): a walk through sign-in, home, a list, a
// record, a form and Analytics asks no host but the app's own, and a warm reload of a list takes every script
// and style from the cache (hashed names, immutable), so it fetches only the page and its data.
// The context here is not the helpers' (which abort other hosts through page routing: Playwright turns the HTTP
// cache off for a routed context); the DevTools protocol watches every request instead.
import type { CDPSession, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { BROWSER_TEST_TIMEOUT, login, openPage, PAGE_TIMEOUT, shot, STEP_TIMEOUT, useBrowser } from './helpers';

const db = useTestDatabase();
const web = useBrowser(db);
beforeAll(() => seedDemo(db));

interface Fetched {
  url: string;
  type: string;
  /** Answered by the network (not the memory or disk cache). */
  network: boolean;
}

/** Every request the page makes, as the DevTools protocol reports it. */
async function watch(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map<string, Fetched>();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', network: true }));
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.network = false;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r && (e.response.fromDiskCache || e.response.fromPrefetchCache)) r.network = false;
  });
  return {
    all: () => [...requests.values()],
    clear: () => requests.clear(),
  };
}

it('the walk asks no other host, and a warm reload of a list fetches no script or style again', { timeout: BROWSER_TEST_TIMEOUT * 2 }, async () => {
  const context = await web.browser.newContext({ baseURL: web.base, viewport: { width: 1440, height: 900 } });
  try {
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(PAGE_TIMEOUT);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // (a failed request is reported as a console error too: listed below, by URL)
    page.on('console', (msg) => void (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text()) && errors.push(msg.text())));
    const failed: string[] = [];
    page.on('response', (res) => void (res.status() >= 400 && failed.push(`${res.status()} ${new URL(res.url()).pathname}`)));
    const requests = await watch(page);

    await login(page, 'acme', 'admin');
    await page.locator('[data-css="sidebar"]').waitFor({ timeout: PAGE_TIMEOUT });
    await shot(page, 'home');
    await openPage(page, '/admin/resources/deals', 'table tbody tr td[data-property-name="title"]');
    await shot(page, 'list');
    await page.locator('table tbody tr td[data-property-name="title"]').first().click();
    await page.waitForURL(/\/records\/\d+\/show/);
    await page.locator('[data-testid="property-show-title"]').waitFor();
    await shot(page, 'record');
    const id = /\/records\/(\d+)\/show/.exec(page.url())![1];
    await openPage(page, `/admin/resources/deals/records/${id}/edit`, '[data-testid="button-save"]');
    await shot(page, 'form');
    await openPage(page, '/admin/pages/Analytics', '[data-testid="dashboard-trends"]');
    await shot(page, 'analytics');

    const origin = new URL(web.base).origin;
    const seen = requests.all().filter((r) => /^(https?|wss?):/.test(r.url));
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.filter((r) => new URL(r.url).origin !== origin).map((r) => r.url), 'requests to other hosts').toEqual([]);
    // The scripts the walk loaded: AdminJS's four, hashed, each fetched once for the whole walk.
    const scripts = seen.filter((r) => r.type === 'Script' && r.network).map((r) => new URL(r.url).pathname);
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const s of scripts) expect(s).toMatch(/^\/admin\/frontend\/assets\/[a-z-]+\.bundle\.[0-9a-f]{12}\.js$/);
    expect(new Set(scripts).size, 'each script fetched once').toBe(scripts.length);

    // Warm: the list again, reloaded.
    await openPage(page, '/admin/resources/deals', 'table tbody tr td[data-property-name="title"]');
    requests.clear();
    await page.reload();
    await page.locator('table tbody tr td[data-property-name="title"]').first().waitFor({ timeout: PAGE_TIMEOUT });
    await shot(page, 'list-warm');
    const warm = requests.all();
    expect(warm.filter((r) => r.type === 'Script' || r.type === 'Stylesheet').length, 'the reload loaded its scripts').toBeGreaterThanOrEqual(4);
    expect(warm.filter((r) => (r.type === 'Script' || r.type === 'Stylesheet') && r.network).map((r) => r.url), 'scripts and styles from the network').toEqual([]);
    // What it did fetch: the page and its data.
    expect(warm.filter((r) => r.network).map((r) => new URL(r.url).pathname)).toEqual(expect.arrayContaining(['/admin/resources/deals', '/admin/api/resources/deals/actions/list']));
    expect(errors, 'script errors in the pages').toEqual([]);
    // (This app has no ClickHouse: Analytics' figures answer 503, as its own page says.)
    expect(failed.filter((f) => !/^503 \/api\/analytics\//.test(f)), 'failed requests').toEqual([]);
  } finally {
    await context.close();
  }
});
