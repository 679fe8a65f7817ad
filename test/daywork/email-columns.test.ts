// Email columns (schema rule isEmailColumn) refuse what is not an address, in the API, the back-office form and
// a CSV import, naming the field; the duplicate-email warning of the contact form links to the existing record.
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { AdminClient } from '../admin/client';
import { BROWSER_TEST_TIMEOUT, expectHealthy, fillField, openForm, shot, useBrowser, visible } from '../browser/helpers';
import { useTestDatabase } from '../harness';
import { Browser } from '../http/client';
import { demoTenant } from '../security/helpers';

const db = useTestDatabase();
const web = useBrowser(db);
let api: Browser;

beforeAll(async () => {
  await seedDemo(db);
  api = new Browser(web.base);
  expect((await api.login('acme', 'admin')).status).toBe(200);
});

describe('email columns', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('the API refuses "not-an-email" in contacts, leads, companies and users, naming the field', async () => {
    for (const [resource, body] of [
      ['contacts', { first_name: 'A', last_name: 'B', email: 'not-an-email' }],
      ['leads', { first_name: 'A', last_name: 'B', email: 'not-an-email' }],
      ['companies', { name: 'Bad Mail Ltd', email: 'not-an-email' }],
    ] as const) {
      const res = await api.call('POST', `/api/${resource}`, body);
      expect(res.status, resource).toBe(400);
      expect(res.body.fields.email).toMatch(/email address/);
    }
    const ok = await api.call('POST', '/api/contacts', { first_name: 'A', last_name: 'B', email: ' ann.b@example.com ' });
    expect(ok.status).toBe(201);
    expect(ok.body.email).toBe('ann.b@example.com');
  });

  it('the back-office form shows the message on the email field and saves nothing', async () => {
    const form = new AdminClient(web.base);
    expect((await form.login('acme', 'admin')).status).toBe(302);
    const res = await form.post('/resources/leads/actions/new', { first_name: 'No', last_name: 'Mail', email: 'not-an-email' });
    expect(res.body.record.errors.email.message).toMatch(/email address/);
    expect((await db.pool.query(`SELECT 1 FROM leads WHERE email = 'not-an-email'`)).rowCount).toBe(0);
  });

  it('an import refuses the row, naming the field', async () => {
    const res = await fetch(`${web.base}/api/contacts/import?dryRun=1`, {
      method: 'POST',
      headers: { cookie: api.cookie, 'content-type': 'text/csv' },
      body: 'first_name,last_name,email\r\nNo,Mail,not-an-email\r\n',
    });
    const report = (await res.json()) as any;
    expect(report.invalid).toBe(1);
    expect(report.rows[0].errors.email).toMatch(/email address/);
  });

  it('the duplicate warning links to the contact that has the address', async () => {
    const acme = await demoTenant(db, 'acme');
    const existing = (await db.pool.query(`SELECT id, email, first_name, last_name FROM contacts WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [acme.id])).rows[0];
    const page = await web.loginAs('acme', 'admin');
    await openForm(page, 'contacts');
    await fillField(page, 'email', existing.email);
    const warning = page.locator('[data-testid="duplicate-warning"]');
    await visible(warning);
    const link = warning.locator(`a[href="/admin/resources/contacts/records/${existing.id}/show"]`);
    await visible(link);
    expect(await link.innerText()).toContain(existing.first_name);
    await shot(page, 'duplicate-warning');
    expectHealthy(page);
  });
});
