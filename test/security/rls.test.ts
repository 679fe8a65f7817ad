// The database's own tenant wall, tested with raw SQL as the application role (epesi_app): without the
// transaction-local epesi.tenant_id nothing is visible or writable; with it, only that tenant.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';

const db = useTestDatabase();
const APP = 'epesi_app';
let acme: number;
let globex: number;
/** Every table with a tenant_id column, from the catalog, plus tenants itself. */
let tenantTables: string[];
let client: pg.PoolClient;

/** Runs `fn` in a transaction as the application role (tenant set when given), then rolls back. */
async function asApp<T>(tenantId: number | null, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${APP}`);
    if (tenantId !== null) await client.query(`SELECT set_config('epesi.tenant_id', $1, true)`, [String(tenantId)]);
    return await fn(client);
  } finally {
    await client.query('ROLLBACK');
  }
}

/** Like asApp, but the transaction is committed (rolled back only if `fn` fails). */
async function committedAsApp<T>(tenantId: number | null, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${APP}`);
    if (tenantId !== null) await client.query(`SELECT set_config('epesi.tenant_id', $1, true)`, [String(tenantId)]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

/** The SQLSTATE `sql` fails with as the application role (null if it succeeds). */
async function failureOf(tenantId: number | null, sql: string, params: unknown[] = []): Promise<string | null> {
  return asApp(tenantId, async (c) => {
    try {
      await c.query(sql, params);
      return null;
    } catch (e) {
      return (e as { code?: string }).code ?? 'no code';
    }
  });
}

const count = async (c: Pick<pg.Pool, 'query'> | pg.ClientBase, table: string, where = 'true', params: unknown[] = []) =>
  (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`, params)).rows[0]!.n;

const tenantColumn = (table: string) => (table === 'tenants' ? 'id' : 'tenant_id');

const contactValues = (tenantId: number) => [tenantId, 'Rls', 'Probe', 'rls-probe@rls.test'];
const INSERT_CONTACT = 'INSERT INTO contacts (tenant_id, first_name, last_name, email) VALUES ($1, $2, $3, $4) RETURNING id';

beforeAll(async () => {
  await seedDemo(db);
  const { rows } = await db.pool.query<{ id: number; subdomain: string }>('SELECT id, subdomain FROM tenants');
  acme = rows.find((t) => t.subdomain === 'acme')!.id;
  globex = rows.find((t) => t.subdomain === 'globex')!.id;
  const { rows: tables } = await db.pool.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' ORDER BY 1`,
  );
  tenantTables = ['tenants', ...tables.map((t) => t.table_name)];
  // Some rows in the audit trail too (the seed writes none): one change with an actor, as the system.
  await db.pool.query(
    `INSERT INTO audit_log (tenant_id, actor_id, resource, record_id, action, after) VALUES ($1, 1, 'contacts', 1, 'create', '{}'), ($2, 1, 'contacts', 1, 'create', '{}')`,
    [acme, globex],
  );
  client = await db.pool.connect();
});

afterAll(() => client?.release());

it('the catalog lists the tenant tables, and both tenants have rows in them', async () => {
  expect(tenantTables.length).toBeGreaterThanOrEqual(25);
  expect(tenantTables).toEqual(expect.arrayContaining(['tenants', 'users', 'roles', 'contacts', 'deals', 'audit_log', 'events']));
  const empty: string[] = [];
  for (const t of tenantTables) {
    for (const tenant of [acme, globex]) if ((await count(db.pool, t, `${tenantColumn(t)} = $1`, [tenant])) === 0) empty.push(`${t}#${tenant}`);
  }
  expect(empty).toEqual([]);
});

describe('as epesi_app without epesi.tenant_id', () => {
  it('every tenant table shows no rows', async () => {
    const seen = await asApp(null, async (c) => {
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe(APP);
      const out: Record<string, number> = {};
      for (const t of tenantTables) out[t] = await count(c, t);
      return out;
    });
    expect(seen).toEqual(Object.fromEntries(tenantTables.map((t) => [t, 0])));
  });

  it('an INSERT into contacts fails with a row-level security violation (42501)', async () => {
    expect(await failureOf(null, INSERT_CONTACT, contactValues(acme))).toBe('42501');
    expect(await count(db.pool, 'contacts', 'email = $1', ['rls-probe@rls.test'])).toBe(0);
  });

  it('UPDATE and DELETE affect no row', async () => {
    const before = (await db.pool.query('SELECT * FROM contacts ORDER BY id')).rows;
    await asApp(null, async (c) => {
      expect((await c.query(`UPDATE contacts SET phone = 'owned'`)).rowCount).toBe(0);
      expect((await c.query('DELETE FROM contacts')).rowCount).toBe(0);
      expect((await c.query('DELETE FROM users')).rowCount).toBe(0);
    });
    // (Rolled back anyway; and committed the same statements change nothing either.)
    await committedAsApp(null, async (c) => {
      expect((await c.query(`UPDATE contacts SET phone = 'owned'`)).rowCount).toBe(0);
      expect((await c.query('DELETE FROM contacts')).rowCount).toBe(0);
    });
    expect((await db.pool.query('SELECT * FROM contacts ORDER BY id')).rows).toEqual(before);
  });
});

