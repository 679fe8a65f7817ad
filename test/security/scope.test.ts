// Data scope through the scoped data layer: own / team / all rows on the manager tree, and workspaces.
// Every expectation is computed with plain SQL on the superuser connection (db.pool), never by the layer.
import { beforeAll, describe, expect, it } from 'vitest';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { demoTenant, expectRefused, sortedIds, type DemoTenant } from './helpers';

const db = useTestDatabase();
let data: ScopedData;
let acme: DemoTenant;
let globex: DemoTenant;
let ws1: number;
let ws2: number;

/** Who owns a row, per resource (the owner columns of the seed), written out here rather than imported. */
const OWNERS = {
  contacts: ['assigned_to_id', 'supervisor_id'],
  deals: ['assigned_to_id', 'supervisor_id'],
  leads: ['assigned_to_id', 'assigned_by_id'],
  activities: ['user_id', 'supervisor_id'],
} as const;
type Scoped = keyof typeof OWNERS;
const SCOPED = Object.keys(OWNERS) as Scoped[];

const user = (username: string) => acme.users[username]!;
const actor = (username: string) => data.actor(acme.id, user(username).id);

/** Everything `a` gets from list() (one page holds it all), as sorted ids. */
async function visible(a: Actor, resource: string): Promise<number[]> {
  const { records, total } = await data.list(a, resource, { perPage: 500 });
  expect(records.length, `${resource}: one page should hold every visible row`).toBe(total);
  return sortedIds(records);
}

/** Ids of the tenant's `resource` rows matching `where` ($1 is the tenant; further params from $2). */
async function idsWhere(resource: string, tenantId: number, where = 'true', params: unknown[] = []): Promise<number[]> {
  const { rows } = await db.pool.query<{ id: number }>(
    `SELECT id FROM ${resource} WHERE tenant_id = $1 AND (${where}) ORDER BY id`,
    [tenantId, ...params],
  );
  return rows.map((r) => r.id);
}

/** SQL: one of the owner fields is in the int[] parameter `param` (false, not NULL, for unowned rows). */
const ownedBy = (resource: Scoped, param: string) =>
  `coalesce(${OWNERS[resource].map((f) => `${f} = ANY(${param}::int[])`).join(' OR ')}, false)`;
/** SQL: the row is in workspace `param` or tenant-wide. */
const inWorkspace = (param: string) => `(workspace_id = ${param} OR workspace_id IS NULL)`;

/** The user and everyone below them in the manager tree, any depth (recursive CTE written for the test). */
async function subtree(userId: number): Promise<number[]> {
  const { rows } = await db.pool.query<{ id: number }>(
    `WITH RECURSIVE below(id, depth) AS (
       SELECT id, 0 FROM users WHERE id = $1
       UNION ALL SELECT u.id, b.depth + 1 FROM users u JOIN below b ON u.manager_id = b.id WHERE b.depth < 50
     ) SELECT DISTINCT id FROM below ORDER BY id`,
    [userId],
  );
  return rows.map((r) => r.id);
}

/** A row written by the system connection (no actor: not audited), for the layer to find or not. */
async function insert(table: string, values: Record<string, unknown>): Promise<number> {
  const cols = Object.keys(values);
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(values),
  );
  return rows[0]!.id;
}

let n = 0;
/** A row of a DATA_SCOPED resource with the given owner columns (others NULL) and workspace. */
function scopedRow(resource: Scoped, owners: Record<string, number | null>, workspace: number | null, tenantId = acme.id) {
  n++;
  const base: Record<Scoped, Record<string, unknown>> = {
    contacts: { first_name: 'Scope', last_name: `Contact ${n}`, email: `scope${n}@scope.test` },
    leads: { first_name: 'Scope', last_name: `Lead ${n}`, email: `scope-lead${n}@scope.test` },
    deals: { title: `Scope deal ${n}` },
    activities: { subject: `Scope activity ${n}` },
  };
  const ownerColumns = Object.fromEntries(OWNERS[resource].map((f) => [f, owners[f] ?? null]));
  return insert(resource, { ...base[resource], ...ownerColumns, workspace_id: workspace, tenant_id: tenantId });
}

const setManager = (username: string, manager: string | null) =>
  db.pool.query('UPDATE users SET manager_id = $1 WHERE id = $2', [manager === null ? null : user(manager).id, user(username).id]);
const setWorkspace = (username: string, workspace: number | null) =>
  db.pool.query('UPDATE users SET workspace_id = $1 WHERE id = $2', [workspace, user(username).id]);

