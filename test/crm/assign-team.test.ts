// Assign offers only the actor's team in the lead's workspace (anyone in it from level 3), front line first, by
// full name; the server refuses anyone else with a message saying why. Another manager of the same workspace
// (manager3, with agent5 under them) is the case the old "at or below my level" rule let through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startApp } from '../http/client';
import { HASH } from '../security/world';
import { crmWorld, newLead } from './fixture';

const w = crmWorld();
let app: Awaited<ReturnType<typeof startApp>>;
const ids: Record<string, number> = {};

const signedIn = async (username: string) => {
  const b = new Browser(app.base);
  expect((await b.login('acme', username)).status).toBe(200);
  return b;
};

beforeAll(async () => {
  const { manager, agent } = w.acme.users;
  const user = (username: string, like: typeof manager, managerId: number) =>
    w.insert('users', {
      username, password: HASH, email: `${username}@crm-test.example`, first_name: 'Other', last_name: username,
      role_id: like!.role_id, manager_id: managerId, workspace_id: like!.workspace_id, tenant_id: w.acme.id,
    });
  ids.manager3 = (await user('manager3', manager, manager!.manager_id!)).id;
  ids.agent5 = (await user('agent5', agent, ids.manager3!)).id;
  for (const name of Object.keys(w.acme.users)) ids[name] = w.acme.users[name]!.id;
  app = await startApp(w.db);
});
afterAll(() => app?.close());

const assignees = async (b: Browser, leadId: number) => {
  const res = await b.call('GET', `/api/crm/leads/${leadId}/assignees`);
  expect(res.status).toBe(200);
  return res.body.users as { id: number; name: string; level: number }[];
};
const nameOf = async (id: number) => (await w.one(`SELECT first_name || ' ' || last_name AS n FROM users WHERE id = $1`, [id])).n;

describe('Assign offers the team only', () => {
  it('manager: themselves and their agents, front line first, by full name; not another manager or their agents', async () => {
    const manager = await signedIn('manager');
    const lead = await newLead(w, { assigned_to_id: ids.agent });
    const users = await assignees(manager, lead.id);
    expect(new Set(users.map((u) => u.id))).toEqual(new Set([ids.manager, ids.agent, ids.agent2]));
    expect(users.map((u) => u.level)).toEqual([1, 1, 2]);
    expect(users[2]!.id).toBe(ids.manager);
    expect(users.slice(0, 2).map((u) => u.name)).toEqual([await nameOf(ids.agent!), await nameOf(ids.agent2!)].sort((a, b) => a.localeCompare(b)));
    for (const u of users) expect(u.name).toBe(await nameOf(u.id));

    for (const other of [ids.agent5!, ids.manager3!]) {
      const refused = await manager.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: other });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(/is not someone you can assign this lead to: only your team/);
    }
    expect((await w.one('SELECT assigned_to_id FROM leads WHERE id = $1', [lead.id])).assigned_to_id).toBe(ids.agent);
    expect((await manager.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: ids.agent2 })).status).toBe(200);
  });

  it("manager2: their own team in their workspace, never manager's", async () => {
    const manager2 = await signedIn('manager2');
    const lead = await newLead(w, { assigned_to_id: ids.agent3, workspace_id: w.acme.users.agent3!.workspace_id });
    const users = await assignees(manager2, lead.id);
    expect(new Set(users.map((u) => u.id))).toEqual(new Set([ids.manager2, ids.agent3, ids.agent4]));
    expect(users.map((u) => u.level)).toEqual([1, 1, 2]);
    const refused = await manager2.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: ids.agent });
    expect(refused.status).toBe(400);
  });

  it('an agent hands work to their colleagues (same manager), never upwards nor to another team', async () => {
    const agent = await signedIn('agent');
    const lead = await newLead(w, { assigned_to_id: ids.agent });
    expect(new Set((await assignees(agent, lead.id)).map((u) => u.id))).toEqual(new Set([ids.agent, ids.agent2]));
    expect((await agent.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: ids.agent5 })).status).toBe(400);
  });

  it('level 3 (all records of the workspace): anyone in the workspace, another manager and their agents included', async () => {
    const superadmin = await signedIn('superadmin');
    const lead = await newLead(w, { assigned_to_id: ids.agent });
    const offered = (await assignees(superadmin, lead.id)).map((u) => u.id);
    for (const id of [ids.agent, ids.agent2, ids.agent5, ids.manager, ids.manager3, ids.superadmin]) expect(offered).toContain(id);
    for (const id of [ids.agent3, ids.agent4, ids.manager2]) expect(offered).not.toContain(id);
    expect((await superadmin.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: ids.agent5 })).status).toBe(200);
  });
});