describe('as epesi_app with epesi.tenant_id of acme', () => {
  it('every tenant table shows exactly the acme rows', async () => {
    const expected: Record<string, number> = {};
    for (const t of tenantTables) expected[t] = await count(db.pool, t, `${tenantColumn(t)} = $1`, [acme]);
    const seen = await asApp(acme, async (c) => {
      const out: Record<string, number> = {};
      for (const t of tenantTables) {
        out[t] = await count(c, t);
        expect(await count(c, t, `${tenantColumn(t)} <> $1`, [acme]), t).toBe(0);
      }
      return out;
    });
    expect(seen).toEqual(expected);
    expect(seen.contacts).toBeLessThan(await count(db.pool, 'contacts'));
  });

  it('reads the tenant once per statement, not once per row a scan filters', async () => {
    // A search by text filters every row of the tenant: the policy's tenant must be a one-time check.
    const plan = await asApp(acme, async (c) => {
      await c.query('SET LOCAL enable_indexscan = off');
      await c.query('SET LOCAL enable_bitmapscan = off');
      const { rows } = await c.query(`EXPLAIN SELECT id FROM contacts WHERE email ILIKE '%x%'`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan, plan).toMatch(/InitPlan/);
    expect(plan, plan).not.toMatch(/Filter:.*current_setting/);
  });

  it('cannot insert a row carrying globex’s tenant_id, nor move a row to globex', async () => {
    expect(await failureOf(acme, INSERT_CONTACT, contactValues(globex))).toBe('42501');
    const { rows: [contact] } = await db.pool.query('SELECT id FROM contacts WHERE tenant_id = $1 AND company_id IS NULL AND project_id IS NULL LIMIT 1', [acme]);
    // (A contact without references, so only the policy can object.)
    if (contact) expect(await failureOf(acme, 'UPDATE contacts SET tenant_id = $1 WHERE id = $2', [globex, contact.id])).toBe('42501');
    expect(await count(db.pool, 'contacts', 'email = $1', ['rls-probe@rls.test'])).toBe(0);
  });

  it('inserts a row of its own tenant, and UPDATE/DELETE cannot reach globex rows', async () => {
    const globexBefore = (await db.pool.query('SELECT * FROM contacts WHERE tenant_id = $1 ORDER BY id', [globex])).rows;
    await asApp(acme, async (c) => {
      const { rows } = await c.query(INSERT_CONTACT, contactValues(acme));
      expect(rows).toHaveLength(1);
      expect((await c.query(`UPDATE contacts SET phone = 'x' WHERE tenant_id = $1`, [globex])).rowCount).toBe(0);
      expect((await c.query('DELETE FROM contacts WHERE tenant_id = $1', [globex])).rowCount).toBe(0);
      const globexIds = globexBefore.map((r) => r.id);
      expect((await c.query('SELECT id FROM contacts WHERE id = ANY($1::int[])', [globexIds])).rows).toEqual([]);
    });
    expect((await db.pool.query('SELECT * FROM contacts WHERE tenant_id = $1 ORDER BY id', [globex])).rows).toEqual(globexBefore);
  });
});

describe('the application role itself', () => {
  it('is neither superuser nor able to bypass row-level security, and owns no table', async () => {
    const { rows: [r] } = await db.pool.query('SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1', [APP]);
    expect(r).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
    const { rows: owners } = await db.pool.query<{ tablename: string; tableowner: string; member: boolean }>(
      `SELECT tablename, tableowner, pg_has_role($1, tableowner, 'MEMBER') AS member FROM pg_tables WHERE schemaname = 'public'`,
      [APP],
    );
    expect(owners.length).toBeGreaterThanOrEqual(tenantTables.length);
    expect(owners.filter((o) => o.tableowner === APP || o.member)).toEqual([]);
  });

  it('every tenant table has row-level security enabled and forced', async () => {
    const { rows } = await db.pool.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = ANY($1)`,
      [tenantTables],
    );
    expect(rows).toHaveLength(tenantTables.length);
    expect(rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity)).toEqual([]);
  });

  it('cannot switch the wall off, rewrite the trail or create tenants', async () => {
    expect(await failureOf(acme, 'ALTER TABLE contacts DISABLE ROW LEVEL SECURITY')).toBe('42501');
    expect(await failureOf(acme, 'DELETE FROM audit_log')).toBe('42501');
    expect(await failureOf(acme, `UPDATE audit_log SET after = '{}'`)).toBe('42501');
    expect(await failureOf(acme, `INSERT INTO tenants (name, subdomain) VALUES ('Evil', 'evil')`)).toBe('42501');
  });
});

it('the tenant setting is transaction-local: after COMMIT a new transaction as epesi_app sees nothing again', async () => {
  expect(await committedAsApp(acme, (c) => count(c, 'contacts'))).toBeGreaterThan(0);

  // Same connection, next transaction.
  expect((await client.query('SELECT current_user AS u')).rows[0].u).not.toBe(APP);
  const { seen, setting } = await asApp(null, async (c) => ({
    seen: await count(c, 'contacts'),
    setting: (await c.query(`SELECT current_setting('epesi.tenant_id', true) AS s`)).rows[0].s as string | null,
  }));
  expect(seen).toBe(0);
  expect(setting ?? '').toBe('');
});
