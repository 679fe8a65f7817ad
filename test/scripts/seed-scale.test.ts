// The scale seeder, run in-process with small numbers: exact counts, everything in the first tenant,
// indexes and sequences left as the schema has them, deterministic, and the same rows in safe mode.
import { beforeAll, describe, expect, it } from 'vitest';
import { seedScale, type Progress, type ScaleOptions, type ScaleResult } from '../../scripts/seed-scale';
import { verifyForeignKeys } from '../../scripts/scale/fast';
import { parseScaleArgs } from '../../scripts/scale/options';
import { useTestDatabase, type TestDatabase } from '../harness';

const db = useTestDatabase();
const fast = useTestDatabase();
const safe = useTestDatabase();

const BULK = ['companies', 'contacts', 'deals', 'events'];
const SMALL: Partial<ScaleOptions> = { tenants: 2, deals: 3_000, events: 8_000, contacts: 600, companies: 40, users: 7, products: 4 };

async function indexes(database: TestDatabase): Promise<string[]> {
  const { rows } = await database.pool.query<{ def: string }>(
    `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY indexname`,
    [BULK],
  );
  return rows.map((r) => r.def);
}

async function count(database: TestDatabase, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await database.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

async function digest(database: TestDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of ['tenants', 'users', 'products', 'sales_stages', ...BULK]) {
    const { rows } = await database.pool.query<{ d: string }>(
      `SELECT md5(coalesce(string_agg((to_jsonb(t) - 'password')::text, E'\\n' ORDER BY t.id), '')) AS d FROM ${table} t`,
    );
    out[table] = rows[0]!.d;
  }
  return out;
}

