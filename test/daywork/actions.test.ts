// Record actions: after "Mark complete" the button is gone; an action that no longer applies says so (never
// "Page not found"); Assign offers only the users the actor may assign the lead to, by full name, front line first.
import { beforeAll, describe, expect, it } from 'vitest';
import { actionButton, atPath, BROWSER_TEST_TIMEOUT, expectHealthy, openPage, resourcePath, shot, useDemoBrowser, visible } from '../browser/helpers';
import { Browser } from '../http/client';

const demo = useDemoBrowser();
const { db, web } = demo;

describe('record actions', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('Mark complete leads back to the record, whose button is then gone; the action page then explains', async () => {
    const activity = (await db.pool.query(`SELECT id FROM activities WHERE tenant_id = $1 AND status <> 'completed' ORDER BY id LIMIT 1`, [demo.acme])).rows[0].id;
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, resourcePath('activities', 'show', activity), '[data-css="activities-complete-button"]');
    await actionButton(page, 'activities', 'complete').click();
    await page.locator('[data-testid="complete-activity"]').click();
    await atPath(page, resourcePath('activities', 'show', activity));
    await visible(page.getByText(/completed on/));
    await page.locator('[data-css="activities-edit-button"]').first().waitFor();
    expect(await page.locator('[data-css="activities-complete-button"]').count()).toBe(0);
    expect((await db.pool.query(`SELECT status FROM activities WHERE id = $1`, [activity])).rows[0].status).toBe('completed');
    await shot(page, 'completed');

    await openPage(page, resourcePath('activities', 'complete', activity), '[data-testid="action-not-applicable"]');
    expect(await page.locator('[data-testid="action-not-applicable"]').innerText()).toMatch(/already completed/);
    expect(await page.getByText(/Page not found/i).count()).toBe(0);
    await shot(page, 'not-applicable');
    expectHealthy(page);
  });

  it('Assign offers the manager\'s team in the lead\'s workspace, front line first, by full name', async () => {
    const api = new Browser(web.base);
    expect((await api.login('acme', 'manager')).status).toBe(200);
    const lead = (await api.call('GET', '/api/leads?perPage=1')).body.records[0];
    const res = await api.call('GET', `/api/crm/leads/${lead.id}/assignees`);
    expect(res.status).toBe(200);
    const users = res.body.users as { id: number; name: string; level: number }[];
    expect(users.length).toBeGreaterThan(1);
    const rows = (await db.pool.query(
      `SELECT u.id, u.first_name || ' ' || u.last_name AS name, u.workspace_id, r.level FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ANY($1)`,
      [users.map((u) => u.id)],
    )).rows;
    for (const row of rows) {
      expect(row.level).toBeLessThanOrEqual(2);
      expect([lead.workspace_id, null]).toContain(row.workspace_id);
      expect(users.find((u) => u.id === row.id)!.name).toBe(row.name);
    }
    expect(users.map((u) => u.level)).toEqual([...users.map((u) => u.level)].sort((a, b) => a - b));
    expect(users[0]!.level).toBe(1);
    // The manager's team only (themselves and the agents below them), never another manager's agents.
    const usernames = (await db.pool.query(`SELECT username FROM users WHERE id = ANY($1) ORDER BY username`, [users.map((u) => u.id)])).rows;
    expect(usernames.map((r) => r.username)).toEqual(['agent', 'agent2', 'manager']);
    const director = (await db.pool.query(`SELECT u.id FROM users u WHERE u.tenant_id = $1 AND username = 'director'`, [demo.acme])).rows[0].id;
    const refused = await api.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: director });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/not someone you can assign/);
  });
});
