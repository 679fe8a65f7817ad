// How the back office reads a page. A request reads on one connection of the read pool, as the application
// role and read-only (domain/read-session.ts), its linked records in one statement (the JSON round trip keeps
// numeric scale, timestamps, JSON and lists: checked through bulk actions, which read whole records so), and the
// session ends with the request. Linked records carry only their id, title and tenant, and they and dropdown
// options only the action they use.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../domain/db';
import { ReadSession } from '../../domain/read-session';
import { resourceOf } from '../../domain/resources';
import { useTestDatabase } from '../harness';
import { statementRecorder } from '../harness/statements';
import { Browser, startApp } from '../http/client';
import { loadWorld, type World } from '../security/world';
import { AdminClient } from './client';

const db = useTestDatabase();
let world: World;
let database: Database;
let record: ReturnType<typeof statementRecorder>;
let app: Awaited<ReturnType<typeof startApp>>;
let admin: AdminClient;

beforeAll(async () => {
  world = await loadWorld(db);
  database = connect(db.url);
  record = statementRecorder(database); // (before the app opens any connection)
  app = await startApp(database);
  admin = new AdminClient(app.base);
  expect((await admin.login('acme', 'admin')).status).toBe(302);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** Connections of the test database left inside a transaction (a session not ended). */
async function idleInTransaction(): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'`, [db.name]);
  return rows[0].n;
}

describe('a back-office page', () => {
  it('reads on one connection, its tenant set once, the page with its total and its linked records in one statement', async () => {
    await admin.get('/resources/deals/actions/list'); // (the principal loaded)
    const statements = await record(() => admin.get('/resources/deals/actions/list'));
    const texts = statements.map((s) => s.text.trim().toLowerCase());
    expect(texts.filter((t) => /^(begin|commit)/.test(t))).toEqual([]);
    expect(texts.filter((t) => t.includes('set_config'))).toHaveLength(1);
    // The page: its rows, their linked records (company, contact, stage, owner...) and the total, one statement.
    const [page] = texts.filter((t) => !t.includes('set_config'));
    expect(page).toMatch(/json_build_array/);
    expect(page).toMatch(/count\(\*\)/);
    expect(statements).toHaveLength(2);
  });

  it.each([
    ['deals', 'the linked records (company, contact, stage, owner...)'],
    ['contacts', 'the titles\' namesake checks and the linked records'],
  ])("a later page of %s reads %s of its own rows only, not of the rows before it", async (name) => {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${name} x JOIN tenants t ON t.id = x.tenant_id WHERE t.subdomain = 'acme'`);
    expect(rows[0].n).toBeGreaterThan(15);
    const statements = await record(async () => expect((await admin.get(`/resources/${name}/actions/list?page=3&perPage=5`)).status).toBe(200));
    const page = statements.find((s) => s.text.includes('json_build_array') && s.text.includes(`"${name}"`));
    const [{ 'QUERY PLAN': [plan] }] = (await db.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${page!.text}`, page!.values)).rows;
    // Every subquery of a row ran once per row of the page (5), not for the 10 rows skipped before it.
    const loops: number[] = [];
    const walk = (node: any) => {
      if (node['Parent Relationship'] === 'SubPlan' && /^SubPlan/.test(node['Subplan Name'] ?? '')) loops.push(node['Actual Loops']);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(plan.Plan);
    expect(loops.length).toBeGreaterThan(1);
    for (const n of loops) expect(n).toBeLessThanOrEqual(5);
  });

  it("a record's page reads the record and its linked records in one statement, and shows their titles", async () => {
    const { rows } = await db.pool.query(
      `SELECT d.id, c.name AS company FROM deals d JOIN companies c ON c.id = d.company_id JOIN tenants t ON t.id = d.tenant_id WHERE t.subdomain = 'acme' ORDER BY d.id LIMIT 1`,
    );
    const deal = rows[0]!;
    await admin.get(`/resources/deals/records/${deal.id}/show`);
    let shown: any;
    const statements = await record(async () => (shown = await admin.get(`/resources/deals/records/${deal.id}/show`)));
    expect(statements.map((s) => s.text.includes('set_config'))).toEqual([true, false]);
    expect(shown.body.record.populated.company_id.title).toBe(deal.company);
  });

  it("the Director's home counts the open pipeline of every stage in one statement, not two per stage, and a figure's count and value together", async () => {
    const director = new AdminClient(app.base);
    expect((await director.login('acme', 'director')).status).toBe(302);
    const statements = await record(async () => expect((await director.get('/dashboard')).status).toBe(200));
    const texts = statements.map((s) => s.text.trim().toLowerCase());
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM sales_stages s JOIN tenants t ON t.id = s.tenant_id WHERE t.subdomain = 'acme'`);
    expect(rows[0].n).toBeGreaterThan(4);
    expect(texts.filter((t) => t.includes('"stage_id"') && t.includes('group by'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('"stage_id" = $'))).toEqual([]);
    // the stages, the pipeline, won this and last month (count, value), new leads
    const data = texts.filter((t) => !/set_config|"sessions"|with recursive team/.test(t));
    expect(data.length).toBeLessThanOrEqual(7);
  });

  it('the JSON API reads a GET the same way', async () => {
    const api = new Browser(app.base);
    expect((await api.login('acme', 'admin')).status).toBe(200);
    const statements = await record(async () => expect((await api.call('GET', '/api/deals?perPage=5')).status).toBe(200));
    const texts = statements.map((s) => s.text.trim().toLowerCase());
    expect(texts.filter((t) => /^(begin|commit)/.test(t))).toEqual([]);
    expect(texts.filter((t) => t.includes('set_config'))).toHaveLength(1);
  });

  it("a record page's related panels: one statement per panel, on the page's read connection", async () => {
    const api = new Browser(app.base);
    expect((await api.login('acme', 'admin')).status).toBe(200);
    for (const [resource, panels] of [['companies', 2], ['users', 4]] as const) {
      const { rows } = await db.pool.query(`SELECT id FROM ${resource} WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [world.tenant('acme')]);
      let body: any;
      const statements = await record(async () => {
        const res = await api.call('GET', `/api/${resource}/${rows[0].id}/related`);
        expect(res.status).toBe(200);
        body = res.body;
      });
      expect(body).toHaveLength(panels);
      const texts = statements.map((s) => s.text.trim().toLowerCase());
      expect(texts.filter((t) => /^(begin|commit)/.test(t))).toEqual([]);
      // The principal, the tenant once, and one statement a panel.
      expect(texts.filter((t) => t.includes('count(*) over ()'))).toHaveLength(panels);
      expect(statements.filter((s) => !/"sessions"/.test(s.text)).length).toBeLessThanOrEqual(panels + 2);
    }
  });

  it('serves AdminJS bundles without reading anything, the session included', async () => {
    const login = await (await fetch(`${app.base}/admin/login`)).text();
    const bundle = /src="(\/admin\/frontend\/assets\/global\.bundle\.[0-9a-f]+\.js)"/.exec(login)![1];
    const statements = await record(async () => {
      const res = await fetch(`${app.base}${bundle}`, { headers: { cookie: admin.cookie } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    });
    expect(statements.map((s) => s.text)).toEqual([]);
  });

  it.each(['deals', 'contacts', 'users', 'products', 'leads', 'activities'])('%s: a linked record shows its title and id as its own page does', async (name) => {
    const list = await admin.get(`/resources/${name}/actions/list?perPage=20`);
    expect(list.status).toBe(200);
    let compared = 0;
    for (const row of list.body.records) {
      for (const [path, linked] of Object.entries(row.populated ?? {}) as [string, any][]) {
        const resource = linked.recordActions[0]?.resourceId;
        if (!resource) continue;
        const own = await admin.get(`/resources/${resource}/records/${linked.id}/show`);
        expect(own.status).toBe(200);
        expect(linked.title, `${name}.${path} -> ${resource} #${linked.id}`).toBe(own.body.record.title);
        // Only what a link needs travels: id, title and its fields (no emails or phones of linked contacts in a deals list).
        const titleFields = resourceOf(resource)!.title;
        const allowed = ['id', '__title', ...titleFields.fields];
        for (const k of Object.keys(linked.params)) expect(allowed, `${resource}.${k}`).toContain(k);
        for (const [k, v] of Object.entries(linked.params)) expect(v).toEqual(own.body.record.params[k]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it.each(['deals', 'products', 'roles', 'activities', 'assistants'])('%s: records read together in one statement keep their values exactly', async (name) => {
    // Bulk actions read whole records the way linked records are read (json-rows.ts): numeric scale, timestamps,
    // JSON and lists must come out as the record's own page shows them.
    const wsadmin = new AdminClient(app.base); // (who may bulk-delete roles too)
    await wsadmin.login('acme', 'wsadmin');
    const list = await wsadmin.get(`/resources/${name}/actions/list?perPage=10`);
    const deletable = list.body.records.filter((r: any) => r.recordActions.some((a: any) => a.name === 'delete'));
    const ids = deletable.map((r: any) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    const bulk = await wsadmin.get(`/resources/${name}/bulk/bulkDelete?recordIds=${ids.join(',')}`);
    expect(bulk.status).toBe(200);
    expect(bulk.body.records).toHaveLength(ids.length);
    for (const record of bulk.body.records) {
      const own = await wsadmin.get(`/resources/${name}/records/${record.id}/show`);
      expect(record.params, `${name} #${record.id}`).toEqual(own.body.record.params);
    }
  });

  it('sends linked records and dropdown options with their show action only', async () => {
    const list = await admin.get('/resources/deals/actions/list');
    const linked = Object.values(list.body.records[0].populated) as any[];
    expect(linked.length).toBeGreaterThan(3);
    for (const l of linked) expect(l.recordActions.map((a: any) => a.name)).toEqual(['show']);
    expect(list.body.records[0].recordActions.map((a: any) => a.name)).toEqual(expect.arrayContaining(['show', 'edit', 'delete']));

    const options = await admin.get('/resources/companies/actions/search/a');
    expect(options.body.records.length).toBeGreaterThan(0);
    for (const o of options.body.records) {
      expect(o).toMatchObject({ id: o.params.id, title: o.params.name, bulkActions: [] });
      expect(o.params.__title).toBe(o.params.name);
      expect(o.recordActions.map((a: any) => a.name)).toEqual(['show']);
    }
  });

  it('gives its connection back with the request, whatever the request was', async () => {
    await Promise.all([
      admin.get('/resources/deals/actions/list'),
      admin.get('/resources/companies/actions/list'),
      admin.get('/resources/deals/records/999999999/show'), // not found
      admin.get('/resources/deals/actions/list?sortBy=no_such_field'), // refused
      admin.post('/resources/companies/actions/new', { name: `Read session ${Date.now()}` }), // a write in between
    ]);
    await expect.poll(() => database.reads!.idleCount, { timeout: 2000 }).toBe(database.reads!.totalCount);
    expect(await idleInTransaction()).toBe(0);
  });
});

describe('the principal of a request', () => {
  const LOADS_PRINCIPAL = /WITH RECURSIVE team/i;
  /** What a request sent besides its data: the session read, the tenant (with the access version), the principal. */
  async function around(fn: () => Promise<unknown>) {
    const sent = (await record(fn)).map((st) => st.text);
    return {
      session: sent.filter((t) => /"sessions"/.test(t)).length,
      tenant: sent.filter((t) => /set_config\(/.test(t)).length,
      principal: sent.filter((t) => LOADS_PRINCIPAL.test(t)).length,
    };
  }
  const list = () => admin.get('/resources/deals/actions/list');

  it('is loaded once, then reused while nothing it is made of changes: one statement besides the data, the session\'s check included', async () => {
    await list();
    expect(await around(list)).toEqual({ session: 0, tenant: 1, principal: 0 });
    expect(await around(() => admin.get(`/resources/deals/records/${world.tenant('acme')}/show`).catch(() => {}))).toMatchObject({ principal: 0 });
  });

  it('is loaded afresh on the next request after a change to a role, a permission, a manager or the set of users', async () => {
    const { role_id: roleId, id: adminId } = await world.one(`SELECT role_id, id FROM users WHERE tenant_id = $1 AND username = 'admin'`, [world.tenant('acme')]);
    const changes = [
      ['a permission', `UPDATE roles SET permissions = permissions || '{}' WHERE id = ${roleId}`],
      ['a level', `UPDATE roles SET level = level WHERE id = ${roleId}`],
      ['a role', `UPDATE users SET role_id = role_id WHERE id = ${adminId}`],
      ['a manager', `UPDATE users SET manager_id = manager_id WHERE tenant_id = ${world.tenant('acme')} AND username = 'agent'`],
      ['users removed (a statement, even of no row)', `DELETE FROM users WHERE false`],
    ];
    for (const [what, change] of changes) {
      await list();
      await db.pool.query(change!);
      expect((await around(list)).principal, what).toBe(1);
      expect((await around(list)).principal, `${what}, then nothing`).toBe(0);
    }
    // Other changes to users keep it.
    await db.pool.query(`UPDATE users SET first_name = first_name WHERE id = $1`, [adminId]);
    expect((await around(list)).principal).toBe(0);
  });

  it('takes a permission taken away into account on the next request', async () => {
    const { role_id: roleId } = await world.one(`SELECT role_id FROM users WHERE tenant_id = $1 AND username = 'admin'`, [world.tenant('acme')]);
    const actions = async () => (await list()).body.records[0].recordActions.map((a: { name: string }) => a.name);
    expect(await actions()).toContain('edit');
    await db.pool.query(`UPDATE roles SET permissions = array_remove(permissions, 'manage_deals') WHERE id = $1`, [roleId]);
    try {
      expect(await actions()).not.toContain('edit');
    } finally {
      await db.pool.query(`UPDATE roles SET permissions = array_append(permissions, 'manage_deals') WHERE id = $1`, [roleId]);
    }
    expect(await actions()).toContain('edit');
  });
});

describe('ReadSession', () => {
  const session = () => new ReadSession(database.reads!, world.tenant('acme'), 1);

  it('is read only: the database refuses a write in it', async () => {
    const s = session();
    await expect(s.run((db) => db.execute(sql`UPDATE companies SET name = name`))).rejects.toMatchObject({ cause: { code: '25006' } });
    await s.close();
  });

  it('reads as the application role inside its tenant, after a failed statement too', async () => {
    const s = session();
    await expect(s.run((db) => db.execute(sql`SELECT 1 / 0`))).rejects.toThrow();
    const { rows } = await s.run((db) => db.execute(sql`SELECT current_user AS who, current_setting('epesi.tenant_id') AS tenant`));
    expect(rows[0]).toEqual({ who: 'epesi_app', tenant: String(world.tenant('acme')) });
    const seen = await s.run((db) => db.execute(sql`SELECT DISTINCT tenant_id FROM companies`));
    expect(seen.rows).toEqual([{ tenant_id: world.tenant('acme') }]); // row-level security
    await s.close();
  });

  it('sets the tenant on every checkout: a connection never keeps the one of its previous request', async () => {
    const globex = new ReadSession(database.reads!, world.tenant('globex'), 1);
    await globex.run((db) => db.execute(sql`SELECT 1`));
    await globex.close();
    const acme = session();
    const seen = await acme.run((db) => db.execute(sql`SELECT DISTINCT tenant_id FROM companies`));
    expect(seen.rows).toEqual([{ tenant_id: world.tenant('acme') }]);
    await acme.close();
  });

  it('when closed, lets a read under way finish on its connection; later reads check out their own', async () => {
    const s = session();
    let started!: () => void;
    const begun = new Promise<void>((resolve) => (started = resolve));
    const underWay = s.run(async (db) => {
      const sleeping = db.execute(sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.05)::text`);
      started();
      const first = await sleeping;
      const second = await db.execute(sql`SELECT pg_backend_pid() AS pid, current_setting('epesi.tenant_id') AS tenant`);
      return [first.rows[0], second.rows[0]] as { pid: number; tenant?: string }[];
    });
    await begun;
    const closing = s.close();
    // Another request checking out meanwhile must not get the connection in use (nor change its tenant).
    const other = await database.reads!.connect();
    const changed = other.query(`SELECT set_config('epesi.tenant_id', '999999', false)`);
    const [first, second] = await underWay;
    await changed;
    other.release();
    expect(second).toEqual({ pid: first!.pid, tenant: String(world.tenant('acme')) });
    await closing;
    const later = await s.run((db) => db.execute(sql`SELECT current_user AS who, current_setting('transaction_read_only') AS ro`));
    expect(later.rows[0]).toEqual({ who: 'epesi_app', ro: 'on' });
    expect(database.reads!.idleCount).toBe(database.reads!.totalCount);
  });
});
