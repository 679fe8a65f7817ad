// History and audit in words: field labels, referenced records by title ("Assigned to: A → B"), the actor by
// name (a link), a diff rather than raw JSON, the app's date format; the audit log links actor and record.
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { BROWSER_TEST_TIMEOUT, expectHealthy, openPage, resourcePath, shot, useBrowser, visible } from '../browser/helpers';
import { useTestDatabase } from '../harness';
import { Browser } from '../http/client';
import { demoTenant } from '../security/helpers';
import { resourceOf, titleText } from '../../domain/resources';

const db = useTestDatabase();
const web = useBrowser(db);
let lead: number;
/** The users as the spec titles them (domain/resources/users.ts), whatever that title is. */
let from: { id: number; name: string; title: string };
let to: { id: number; name: string; title: string };
let adminName = '';

beforeAll(async () => {
  await seedDemo(db);
  const acme = (await demoTenant(db, 'acme')).id;
  const user = async (username: string) => {
    const row = (await db.pool.query(`SELECT *, first_name || ' ' || last_name AS name FROM users WHERE tenant_id = $1 AND username = $2`, [acme, username])).rows[0];
    return { id: row.id, name: row.name, title: titleText(resourceOf('users')!, row) };
  };
  from = await user('agent');
  to = await user('agent2');
  adminName = (await user('admin')).name;
  const ws = (await db.pool.query(`SELECT workspace_id FROM users WHERE id = $1`, [from.id])).rows[0].workspace_id;
  lead = (await db.pool.query(`SELECT id FROM leads WHERE tenant_id = $1 AND workspace_id = $2 ORDER BY id LIMIT 1`, [acme, ws])).rows[0].id;
  const api = new Browser(web.base);
  expect((await api.login('acme', 'admin')).status).toBe(200);
  expect((await api.call('PATCH', `/api/leads/${lead}`, { assigned_to_id: from.id })).status).toBe(200);
  expect((await api.call('PATCH', `/api/leads/${lead}`, { assigned_to_id: to.id, notes: 'Called twice' })).status).toBe(200);
});

describe('history and audit in words', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('the history API names the actor and the referenced records', async () => {
    const api = new Browser(web.base);
    await api.login('acme', 'admin');
    const [latest] = (await api.call('GET', `/api/leads/${lead}/history`)).body;
    expect(latest.actor.name).toBe(adminName);
    expect(latest.titles.assigned_to_id).toEqual([from.title, to.title]);
  });

  it('a record page shows labels, titles, the actor by name and the app\'s date format', async () => {
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, resourcePath('leads', 'show', lead), '[data-testid="history-changes"]');
    const history = page.locator('[data-testid="record-history"]');
    await visible(history.getByText(`Assigned to: ${from.title} → ${to.title}`));
    await visible(history.getByText(/Notes: .*Called twice/));
    const who = history.getByRole('link', { name: adminName }).first();
    await visible(who);
    expect(await who.getAttribute('href')).toMatch(/^\/admin\/resources\/users\/records\/\d+\/show$/);
    const text = await history.innerText();
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).not.toMatch(/assigned_to_id|[{}]/);
    await history.scrollIntoViewIfNeeded();
    await shot(page, 'history');
    expectHealthy(page);
  });

  it('the audit log links each actor and record to their pages, and shows an entry as a diff', async () => {
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, `${resourcePath('audit_log')}?filters.resource=leads`, 'table tbody tr');
    const actor = page.locator('table tbody tr').first().getByRole('link', { name: adminName });
    await visible(actor);
    const record = page.locator('table tbody tr').first().locator(`a[href="/admin/resources/leads/records/${lead}/show"]`);
    await visible(record);
    await shot(page, 'audit-list');
    const id = (await db.pool.query(`SELECT id FROM audit_log WHERE resource = 'leads' AND record_id = $1 ORDER BY id DESC LIMIT 1`, [lead])).rows[0].id;
    await openPage(page, resourcePath('audit_log', 'show', id), '[data-testid="audit-changes"]');
    // References by their titles (fetched after the page shows), never the bare ids.
    await visible(page.locator('[data-testid="audit-changes"]').getByText(/Assigned to: [A-Z][a-z]+ [A-Z][a-z]+ → [A-Z][a-z]+ [A-Z][a-z]+/));
    const changes = await page.locator('[data-testid="audit-changes"]').innerText();
    expect(changes).not.toMatch(/Assigned to: #?\d+/);
    expect(changes).toMatch(/Notes: .*Called twice/);
    await shot(page, 'audit-entry');
    expectHealthy(page);
  });
});
