// The back office's own screens in a real browser: the roles x permissions matrix, converting a lead,
// moving a deal on the board, and asking the Epesi Agent. Each step is checked in the database.
import { beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, expectHealthy, openPage, shot, useDemoBrowser, visible } from './helpers';

const demo = useDemoBrowser();
const { db, web, one } = demo;


describe('CRM screens', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it("an Admin grants a permission in the roles matrix, and can't grant one above their level", async () => {
    const role = await one(`SELECT id, permissions FROM roles WHERE tenant_id = $1 AND name = 'Agent'`, [demo.acme]);
    expect(role.permissions).not.toContain('export_data');
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, '/admin/pages/Roles%20and%20permissions', '[data-testid="roles-matrix"]');
    const box = page.locator(`[id="perm-${role.id}-export_data"]`);
    await box.locator('xpath=..').click();
    await visible(page.getByText('Agent: export_data granted'));
    await shot(page, 'granted');
    expect((await one('SELECT permissions FROM roles WHERE id = $1', [role.id])).permissions).toContain('export_data');

    // The Workspace Admin role (level 6) is above the Admin: the change is refused and nothing is written.
    const top = await one(`SELECT id, permissions FROM roles WHERE tenant_id = $1 AND level = 6`, [demo.acme]);
    await page.locator(`[id="perm-${top.id}-view_reports"]`).locator('xpath=..').click();
    await visible(page.getByText(/Workspace Admin: You may not/));
    await shot(page, 'refused');
    expect((await one('SELECT permissions FROM roles WHERE id = $1', [top.id])).permissions).toEqual(top.permissions);
  });

  it('an Agent converts their lead into a contact, a company and a deal in the first stage', async () => {
    const agent = await one(`SELECT id FROM users WHERE tenant_id = $1 AND username = 'agent'`, [demo.acme]);
    const lead = await one(
      `INSERT INTO leads (first_name, last_name, email, company, assigned_to_id, tenant_id) VALUES ('Ada', 'Byron', 'ada@analytical.example', 'Analytical Engines Ltd', $1, $2) RETURNING id`,
      [agent.id, demo.acme],
    );
    const page = await web.loginAs('acme', 'agent');
    await openPage(page, `/admin/resources/leads/records/${lead.id}/convert`, '[data-testid="convert-lead"]');
    await page.fill('#deal-value', '12500');
    await shot(page, 'form');
    await page.click('[data-testid="convert-lead"]');
    await visible(page.locator('[data-testid="conversion-result"]'));
    await shot(page, 'converted');
    expect((await one('SELECT status FROM leads WHERE id = $1', [lead.id])).status).toBe('converted');
    const contact = await one(`SELECT id, company_id, assigned_to_id FROM contacts WHERE tenant_id = $1 AND email = 'ada@analytical.example'`, [demo.acme]);
    expect(contact.assigned_to_id).toBe(agent.id);
    expect((await one('SELECT name FROM companies WHERE id = $1', [contact.company_id])).name).toBe('Analytical Engines Ltd');
    const deal = await one(
      `SELECT d.value, s."order", s.id = (SELECT id FROM sales_stages x WHERE x.sale_pipeline_id = s.sale_pipeline_id ORDER BY x."order" LIMIT 1) AS first
       FROM deals d JOIN sales_stages s ON s.id = d.stage_id WHERE d.contact_id = $1`,
      [contact.id],
    );
    expect(deal).toMatchObject({ value: '12500.00', first: true });
    expectHealthy(page);
  });

  it('a Director drags a deal to another stage on the board', async () => {
    const page = await web.loginAs('acme', 'director');
    await openPage(page, '/admin/pages/Deal%20board', '[data-testid="deal-board"]');
    const columns = page.locator('[data-testid^="stage-"]');
    const from = columns.nth(0);
    const to = columns.nth(1);
    const card = from.locator('[data-testid^="deal-"]').first();
    const dealId = Number((await card.getAttribute('data-testid'))!.slice('deal-'.length));
    const stageId = Number((await to.getAttribute('data-testid'))!.slice('stage-'.length));
    // Drop near the column's head: its centre can be below the fold, and the scroll Playwright makes to reach it
    // would happen after the mouse went down, so the drag would start on whichever card then lies under it.
    await card.dragTo(to, { targetPosition: { x: 40, y: 20 } });
    await visible(page.getByText(/moved to/));
    await visible(to.locator(`[data-testid="deal-${dealId}"]`));
    await shot(page, 'moved');
    expect((await one('SELECT stage_id FROM deals WHERE id = $1', [dealId])).stage_id).toBe(stageId);
    expectHealthy(page);
  });

  it('the Epesi Agent answers an Agent from their own deals only', async () => {
    const page = await web.loginAs('acme', 'agent');
    await page.click('[data-testid="agent-open"]');
    await page.fill('[data-testid="agent-question"]', 'my open deals this month');
    await page.keyboard.press('Enter');
    await visible(page.locator('[data-testid="agent-assistant"]'));
    await shot(page, 'answer');
    const answer = await page.locator('[data-testid="agent-assistant"]').innerText();
    expect(answer).not.toMatch(/^Sorry/);
    // Only the agent's own deals may be named: no deal title owned by someone else appears.
    const others = (
      await db.pool.query(
        `SELECT title FROM deals d JOIN users u ON u.id = d.assigned_to_id WHERE d.tenant_id = $1 AND u.username <> 'agent'
         AND (d.supervisor_id IS NULL OR d.supervisor_id <> u.id) AND d.title NOT IN
           (SELECT title FROM deals x JOIN users y ON y.id = x.assigned_to_id WHERE x.tenant_id = $1 AND y.username = 'agent')`,
        [demo.acme],
      )
    ).rows.map((r) => r.title as string);
    for (const title of others) expect(answer).not.toContain(title);
    expectHealthy(page);
  });

  it('a Sales Manager previews a CSV import, sees the bad row, and imports the fixed file in one go', async () => {
    const count = async () => (await one(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND email LIKE '%@csv.example'`, [demo.acme])).n;
    const page = await web.loginAs('acme', 'manager');
    await openPage(page, '/admin/resources/contacts/actions/importCsv', '[data-testid="csv-file"]');
    const file = (rows: string[]) => ({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(['first_name,last_name,email,status', ...rows].join('\n')) });
    await page.setInputFiles('[data-testid="csv-file"]', file(['Alan,Turing,alan@csv.example,active', 'Kurt,Goedel,kurt@csv.example,retired']));
    await visible(page.getByText('2 row(s), 1 with errors.'));
    await visible(page.getByText(/status: .*must be one of/));
    expect(await page.locator('[data-testid="csv-import"]').isDisabled()).toBe(true);
    await shot(page, 'preview-with-error');
    expect(await count()).toBe(0);

    await page.setInputFiles('[data-testid="csv-file"]', file(['Alan,Turing,alan@csv.example,active', 'Kurt,Goedel,kurt@csv.example,inactive']));
    await visible(page.getByText('2 row(s), 0 with errors.'));
    await page.click('[data-testid="csv-import"]');
    await visible(page.getByText('Imported 2 record(s).'));
    await shot(page, 'imported');
    expect(await count()).toBe(2);
    expectHealthy(page);
  });
});

describe('assistants', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it("an Admin opens an assistant's embed code: the script tag with its public key", async () => {
    const assistant = await one(`SELECT id, public_key FROM assistants WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [demo.acme]);
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, `/admin/resources/assistants/records/${assistant.id}/embed`, '[data-testid="widget-code"]');
    const code = await page.locator('[data-testid="widget-code"]').innerText();
    expect(code).toContain('/widget.js');
    expect(code).toContain(assistant.public_key);
    await shot(page, 'embed');
    expectHealthy(page);
  });
});
