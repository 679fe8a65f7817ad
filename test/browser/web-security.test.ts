// In Chromium, with the app's Content-Security-Policy on: a name written to break out of AdminJS's inline
// state script (`</script><script>...`) shows as text and runs nothing, and the back office's pages (sign-in,
// a list, a record, Analytics) work with no CSP violation and no script error.
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateClickHouse } from '../../analytics/migrate';
import { seedDemo } from '../../scripts/demo-data';
import { useTestClickHouse, useTestDatabase } from '../harness';
import { BROWSER_TEST_TIMEOUT, expectHealthy, login, openPage, PAGE_TIMEOUT, shot, useBrowser, visible } from './helpers';
import type { Page } from 'playwright-core';

const db = useTestDatabase();
const ch = useTestClickHouse();
const web = useBrowser(db, () => ch.client);
const EVIL = '</script><script>window.__injected = 1; alert(1)</script>';
let contactId = 0;

beforeAll(async () => {
  await seedDemo(db);
  await migrateClickHouse(ch.client);
  const acme = (await db.pool.query("SELECT id FROM tenants WHERE subdomain = 'acme'")).rows[0].id;
  await db.pool.query(`UPDATE users SET first_name = $2, last_name = $3 WHERE tenant_id = $1 AND username = 'director'`, [acme, EVIL, '&\u2028<b>x</b>']);
  contactId = (await db.pool.query(`UPDATE contacts SET first_name = $2 WHERE id = (SELECT min(id) FROM contacts WHERE tenant_id = $1) RETURNING id`, [acme, EVIL])).rows[0].id;
});

/** A page that records every CSP violation and every dialog (an injected alert) from its first script on. */
async function watchedPage(): Promise<Page> {
  const page = await web.newPage();
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  page.on('dialog', (d) => {
    (page as any).__dialogs = ((page as any).__dialogs ?? 0) + 1;
    void d.dismiss();
  });
  return page;
}

const violations = (page: Page) => page.evaluate(() => (window as any).__violations as string[]);

describe('with the CSP on', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('a user named </script><script>… sees the name as text on every page; no injected script runs', async () => {
    const page = await watchedPage();
    await login(page, 'acme', 'director');
    await page.locator('[data-css="sidebar"]').waitFor({ timeout: PAGE_TIMEOUT });
    // The name is in the page's state (the top bar's user menu shows it), whole and as text.
    const state = await page.evaluate(() => (window as any).REDUX_STATE.session.title as string);
    expect(state).toBe(`${EVIL} &\u2028<b>x</b>`);
    await visible(page.getByText('</script><script>window.__injected', { exact: false }));
    await openPage(page, `/admin/resources/contacts/records/${contactId}/show`, '[data-css="contacts-show"], section');
    await visible(page.getByText('window.__injected = 1', { exact: false }));
    await shot(page, 'record-with-script-name');
    expect(await page.evaluate(() => (window as any).__injected)).toBeUndefined();
    expect((page as any).__dialogs ?? 0).toBe(0);
    expect(await violations(page)).toEqual([]);
    expectHealthy(page);
  });

  it('the sign-in page, a list, a record and Analytics work with no CSP violation', async () => {
    const page = await watchedPage();
    await page.goto('/admin/login');
    await page.locator('input[name="tenant"]').waitFor({ timeout: PAGE_TIMEOUT });
    await shot(page, 'login');
    expect(await violations(page)).toEqual([]);
    await login(page, 'acme', 'admin');
    await page.locator('[data-css="sidebar"]').waitFor({ timeout: PAGE_TIMEOUT });
    await openPage(page, '/admin/resources/contacts', 'table tbody tr');
    await shot(page, 'list');
    expect(await violations(page)).toEqual([]);
    await page.locator('table tbody tr').first().click();
    await page.waitForURL(/\/records\/\d+\/show/);
    await visible(page.getByText('History', { exact: false }));
    expect(await violations(page)).toEqual([]);
    await openPage(page, '/admin/pages/Analytics', '[data-testid="dashboard-trends"]');
    await shot(page, 'analytics');
    expect(await violations(page)).toEqual([]);
    expectHealthy(page);
  });
});
