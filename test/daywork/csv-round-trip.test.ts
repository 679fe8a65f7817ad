// CSV that round-trips: the Export button takes the list's filters and sort; what an export wrote imports again
// (system columns ignored); headers by label or name; references by title; a mapping step for headers that name
// no column; the problems column readable.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../domain/csv/format';
import { seedDemo } from '../../scripts/demo-data';
import { actionButton, BROWSER_TEST_TIMEOUT, problemsOf, expectHealthy, openPage, resourcePath, shot, useBrowser, visible } from '../browser/helpers';
import { useTestDatabase } from '../harness';
import { Browser } from '../http/client';
import { demoTenant } from '../security/helpers';

const db = useTestDatabase();
const web = useBrowser(db);
let api: Browser;
let acme: number;

beforeAll(async () => {
  await seedDemo(db);
  acme = (await demoTenant(db, 'acme')).id;
  api = new Browser(web.base);
  expect((await api.login('acme', 'admin')).status).toBe(200);
});

const upload = async (resource: string, csv: string, query = '') => {
  const res = await fetch(`${web.base}/api/${resource}/import${query}`, { method: 'POST', headers: { cookie: api.cookie, 'content-type': 'text/csv' }, body: csv });
  return { status: res.status, body: (await res.json()) as any };
};

describe('CSV round trip', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('an export imports again as it is: system columns ignored', async () => {
    const res = await fetch(`${web.base}/api/deals/export.csv?sortBy=title&direction=asc`, { headers: { cookie: api.cookie } });
    const csv = await res.text();
    const exported = parseCsv(csv);
    expect(exported[0]!.cells).toEqual(expect.arrayContaining(['id', 'tenant_id', 'created_at']));
    const back = await upload('deals', csv, '?dryRun=1');
    expect(back.status, JSON.stringify(back.body).slice(0, 500)).toBe(200);
    expect(back.body.invalid).toBe(0);
    expect(back.body.total).toBe(exported.length - 1);
    expect(back.body.ignored).toEqual(expect.arrayContaining(['id', 'tenant_id', 'created_at']));
  });

  it('takes headers by label or name, and references by title', async () => {
    const northwind = (await db.pool.query(`SELECT id FROM companies WHERE tenant_id = $1 AND name = 'Northwind Traders'`, [acme])).rows[0].id;
    const res = await upload('contacts', 'First name,last_name,Email,Company\r\nIda,Lund,ida.lund@example.com,northwind traders\r\n');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stored = (await db.pool.query(`SELECT first_name, company_id FROM contacts WHERE id = $1`, [res.body.ids[0]])).rows[0];
    expect(stored).toEqual({ first_name: 'Ida', company_id: northwind });
    const unknown = await upload('contacts', 'First name,Last name,Email,Company\r\nIda,Lund,ida2@example.com,No Such Company\r\n', '?dryRun=1');
    expect(unknown.body.rows[0].errors.company_id).toMatch(/no companies titled "No Such Company"/);
  });

  it('maps a header that names no column, or leaves it out', async () => {
    const csv = 'Vorname,Nachname,Email,Notiz\r\nUte,Berg,ute.berg@example.com,x\r\n';
    const refused = await upload('contacts', csv, '?dryRun=1');
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.fields)).toEqual(['Vorname', 'Nachname', 'Notiz']);
    const mapping = encodeURIComponent(JSON.stringify({ Vorname: 'first_name', Nachname: 'Last name', Notiz: null }));
    const mapped = await upload('contacts', csv, `?dryRun=1&mapping=${mapping}`);
    expect(mapped.status).toBe(200);
    expect(mapped.body.rows[0].values).toMatchObject({ first_name: 'Ute', last_name: 'Berg' });
    expect(mapped.body.ignored).toEqual(['Notiz']);
  });

  it('the Export button downloads the list as filtered and sorted on screen', async () => {
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, `${resourcePath('contacts')}?filters.last_name=a&sortBy=last_name&direction=asc`, 'table tbody tr');
    const onScreen = await page.locator('table tbody tr').count();
    await actionButton(page, 'contacts', 'exportCsv').click();
    const link = page.locator('[data-testid="csv-download"]');
    await visible(link);
    const href = (await link.getAttribute('href'))!;
    expect(href).toContain('filters%5Blast_name%5D=a');
    expect(href).toContain('sortBy=last_name');
    await visible(page.getByText(/last_name = a/));
    await shot(page, 'export');
    const csv = await (await page.request.get(href)).text();
    const rows = parseCsv(csv).slice(1).filter((r) => r.cells.length > 1);
    const lastName = parseCsv(csv)[0]!.cells.indexOf('last_name');
    const expected = (await db.pool.query(`SELECT last_name FROM contacts WHERE tenant_id = $1 AND last_name ILIKE '%a%' ORDER BY last_name, id`, [acme])).rows.map((r) => r.last_name);
    expect(rows.map((r) => r.cells[lastName])).toEqual(expected);
    expect(rows.length).toBeGreaterThanOrEqual(onScreen > 10 ? 10 : onScreen);
    expectHealthy(page);
  });

  it('the import screen asks which field an unknown column fills, and shows problems readably', async () => {
    const file = join(tmpdir(), `contacts-${process.pid}.csv`);
    writeFileSync(file, 'Vorname,Last name,Email\r\nUte,Berg,not-an-email\r\n');
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, resourcePath('contacts', 'importCsv'), '[data-testid="csv-file"]');
    await page.setInputFiles('[data-testid="csv-file"]', file);
    await visible(page.locator('[data-testid="csv-mapping"]'));
    await page.locator('#csv-map-Vorname').click();
    await page.getByRole('option', { name: 'First name', exact: true }).click();
    await shot(page, 'mapping');
    await page.click('[data-testid="csv-map-apply"]');
    const problems = page.locator('[data-testid="csv-problems"]').first();
    await visible(problems);
    expect(await problems.innerText()).toMatch(/email address/);
    const box = (await problems.boundingBox())!;
    expect(box.width).toBeGreaterThan(200); // not one letter per line
    expect(box.height).toBeLessThan(120);
    await shot(page, 'preview');
    // (The first check's 400, the header naming no column, is what opens the mapping step.)
    expect(problemsOf(page).errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
