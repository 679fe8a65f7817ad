// Record titles through the scoped data layer: people read "First Last", stages "Pipeline · Stage", a user's
// username only where a namesake makes it needed; a reference the caller may not follow reads "Restricted"
// in the back office, never its id nor its data; and the users' read rule (field-restricted, by workspace)
// lets an agent read the names of colleagues of their workspace, not of another workspace's.
import { beforeAll, describe, expect, it } from 'vitest';
import { RESTRICTED } from '../../domain/scoped-data';
import { useTestDatabase } from '../harness';
import { AdminClient } from '../admin/client';
import { startApp } from '../http/client';
import { loadWorld, type World } from '../security/world';

const db = useTestDatabase();
let w: World;

beforeAll(async () => {
  w = await loadWorld(db);
});

describe('titles', () => {
  it('people read "First Last", stages "Pipeline · Stage" in pipeline then stage order', async () => {
    const agent = await w.actor('acme', 'agent');
    const { records } = await w.data.list(agent, 'contacts', { perPage: 5, titles: true });
    expect(records.length).toBeGreaterThan(0);
    // (Two demo contacts share a name: they read "Ann Smith (ann@x.example)".)
    for (const c of records) expect([`${c.first_name} ${c.last_name}`, `${c.first_name} ${c.last_name} (${c.email})`]).toContain(c.__title);
    const stages = await w.data.list(agent, 'sales_stages', { perPage: 100, titles: true, natural: true });
    const { rows } = await db.pool.query(
      `SELECT p.title || ' · ' || s.title AS t FROM sales_stages s JOIN sales_pipelines p ON p.tenant_id = s.tenant_id AND p.id = s.sale_pipeline_id
       WHERE s.tenant_id = $1 ORDER BY s.sale_pipeline_id, s."order", s.id`,
      [w.tenant('acme')],
    );
    expect(stages.records.map((s) => s.__title)).toEqual(rows.map((r) => r.t));
  });

  it('a user is named by full name, with the username only when another user has the same name', async () => {
    const admin = await w.actor('acme', 'admin');
    const agent = await w.actor('acme', 'agent');
    const me = await w.data.get(admin, 'users', agent.principal.userId, { title: true });
    expect(me.__title).toBe(`${me.first_name} ${me.last_name}`);
    const twin = await w.insertAsSystem((await import('../../domain/resources')).resourceOf('users')!, {
      tenant_id: w.tenant('acme'), username: 'twin', email: 'twin@acme.test', password: 'x', first_name: me.first_name, last_name: me.last_name,
      role_id: (await w.one(`SELECT role_id FROM users WHERE id = $1`, [agent.principal.userId])).role_id, workspace_id: agent.principal.workspaceId,
    });
    const both = await w.data.findMany(admin, 'users', [agent.principal.userId, twin], { fields: [], title: true });
    expect(both.map((u) => u.__title).sort()).toEqual([`${me.first_name} ${me.last_name} (agent)`, `${me.first_name} ${me.last_name} (twin)`]);
    // Only id and title travel for a linked record (the username is read to tell them apart, not returned).
    for (const u of both) expect(Object.keys(u).sort()).toEqual(['__title', 'first_name', 'id', 'last_name']);
    await db.pool.query('DELETE FROM users WHERE id = $1', [twin]);
  });

  it("an agent reads the names of their workspace's users (the field-restricted read rule), not another workspace's", async () => {
    const agent = await w.actor('acme', 'agent');
    const { rows } = await db.pool.query<{ id: number; workspace_id: number | null; first_name: string; last_name: string }>(
      'SELECT id, workspace_id, first_name, last_name FROM users WHERE tenant_id = $1 ORDER BY id',
      [w.tenant('acme')],
    );
    const found = await w.data.findMany(agent, 'users', rows.map((r) => r.id), { fields: [], title: true });
    const mine = rows.filter((r) => r.workspace_id === agent.principal.workspaceId || r.workspace_id === null);
    expect(found.map((u) => u.id).sort()).toEqual(mine.map((r) => r.id).sort());
    for (const u of found) expect(u.__title).toMatch(/^\S+ \S+/);
    expect(mine.length).toBeLessThan(rows.length); // (the demo has users of another workspace)
  });

  it('a search finds a person by full name, within the caller\'s scope and tenant only', async () => {
    const agent = await w.actor('acme', 'agent');
    const mine = (await w.data.list(agent, 'contacts', { perPage: 1 })).records[0]!;
    const found = await w.data.list(agent, 'contacts', { q: `${mine.first_name} ${mine.last_name}`, perPage: 50 });
    expect(found.records.map((c) => c.id)).toContain(mine.id);
    const { rows } = await db.pool.query(
      `SELECT id FROM contacts WHERE tenant_id = $1 AND first_name || ' ' || last_name ILIKE $2 AND NOT ($3 = ANY(ARRAY[assigned_to_id, supervisor_id]))`,
      [w.tenant('acme'), `%${mine.first_name} ${mine.last_name}%`, agent.principal.userId],
    );
    const beyond = new Set(rows.map((r) => r.id));
    for (const c of found.records) expect(beyond.has(c.id)).toBe(false);
    const globex = await w.one(`SELECT first_name, last_name FROM contacts WHERE tenant_id = $1 LIMIT 1`, [w.tenant('globex')]);
    const crossed = await w.data.list(agent, 'contacts', { q: `${globex.first_name} ${globex.last_name}`, perPage: 50 });
    const { rows: ours } = await db.pool.query('SELECT id FROM contacts WHERE tenant_id = $1', [w.tenant('acme')]);
    const acmeIds = new Set(ours.map((r) => r.id));
    for (const c of crossed.records) expect(acmeIds.has(c.id)).toBe(true);
  });

  it('never reads a title across tenants', async () => {
    const agent = await w.actor('acme', 'agent');
    const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM companies WHERE tenant_id = $1', [w.tenant('globex')]);
    expect(await w.data.findMany(agent, 'companies', rows.map((r) => r.id), { fields: [], title: true })).toEqual([]);
  });
});

