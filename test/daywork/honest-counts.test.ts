// A list's total is true: exact up to 10,000, then "10,000+" — never the planner's estimate (1M deals showed as
// "493,217"). Checked on a table of known size: 30,000 companies added to the demo tenant.
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { AdminClient } from '../admin/client';
import { expectHealthy, openPage, resourcePath, shot, useBrowser, visible, BROWSER_TEST_TIMEOUT } from '../browser/helpers';
import { useTestDatabase } from '../harness';
import { Browser } from '../http/client';
import { demoTenant } from '../security/helpers';

const db = useTestDatabase();
const web = useBrowser(db);
let demoCompanies = 0;

beforeAll(async () => {
  await seedDemo(db);
  const acme = (await demoTenant(db, 'acme')).id;
  demoCompanies = (await db.pool.query(`SELECT count(*)::int AS n FROM companies WHERE tenant_id = $1`, [acme])).rows[0].n;
  await db.pool.query(`INSERT INTO companies (name, tenant_id) SELECT 'Bulk ' || g, $1 FROM generate_series(1, 30000) g`, [acme]);
  await db.pool.query(`ANALYZE companies`);
}, 120_000);

describe('list totals', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('are exact below 10,000 and "more than 10,000" above, on the JSON API and in AdminJS', async () => {
    const api = new Browser(web.base);
    expect((await api.login('acme', 'admin')).status).toBe(200);
    const all = await api.call('GET', '/api/companies?perPage=1');
    expect(all.body.total).toBe(10_001); // 30,000 + demo companies: more than 10,000, said as such
    expect(all.body.totalExact).toBe(false);
    const few = await api.call('GET', `/api/companies?perPage=1&q=${encodeURIComponent('Bulk 2999')}`);
    expect(few.body.total).toBe(11); // Bulk 2999, Bulk 29990..29999
    expect(few.body.totalExact).toBe(true);
    const demo = await api.call('GET', `/api/companies?perPage=1&q=${encodeURIComponent('a')}`);
    expect(demo.body.totalExact).toBe(demo.body.total <= 10_000);

    const admin = new AdminClient(web.base);
    expect((await admin.login('acme', 'admin')).status).toBe(302);
    const list = await admin.get('/resources/companies/actions/list');
    expect(list.body.meta.total).toBe(10_001);
    expect(demoCompanies).toBeGreaterThan(0);
  });

  it('the list header says "10,000+" for 30,000 rows, and the exact figure for a filtered list', async () => {
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, resourcePath('companies'), 'table tbody tr');
    const header = page.locator('[data-css="companies-list-header"], h2').first();
    await visible(page.getByText('10,000+', { exact: true }));
    await shot(page, 'companies-list');
    await openPage(page, `${resourcePath('companies')}?filters.name=${encodeURIComponent('Bulk 2999')}`, 'table tbody tr');
    await visible(page.getByText('11', { exact: true }));
    expect(await header.innerText()).not.toMatch(/\d{5}/);
    expectHealthy(page);
  });
});
