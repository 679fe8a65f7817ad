// The back office in a real browser (Debian's Chromium): sign-in through the form, the menus each role gets,
// a contact created, edited and deleted through AdminJS's forms, a product's JSON specifications edited
// (valid and invalid), a wrong password. Each step is checked in the database and photographed into
// test-artifacts/.
import { beforeAll, describe, expect, it } from 'vitest';
import { actionButton, atPath, BROWSER_TEST_TIMEOUT, confirmAction, expectHealthy, field, fillField, login, notice, openForm, openPage, resourcePath, save, selectOption, shot, sidebarLinks, useDemoBrowser, visible } from './helpers';

const demo = useDemoBrowser();
const { db, web } = demo;

const userId = async (username: string) =>
  (await db.pool.query(`SELECT id FROM users WHERE tenant_id = $1 AND username = $2`, [demo.acme, username])).rows[0].id as number;

/** Resources only some roles reach: the AI assistants, the event stream, the audit log. */
const PRIVILEGED = ['Assistants', 'Assistant Documents', 'Events', 'Audit Log'];

describe('sign-in and menus', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('an Agent signs in through the form and sees only the menus of the role', async () => {
    const page = await web.loginAs('acme', 'agent');
    const links = await sidebarLinks(page);
    await shot(page, 'sidebar');
    const labels = links.map((l) => l.label);
    expect(labels).toEqual(expect.arrayContaining(['Contacts', 'Leads', 'Deals', 'Products']));
    for (const label of PRIVILEGED) expect(labels).not.toContain(label);
    const hrefs = links.map((l) => l.href);
    for (const resource of ['assistants', 'events', 'audit_log']) expect(hrefs).not.toContain(resourcePath(resource));
    expect(await page.locator('[data-css="logged-in"]').innerText()).toContain('agent@acme');
    expectHealthy(page);
  });

  it('an Admin signs in through the form and sees the AI assistants, events and audit log', async () => {
    const page = await web.loginAs('acme', 'admin');
    const links = await sidebarLinks(page);
    await shot(page, 'sidebar');
    const labels = links.map((l) => l.label);
    for (const label of ['Contacts', ...PRIVILEGED]) expect(labels).toContain(label);
    for (const resource of ['assistants', 'events', 'audit_log']) expect(links.map((l) => l.href)).toContain(resourcePath(resource));
    // A menu link works: the audit log's list opens.
    await page.locator(`[data-css="sidebar-resources"] a[href="${resourcePath('audit_log')}"]`).click();
    await atPath(page, resourcePath('audit_log'));
    await visible(page.locator('table tbody tr').or(page.getByText('No records')));
    await shot(page, 'audit-log');
    expectHealthy(page);
  });

  it('a wrong password keeps the login page and shows the error', async () => {
    const page = await web.newPage();
    await login(page, 'acme', 'agent', 'not-the-password');
    await visible(page.getByText('Wrong organization, username or password.'));
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await visible(page.locator('input[name="password"]'));
    await shot(page, 'error');
    // Still signed out: the back office sends the browser back to the login page.
    await page.goto('/admin/resources/contacts');
    await page.locator('input[name="tenant"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });
});

describe('records through the forms', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('an Agent creates, edits and deletes a contact', async () => {
    const page = await web.loginAs('acme', 'agent');
    const agent = await userId('agent');
    const email = 'grace.hopper@browser.example';
    const contact = () => db.pool.query(`SELECT * FROM contacts WHERE tenant_id = $1 AND email = $2`, [demo.acme, email]);

    // Create: the list's "Create new" button, the form, Save; AdminJS goes back to the list.
    await openPage(page, resourcePath('contacts'), 'table tbody tr');
    await actionButton(page, 'contacts', 'new').click();
    await visible(page.locator('[data-testid="button-save"]'));
    await fillField(page, 'first_name', 'Grace');
    await fillField(page, 'last_name', 'Hopper');
    await fillField(page, 'email', email);
    await fillField(page, 'phone', '+1 555 0100');
    await selectOption(page, 'status', 'active');
    await shot(page, 'new-form');
    const created = await save(page);
    expect(created.record?.errors).toEqual({});
    await atPath(page, resourcePath('contacts'));
    await notice(page, /created/i);
    await visible(page.locator('table tbody tr', { hasText: email }));
    await shot(page, 'created');
    let row = (await contact()).rows[0];
    expect(row).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', phone: '+1 555 0100', status: 'active' });
    expect(row.assigned_to_id ?? agent).toBe(agent); // the agent's own record (or nobody's)
    const id = row.id as number;

    // Edit: the row opens the record, its Edit button the form.
    await page.locator('table tbody tr', { hasText: email }).locator('td[data-property-name="__title"]').click();
    await atPath(page, resourcePath('contacts', 'show', id));
    await actionButton(page, 'contacts', 'edit').click();
    await atPath(page, resourcePath('contacts', 'edit', id));
    await visible(page.locator('[data-testid="button-save"]'));
    expect(await field(page, 'first_name').locator('input').inputValue()).toBe('Grace');
    await fillField(page, 'last_name', 'Brewster Hopper');
    await fillField(page, 'job_title', 'Rear Admiral');
    await selectOption(page, 'status', 'inactive');
    await shot(page, 'edit-form');
    const edited = await save(page);
    expect(edited.record?.errors).toEqual({});
    await notice(page, /updated/i);
    row = (await contact()).rows[0];
    expect(row).toMatchObject({ id, first_name: 'Grace', last_name: 'Brewster Hopper', job_title: 'Rear Admiral', status: 'inactive' });
    await openPage(page, resourcePath('contacts', 'show', id), 'text=Rear Admiral');
    await shot(page, 'edited');

    // Delete: the record's Delete button and the confirmation dialog; back to the list.
    const deleted = await confirmAction(page, 'contacts', 'delete');
    expect(deleted.notice?.type).toBe('success');
    await atPath(page, resourcePath('contacts'));
    await notice(page, /deleted/i);
    await visible(page.locator('table tbody tr').first());
    expect(await page.locator('table tbody tr', { hasText: email }).count()).toBe(0);
    await shot(page, 'deleted');
    expect((await contact()).rowCount).toBe(0);
    expectHealthy(page);
  });

  it("an Admin edits a product's JSON specifications: valid JSON is saved, invalid JSON is refused on the field", async () => {
    const product = (
      await db.pool.query(`SELECT id, name, specifications FROM products WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [demo.acme])
    ).rows[0] as { id: number; name: string; specifications: unknown };
    const stored = () =>
      db.pool
        .query(`SELECT specifications, jsonb_typeof(specifications) AS type, name FROM products WHERE id = $1`, [product.id])
        .then((r) => r.rows[0]);
    const page = await web.loginAs('acme', 'admin');

    // Valid JSON: saved as a jsonb object (not a string), shown on the record.
    await openForm(page, 'products', product.id);
    await visible(field(page, 'specifications').locator('textarea'));
    const valid = { voltage: '20V', weight_kg: 1.8, batteries: 2, tags: ['cordless', 'brushless'] };
    await fillField(page, 'specifications', JSON.stringify(valid, null, 2));
    await shot(page, 'valid-json');
    const saved = await save(page);
    expect(saved.record?.errors).toEqual({});
    await notice(page, /updated/i);
    expect(await stored()).toEqual({ specifications: valid, type: 'object', name: product.name });
    const shown = page.locator('[data-testid="property-show-specifications"]');
    await openPage(page, resourcePath('products', 'show', product.id), '[data-testid="property-show-specifications"]');
    const text = await shown.innerText();
    for (const part of ['"voltage": "20V"', '"weight_kg": 1.8', '"brushless"']) expect(text).toContain(part);
    await shown.scrollIntoViewIfNeeded();
    await shot(page, 'saved');

    // Invalid JSON: the field says so, nothing is written (not even the other field changed with it).
    await openForm(page, 'products', product.id);
    await fillField(page, 'name', 'Must not be saved');
    await fillField(page, 'specifications', '{"voltage": "18V", broken');
    const refused = await save(page);
    expect(Object.keys(refused.record?.errors ?? {})).toContain('specifications');
    await expect.poll(() => field(page, 'specifications').innerText()).toMatch(/not valid JSON/i);
    expect(new URL(page.url()).pathname).toBe(resourcePath('products', 'edit', product.id));
    await shot(page, 'invalid-json');
    expect(await stored()).toEqual({ specifications: valid, type: 'object', name: product.name });
    expectHealthy(page); // the refusal is an answer on the field, not a failed request or a script error
  });
});

describe('list filters', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('a Manager filters deals by stage: the choices are asked for when the filter opens, and the stage is named after a reload', async () => {
    const page = await web.loginAs('acme', 'manager');
    const searches: string[] = [];
    page.on('request', (r) => void (/\/admin\/api\/resources\/[^/]+\/actions\/search\b/.test(new URL(r.url()).pathname) && searches.push(new URL(r.url()).pathname)));
    const rows = 'table tbody tr td[data-property-name="title"]';
    await openPage(page, resourcePath('deals'), rows);
    await page.locator('[data-css="deals-filter-button"]').click();
    const stage = page.locator('[data-testid="property-filter-stage_id"]');
    await visible(stage);
    expect(searches, 'searches before a filter was opened (AdminJS sent one per linked column)').toEqual([]);

    await stage.locator('input').click();
    const options = stage.locator('[id*="-option-"]');
    await visible(options);
    expect(searches).toEqual(['/admin/api/resources/sales_stages/actions/search']);
    const names = (await options.allInnerTexts()).map((t) => t.trim());
    const { rows: stages } = await db.pool.query(
      `SELECT p.title || ' · ' || s.title AS title FROM sales_stages s JOIN sales_pipelines p ON p.id = s.sale_pipeline_id WHERE s.tenant_id = $1`,
      [demo.acme],
    );
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) expect(stages.map((s) => s.title)).toContain(name); // "Pipeline · Stage", not ids
    await shot(page, 'choices');
    const chosen = names[1]!;
    await options.filter({ hasText: chosen }).first().click();
    await page.locator('[data-css="deals-filter-drawer-button-apply"]').click();
    await page.waitForURL(/filters\.stage_id=\d+/);
    await page.locator(rows).first().waitFor();
    const shownStages = (await page.locator('table tbody tr td[data-property-name="stage_id"]').allInnerTexts()).map((t) => t.trim());
    expect(shownStages.length).toBeGreaterThan(0);
    expect(new Set(shownStages)).toEqual(new Set([chosen]));

    // A reload (or a shared link) keeps the filter, and the box names the stage rather than standing empty.
    searches.length = 0;
    await page.reload();
    await page.locator(rows).first().waitFor();
    await page.locator('[data-css="deals-filter-button"]').click();
    await expect.poll(() => stage.innerText()).toContain(chosen);
    expect(searches).toEqual([]);
    // (the drawer slides in: photographed once it is all on the screen)
    await expect.poll(async () => { const box = await stage.boundingBox(); return box ? box.x + box.width : Infinity; }).toBeLessThanOrEqual(1440);
    await shot(page, 'reloaded');
    expectHealthy(page);
  });
});