describe('references in the back office', () => {
  it('show a title, or "Restricted" for a record the user may not read, never a bare id', async () => {
    const app = await startApp(db);
    try {
      const manager = new AdminClient(app.base);
      await manager.login('acme', 'manager');
      // A deal of the manager's team assigned to a user of another workspace (the system writes it).
      const other = await w.one(`SELECT id FROM users WHERE tenant_id = $1 AND workspace_id IS DISTINCT FROM (SELECT workspace_id FROM users WHERE tenant_id = $1 AND username = 'manager') AND workspace_id IS NOT NULL LIMIT 1`, [w.tenant('acme')]);
      const deal = await w.one(`SELECT d.id FROM deals d JOIN users u ON u.id = d.assigned_to_id WHERE d.tenant_id = $1 AND u.username = 'agent' LIMIT 1`, [w.tenant('acme')]);
      await db.pool.query('UPDATE deals SET supervisor_id = $1 WHERE id = $2', [other.id, deal.id]);
      const page = await manager.get(`/resources/deals/records/${deal.id}/show`);
      expect(page.status).toBe(200);
      const supervisor = page.body.record.populated.supervisor_id;
      expect(supervisor).toMatchObject({ title: RESTRICTED, recordActions: [] });
      expect(Object.keys(supervisor.params).sort()).toEqual(['__title', 'id']);
      for (const [path, linked] of Object.entries(page.body.record.populated) as [string, any][]) {
        expect(String(linked.title), path).not.toMatch(/^\d+$/);
      }
      const list = await manager.get('/resources/deals/actions/list?perPage=50');
      for (const row of list.body.records) {
        for (const [path, linked] of Object.entries(row.populated) as [string, any][]) expect(String(linked.title), path).not.toMatch(/^\d+$/);
      }
    } finally {
      await app.close();
    }
  });
});
