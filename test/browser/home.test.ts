// The home page in Chromium, as agent and director: it shows the role's figures, and a click on one opens
// the list of the records it counts, with as many records as the figure says.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { BROWSER_TEST_TIMEOUT, expectHealthy, shot, useBrowser } from './helpers';

const db = useTestDatabase();
const web = useBrowser(db);
beforeAll(() => seedDemo(db));

const api = (page: Page, path: string) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);

async function clickFirstNonZero(page: Page, section: string) {
  const figures = page.locator(`[data-testid="home-${section}"] [data-testid="home-figure"]`);
  await figures.first().waitFor();
  for (const f of await figures.all()) {
    const count = Number((await f.locator('[data-testid="home-count"]').innerText()).replace(/,/g, ''));
    if (count === 0) continue;
    const label = await f.innerText();
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/admin/resources/')), f.click()]);
    await page.locator('table tbody tr').first().waitFor();
    const listed = await api(page, `/admin/api/resources/${new URL(page.url()).pathname.split('/')[3]}/actions/list${new URL(page.url()).search}`);
    expect(listed.meta.total, label).toBe(count);
    expect(await page.locator('table tbody tr').count()).toBe(Math.min(count, listed.meta.perPage));
    return count;
  }
  throw new Error(`no figure above zero in ${section}`);
}

describe('the home page', { timeout: BROWSER_TEST_TIMEOUT * 2 }, () => {
  it('shows an agent their open deals, activities and new leads; a figure opens its list', async () => {
    const page = await web.loginAs('acme', 'agent');
    await page.locator('[data-testid="home-open-deals"] [data-testid="home-figure"]').first().waitFor();
    expect(await page.locator('[data-testid="dashboard"]').innerText()).not.toMatch(/Level \d/);
    for (const s of ['open-deals', 'activities', 'leads']) expect(await page.locator(`[data-testid="home-${s}"]`).count(), s).toBe(1);
    await shot(page, 'agent-home');
    expectHealthy(page);
    await clickFirstNonZero(page, 'open-deals');
    await shot(page, 'agent-open-deals');
    expectHealthy(page);
  });

  it('shows a director the pipeline by stage, deals won and new leads; a stage opens its deals', async () => {
    const page = await web.loginAs('acme', 'director');
    await page.locator('[data-testid="home-open-pipeline-by-stage"] [data-testid="home-figure"]').first().waitFor();
    for (const s of ['deals-won-by-close-date', 'leads']) expect(await page.locator(`[data-testid="home-${s}"]`).count(), s).toBe(1);
    expect(await page.locator('[data-testid="dashboard-analytics-link"] a').getAttribute('href')).toBe('/admin/pages/Analytics');
    await shot(page, 'director-home');
    await clickFirstNonZero(page, 'open-pipeline-by-stage');
    await shot(page, 'director-stage-deals');
    expectHealthy(page);
  });
});