beforeAll(async () => {
  await seedDemo(db);
  data = new ScopedData(db);
  acme = await demoTenant(db, 'acme');
  globex = await demoTenant(db, 'globex');
  [ws1, ws2] = acme.workspaces as [number, number];
  expect(user('agent').workspace_id).toBe(ws1);
  expect(user('manager').workspace_id).toBe(ws1);
  expect(user('manager2').workspace_id).toBe(ws2);
});

describe('own scope (Agent, view_own_data)', () => {
  const secondOwner: Partial<Record<Scoped, number>> = {};

  beforeAll(async () => {
    // Rows that are the agent's only through the second owner field (the seed never uses agents there).
    const agent = user('agent').id;
    const other = user('agent3').id;
    secondOwner.contacts = await scopedRow('contacts', { assigned_to_id: other, supervisor_id: agent }, ws1);
    secondOwner.deals = await scopedRow('deals', { supervisor_id: agent }, ws1);
    secondOwner.leads = await scopedRow('leads', { assigned_by_id: agent }, ws1);
    secondOwner.activities = await scopedRow('activities', { supervisor_id: agent }, ws1);
  });

  it.each(SCOPED)('an Agent lists exactly the %s where one of the owner fields is them', async (resource) => {
    const agent = await actor('agent');
    const me = user('agent').id;
    const expected = await idsWhere(resource, acme.id, ownedBy(resource, '$2'), [[me]]);
    const all = await idsWhere(resource, acme.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(all.length);
    expect(expected).toContain(secondOwner[resource]);

    const got = await visible(agent, resource);
    expect(got).toEqual(expected);
    // And every record handed out names the agent in an owner field.
    const { records } = await data.list(agent, resource, { perPage: 500 });
    for (const r of records) expect(OWNERS[resource].some((f) => r[f] === me), JSON.stringify(r)).toBe(true);
  });

  it.each(SCOPED)('get, update and delete of %s outside the scope answer 404 and change nothing', async (resource) => {
    const agent = await actor('agent');
    const me = user('agent').id;
    const [outside] = await idsWhere(resource, acme.id, `NOT (${ownedBy(resource, '$2')}) AND ${inWorkspace('$3')}`, [[me], ws1]);
    const [mine] = await idsWhere(resource, acme.id, ownedBy(resource, '$2'), [[me]]);
    expect(outside).toBeDefined();
    const snapshot = async () => (await db.pool.query(`SELECT * FROM ${resource} WHERE id = ANY($1::int[]) ORDER BY id`, [[outside, mine]])).rows;
    const before = await snapshot();

    await expectRefused(data.get(agent, resource, outside), 'not_found');
    expect(await data.findMany(agent, resource, [outside, mine])).toEqual([expect.objectContaining({ id: mine })]);
    const patch = resource === 'deals' || resource === 'activities' ? { description: 'hijacked' } : { last_name: 'Hijacked' };
    await expectRefused(data.update(agent, resource, outside, patch), 'not_found');
    await expectRefused(data.remove(agent, resource, outside), 'not_found');
    // One out-of-scope id among several keeps them all.
    await expectRefused(data.removeMany(agent, resource, [mine, outside]), 'not_found');
    expect(await snapshot()).toEqual(before);
  });

  it('another tenant’s row and a row that does not exist give the same 404', async () => {
    const agent = await actor('agent');
    const [foreign] = await idsWhere('contacts', globex.id);
    const { rows: [{ max }] } = await db.pool.query('SELECT max(id) + 1000 AS max FROM contacts');
    const a = await expectRefused(data.get(agent, 'contacts', foreign), 'not_found');
    const b = await expectRefused(data.get(agent, 'contacts', max), 'not_found');
    expect(a.message.replace(/\d+/g, '#')).toBe(b.message.replace(/\d+/g, '#'));
  });
});

describe('team scope (Sales Manager, view_team_data)', () => {
  it('a Sales Manager sees exactly the rows owned by anyone in their subtree, here two levels down', async () => {
    // Deepen the tree: manager > agent > agent2 (agent2 used to report to manager directly).
    await setManager('agent2', 'agent');
    const grandchild = user('agent2').id;
    const onlyGrandchild = Object.fromEntries(
      await Promise.all(SCOPED.map(async (res) => [res, await scopedRow(res, { [OWNERS[res][0]]: grandchild }, ws1)] as const)),
    ) as Record<Scoped, number>;

    const manager = await actor('manager');
    const team = await subtree(user('manager').id);
    expect(team).toEqual(expect.arrayContaining([user('manager').id, user('agent').id, grandchild]));
    expect(team).not.toContain(user('agent3').id);

    for (const resource of SCOPED) {
      // The manager is bound to workspace 1: rows of another workspace stay hidden whoever owns them.
      const expected = await idsWhere(resource, acme.id, `(${ownedBy(resource, '$2')}) AND ${inWorkspace('$3')}`, [team, ws1]);
      const got = await visible(manager, resource);
      expect(got, resource).toEqual(expected);
      expect(got).toContain(onlyGrandchild[resource]);
      expect(got.length).toBeLessThan((await idsWhere(resource, acme.id)).length);
      await expect(data.get(manager, resource, onlyGrandchild[resource])).resolves.toMatchObject({ id: onlyGrandchild[resource] });
    }

    // The agent in the middle has own scope only: their report's rows are not theirs.
    const middle = await actor('agent');
    for (const resource of SCOPED) {
      expect(await visible(middle, resource)).not.toContain(onlyGrandchild[resource]);
      await expectRefused(data.get(middle, resource, onlyGrandchild[resource]), 'not_found');
    }
  });

  it('after a user moves to another manager, a new actor reflects the changed tree', async () => {
    const moved = user('agent3').id;
    // Rows only agent3 owns: one in each workspace.
    const inWs2 = await scopedRow('contacts', { assigned_to_id: moved }, ws2);
    const inWs1 = await scopedRow('contacts', { assigned_to_id: moved }, ws1);

    const manager2Before = await actor('manager2');
    expect(await visible(manager2Before, 'contacts')).toContain(inWs2);
    const managerBefore = await actor('manager');
    expect(await visible(managerBefore, 'contacts')).not.toContain(inWs1);

    // agent3 now reports to agent2, who reports to agent, who reports to manager: three levels down.
    await setManager('agent3', 'agent2');
    expect(await subtree(user('manager').id)).toContain(moved);
    expect(await subtree(user('manager2').id)).not.toContain(moved);

    const manager2 = await actor('manager2');
    const manager = await actor('manager');
    for (const [a, who, ws] of [[manager2, 'manager2', ws2], [manager, 'manager', ws1]] as const) {
      const team = await subtree(user(who).id);
      for (const resource of SCOPED) {
        const expected = await idsWhere(resource, acme.id, `(${ownedBy(resource, '$2')}) AND ${inWorkspace('$3')}`, [team, ws]);
        expect(await visible(a, resource), `${who} ${resource}`).toEqual(expected);
      }
    }
    expect(await visible(manager2, 'contacts')).not.toContain(inWs2);
    await expectRefused(data.get(manager2, 'contacts', inWs2), 'not_found');
    await expect(data.get(manager, 'contacts', inWs1)).resolves.toMatchObject({ id: inWs1, assigned_to_id: moved });
  });
});

describe('all scope (Director, view_all_data)', () => {
  beforeAll(async () => {
    // Rows nobody in the director's subtree owns: one of their own manager's, and one with no owner at all.
    for (const resource of SCOPED) {
      await scopedRow(resource, { [OWNERS[resource][0]]: user('admin').id }, ws1);
      await scopedRow(resource, {}, ws1);
    }
  });

  it.each(SCOPED)('a Director bound to a workspace gets every %s of that workspace and the tenant-wide ones, whoever owns them', async (resource) => {
    const director = await actor('director');
    expect(user('director').workspace_id).toBe(ws1);
    const expected = await idsWhere(resource, acme.id, inWorkspace('$2'), [ws1]);
    const got = await visible(director, resource);
    expect(got).toEqual(expected);
    // Rows owned by people outside the director's own subtree are included.
    const team = await subtree(user('director').id);
    const foreignOwned = await idsWhere(resource, acme.id, `NOT (${ownedBy(resource, '$2')}) AND ${inWorkspace('$3')}`, [team, ws1]);
    expect(foreignOwned.length).toBeGreaterThan(0);
    expect(got).toEqual(expect.arrayContaining(foreignOwned));
  });

  it('a Director without a workspace gets every row of the tenant, and none of another tenant', async () => {
    await setWorkspace('director', null);
    try {
      const director = await actor('director');
      for (const resource of SCOPED) {
        const got = await visible(director, resource);
        expect(got, resource).toEqual(await idsWhere(resource, acme.id));
        const foreign = await idsWhere(resource, globex.id);
        expect(foreign.length).toBeGreaterThan(0);
        expect(got.filter((id) => foreign.includes(id))).toEqual([]);
      }
    } finally {
      await setWorkspace('director', ws1);
    }
  });
});

describe('workspace scope', () => {
  const tenantWide: Record<string, number> = {};

  beforeAll(async () => {
    tenantWide.companies = await insert('companies', { name: 'Tenant-wide Co', tenant_id: acme.id, workspace_id: null });
    for (const resource of SCOPED) tenantWide[resource] = await scopedRow(resource, { [OWNERS[resource][0]]: user('agent4').id }, null);
    tenantWide.projects = await insert('projects', { name: 'Tenant-wide project', tenant_id: acme.id, workspace_id: null });
  });

  const WORKSPACED = ['companies', 'contacts', 'deals', 'leads', 'activities', 'projects', 'products'];

  it.each(WORKSPACED)('a workspace member below level 5 sees %s of their workspace and tenant-wide ones, not another workspace’s', async (resource) => {
    const superadmin = await actor('superadmin'); // level 3, workspace 1, view_all_data
    expect(user('superadmin').level).toBeLessThan(5);
    const expected = await idsWhere(resource, acme.id, inWorkspace('$2'), [ws1]);
    const otherWorkspace = await idsWhere(resource, acme.id, 'workspace_id IS DISTINCT FROM $2 AND workspace_id IS NOT NULL', [ws1]);
    const nullRows = await idsWhere(resource, acme.id, 'workspace_id IS NULL');
    expect(nullRows.length).toBeGreaterThan(0);
    if (resource !== 'products') expect(otherWorkspace.length).toBeGreaterThan(0);

    const got = await visible(superadmin, resource);
    expect(got).toEqual(expected);
    expect(got).toEqual(expect.arrayContaining(nullRows));
    if (tenantWide[resource]) expect(got).toContain(tenantWide[resource]);
    expect(got.filter((id) => otherWorkspace.includes(id))).toEqual([]);
    for (const id of otherWorkspace.slice(0, 2)) await expectRefused(data.get(superadmin, resource, id), 'not_found');
  });

  it('an Agent’s own row in another workspace stays hidden from them', async () => {
    const mineElsewhere = await scopedRow('contacts', { assigned_to_id: user('agent').id }, ws2);
    const agent = await actor('agent');
    expect(await visible(agent, 'contacts')).not.toContain(mineElsewhere);
    await expectRefused(data.get(agent, 'contacts', mineElsewhere), 'not_found');
  });

  it('level 5 and above see every workspace, even when bound to one', async () => {
    await setWorkspace('admin', ws1);
    await setWorkspace('wsadmin', ws2);
    try {
      for (const username of ['admin', 'wsadmin']) {
        const a = await actor(username);
        expect(a.principal.workspaceId).not.toBeNull();
        for (const resource of WORKSPACED) {
          expect(await visible(a, resource), `${username} ${resource}`).toEqual(await idsWhere(resource, acme.id));
        }
      }
    } finally {
      await setWorkspace('admin', null);
      await setWorkspace('wsadmin', null);
    }
  });

  it('a record created by a workspace-bound user lands in their workspace', async () => {
    const agent = await actor('agent');
    const contact = await data.create(agent, 'contacts', { first_name: 'New', last_name: 'Default', email: 'ws-default@scope.test' });
    expect(contact.workspace_id).toBe(ws1);
    const superadmin = await actor('superadmin');
    const company = await data.create(superadmin, 'companies', { name: 'Defaulted Co' });
    expect(company.workspace_id).toBe(ws1);
    const { rows } = await db.pool.query(
      `SELECT 'contacts' AS t, workspace_id, assigned_to_id AS owner FROM contacts WHERE id = $1
       UNION ALL SELECT 'companies', workspace_id, NULL FROM companies WHERE id = $2 ORDER BY 1`,
      [contact.id, company.id],
    );
    expect(rows).toEqual([
      { t: 'companies', workspace_id: ws1, owner: null },
      { t: 'contacts', workspace_id: ws1, owner: user('agent').id },
    ]);
  });

  it('a workspace-bound user may not put a record in another workspace (forbidden, nothing written)', async () => {
    const counts = async () =>
      (await db.pool.query(`SELECT (SELECT count(*) FROM contacts)::int AS contacts, (SELECT count(*) FROM companies)::int AS companies`)).rows[0];
    const before = await counts();
    const agent = await actor('agent');
    await expectRefused(data.create(agent, 'contacts', { first_name: 'X', last_name: 'Y', email: 'x@scope.test', workspace_id: ws2 }), 'forbidden');
    const superadmin = await actor('superadmin');
    await expectRefused(data.create(superadmin, 'companies', { name: 'Elsewhere Co', workspace_id: ws2 }), 'forbidden');
    expect(await counts()).toEqual(before);

    // Nor move one of their own records there.
    const [mine] = await idsWhere('contacts', acme.id, 'assigned_to_id = $2 AND workspace_id = $3', [user('agent').id, ws1]);
    await expectRefused(data.update(agent, 'contacts', mine, { workspace_id: ws2 }), 'forbidden');
    const { rows } = await db.pool.query('SELECT workspace_id FROM contacts WHERE id = $1', [mine]);
    expect(rows[0].workspace_id).toBe(ws1);
  });
});