describe('scale seeder', () => {
  const progress: Progress[] = [];
  let result: ScaleResult;
  let indexesBefore: string[];
  beforeAll(async () => {
    indexesBefore = await indexes(db);
    result = await seedScale(
      db.url,
      { tenants: 3, deals: 20_000, events: 50_000, contacts: 5_000, companies: 250, smallContacts: 10, smallCompanies: 5, users: 8, products: 5, batchRows: 15_000 },
      (p) => progress.push(p),
    );
  });

  it('writes exactly the requested counts, the big volumes in scale1', async () => {
    expect(result.rows).toEqual({ companies: 260, contacts: 5_020, deals: 20_000, events: 50_000 });
    const { rows } = await db.pool.query<{ subdomain: string; deals: string; events: string; contacts: string; companies: string; users: string; roles: string; products: string; stages: string }>(`
      SELECT t.subdomain,
             (SELECT count(*) FROM deals x WHERE x.tenant_id = t.id) AS deals,
             (SELECT count(*) FROM events x WHERE x.tenant_id = t.id) AS events,
             (SELECT count(*) FROM contacts x WHERE x.tenant_id = t.id) AS contacts,
             (SELECT count(*) FROM companies x WHERE x.tenant_id = t.id) AS companies,
             (SELECT count(*) FROM users x WHERE x.tenant_id = t.id) AS users,
             (SELECT count(*) FROM roles x WHERE x.tenant_id = t.id) AS roles,
             (SELECT count(*) FROM products x WHERE x.tenant_id = t.id) AS products,
             (SELECT count(*) FROM sales_stages x WHERE x.tenant_id = t.id) AS stages
        FROM tenants t ORDER BY t.id`);
    const n = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'subdomain' ? v : Number(v)]));
    expect(rows.map(n)).toEqual([
      { subdomain: 'scale1', deals: 20_000, events: 50_000, contacts: 5_000, companies: 250, users: 8, roles: 6, products: 5, stages: 6 },
      { subdomain: 'scale2', deals: 0, events: 0, contacts: 10, companies: 5, users: 8, roles: 6, products: 5, stages: 6 },
      { subdomain: 'scale3', deals: 0, events: 0, contacts: 10, companies: 5, users: 8, roles: 6, products: 5, stages: 6 },
    ]);
  });

  it('leaves valid references, the schema indexes and usable sequences', async () => {
    expect(result.triggersOff).toBe(true); // the test server's role is a superuser
    expect(await indexes(db)).toEqual(indexesBefore);
    for (const table of BULK) await verifyForeignKeys(db.pool, table, result.tenantIds);
    // Deals point at a contact of their company and an owner of their tenant (checked independently of fast.ts).
    expect(await count(db, `SELECT count(*) AS n FROM deals d JOIN contacts c ON c.id = d.contact_id
      WHERE c.company_id <> d.company_id OR c.tenant_id <> d.tenant_id OR c.assigned_to_id <> d.assigned_to_id`)).toBe(0);
    for (const table of BULK) {
      const { rows } = await db.pool.query<{ last: string; max: string }>(
        `SELECT (SELECT last_value FROM ${table}_id_seq) AS last, (SELECT max(id) FROM ${table}) AS max`,
      );
      expect(Number(rows[0]!.last), table).toBe(Number(rows[0]!.max));
    }
    // An ordinary insert after the load gets a fresh id.
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO deals (title, tenant_id) VALUES ('after the load', $1) RETURNING id`, [result.tenantIds[1]],
    );
    expect(rows[0]!.id).toBe(20_001);
    // ANALYZE ran: column statistics exist (CREATE INDEX alone would not write them).
    expect(await count(db, `SELECT count(*) AS n FROM pg_stats WHERE schemaname = 'public' AND tablename = 'events'`)).toBeGreaterThan(0);
  });

  it('reports progress per phase, ending at the totals', () => {
    const last = (phase: string) => progress.filter((p) => p.phase === phase).at(-1);
    expect(last('deals')).toMatchObject({ done: 20_000, total: 20_000 });
    expect(last('events')).toMatchObject({ done: 50_000, total: 50_000 });
    expect(last('analyze')).toMatchObject({ done: 1, total: 1 });
    expect(progress.filter((p) => p.phase === 'events').length).toBeGreaterThan(3);
  });

  it('refuses to run twice on the same database and leaves it unchanged', async () => {
    await expect(seedScale(db.url, { tenants: 1, deals: 10, events: 10, contacts: 10 })).rejects.toThrow(/already exists/);
    expect(await count(db, 'SELECT count(*) AS n FROM tenants')).toBe(3);
  });

  it('catches a dangling reference written with triggers off', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(`INSERT INTO deals (title, contact_id, tenant_id) VALUES ('dangling', 999999, $1)`, [result.tenantIds[0]]);
      await expect(verifyForeignKeys(client, 'deals', result.tenantIds)).rejects.toThrow(/deals_contact_id_fk \(1\)/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('is deterministic, and the safe (row by row) load writes the same rows', async () => {
    const a = await seedScale(fast.url, { ...SMALL, vacuum: true });
    const b = await seedScale(safe.url, { ...SMALL, safe: true });
    expect(a.triggersOff).toBe(true);
    expect(b.triggersOff).toBe(false);
    expect(b.rebuiltIndexes).toBe(0);
    expect(a.phases.map((p) => p.phase)).toContain('vacuum');
    const [da, db_] = [await digest(fast), await digest(safe)];
    expect(db_).toEqual(da);
  });
});

describe('scale seeder command line', () => {
  it('parses counts with suffixes and defaults companies from contacts', () => {
    const o = parseScaleArgs(['--tenants', '3', '--deals', '1m', '--events', '10_000_000', '--contacts', '50k', '--safe']);
    expect(o).toMatchObject({ tenants: 3, deals: 1_000_000, events: 10_000_000, contacts: 50_000, companies: 2_500, safe: true });
    expect(parseScaleArgs(['--help'])).toBe('help');
    expect(() => parseScaleArgs(['--deals', 'many'])).toThrow(/--deals/);
    expect(() => parseScaleArgs(['--users', '3'])).toThrow(/users/);
    expect(() => parseScaleArgs(['--bogus', '1'])).toThrow();
  });
});
