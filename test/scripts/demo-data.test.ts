// The demo seed: loads every table for both tenants, its logins work, it runs once, and it is deterministic.
import { verify } from '@node-rs/argon2';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../../scripts/demo-data';
import { DEMO_EVENTS_PER_TENANT } from '../../scripts/demo/engagement';
import { useTestDatabase, type TestDatabase } from '../harness';

const db = useTestDatabase();
const twin = useTestDatabase();

/** The 26 tables of the seed document (test/fixtures/epesicrm-schema.md). */
const TABLES = [
  'tenants', 'workspaces', 'projects', 'roles', 'users', 'companies', 'product_types', 'product_categories', 'products',
  'product_offers', 'leads', 'contacts', 'activity_types', 'sales_pipelines', 'sales_stages', 'interest_levels', 'deals',
  'activities', 'events', 'agent_conversations', 'agent_messages', 'assistants', 'assistant_conversations',
  'assistant_messages', 'assistant_documents', 'assistant_prospects',
];
const SUBDOMAINS = ['acme', 'globex'];

async function countsPerTenant(database: TestDatabase): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const table of TABLES) {
    const column = table === 'tenants' ? 'id' : 'tenant_id';
    const { rows } = await database.pool.query<{ subdomain: string; n: string }>(
      `SELECT t.subdomain, count(x.*) AS n FROM tenants t LEFT JOIN ${table} x ON x.${column} = t.id GROUP BY 1 ORDER BY 1`,
    );
    out[table] = Object.fromEntries(rows.map((r) => [r.subdomain, Number(r.n)]));
  }
  return out;
}

/** One md5 per table over all rows in id order; users.password is left out (its salt is random). */
async function digest(database: TestDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await database.pool.query<{ d: string }>(
      `SELECT md5(coalesce(string_agg((to_jsonb(t) - 'password')::text, E'\\n' ORDER BY t.id), '')) AS d FROM ${table} t`,
    );
    out[table] = rows[0]!.d;
  }
  return out;
}

describe('demo data', () => {
  let seeded: boolean;
  let ms: number;
  beforeAll(async () => {
    const started = performance.now();
    seeded = await seedDemo(db);
    ms = performance.now() - started;
  });

  it('loads into an empty database, quickly', () => {
    expect(seeded).toBe(true);
    expect(ms).toBeLessThan(5_000); // < 3 s of inserts plus one argon2 hash, with slack for a busy machine
  });

  it('fills every one of the 26 tables in both tenants, with the same shape', async () => {
    const counts = await countsPerTenant(db);
    for (const table of TABLES) {
      expect(Object.keys(counts[table]!), table).toEqual(SUBDOMAINS);
      for (const s of SUBDOMAINS) expect(counts[table]![s], `${table} in ${s}`).toBeGreaterThan(0);
      expect(counts[table]!.acme, table).toBe(counts[table]!.globex);
    }
    expect(counts.events!.acme).toBe(DEMO_EVENTS_PER_TENANT);
    expect(counts.deals!.acme).toBeGreaterThanOrEqual(40);
  });

  it('has every demo login, with an argon2id hash of the demo password', async () => {
    const { rows } = await db.pool.query<{ tenant: string; username: string; email: string; password: string; role: string; level: number }>(
      `SELECT t.subdomain AS tenant, u.username, u.email, u.password, r.name AS role, r.level
         FROM users u JOIN tenants t ON t.id = u.tenant_id JOIN roles r ON r.id = u.role_id`,
    );
    expect(DEMO_LOGINS.length).toBe(rows.length);
    const verified = new Map<string, boolean>();
    for (const login of DEMO_LOGINS) {
      const user = rows.find((r) => r.tenant === login.tenant && r.username === login.username);
      expect(user, `${login.tenant}/${login.username}`).toBeDefined();
      expect({ email: user!.email, role: user!.role, level: user!.level }).toEqual({ email: login.email, role: login.role, level: login.level });
      expect(user!.password).toMatch(/^\$argon2id\$/);
      if (!verified.has(user!.password)) verified.set(user!.password, await verify(user!.password, DEMO_PASSWORD));
      expect(verified.get(user!.password)).toBe(true);
    }
    // Hashed once and shared.
    expect(verified.size).toBe(1);
    for (const s of SUBDOMAINS) {
      expect(new Set(DEMO_LOGINS.filter((l) => l.tenant === s).map((l) => l.level))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    }
  });

  it('has a manager tree at least 3 deep that reaches every user; levels 5+ have no workspace', async () => {
    const { rows } = await db.pool.query<{ tenant_id: number; depth: number; reached: string; total: string }>(`
      WITH RECURSIVE tree AS (
        SELECT id, tenant_id, 1 AS depth FROM users WHERE manager_id IS NULL
        UNION ALL
        SELECT u.id, u.tenant_id, tree.depth + 1 FROM users u JOIN tree ON u.manager_id = tree.id AND u.tenant_id = tree.tenant_id
      )
      SELECT tenant_id, max(depth) AS depth, count(*) AS reached,
             (SELECT count(*) FROM users x WHERE x.tenant_id = tree.tenant_id) AS total
        FROM tree GROUP BY tenant_id`);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.depth).toBeGreaterThanOrEqual(3);
      expect(r.reached).toBe(r.total);
    }
    const { rows: top } = await db.pool.query(
      `SELECT u.username FROM users u JOIN roles r ON r.id = u.role_id WHERE r.level >= 5 AND u.workspace_id IS NOT NULL`,
    );
    expect(top).toEqual([]);
    // Supervisors are the owners' managers.
    const { rows: wrong } = await db.pool.query(
      `SELECT c.id FROM contacts c JOIN users u ON u.id = c.assigned_to_id WHERE c.supervisor_id IS DISTINCT FROM u.manager_id`,
    );
    expect(wrong).toEqual([]);
  });

  it('does nothing the second time', async () => {
    const before = await countsPerTenant(db);
    expect(await seedDemo(db)).toBe(false);
    expect(await countsPerTenant(db)).toEqual(before);
  });

  it('is deterministic: a second fresh database gets identical rows', async () => {
    expect(await seedDemo(twin)).toBe(true);
    const [a, b] = [await digest(db), await digest(twin)];
    expect(b).toEqual(a);
  });
});
