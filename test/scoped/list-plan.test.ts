// The list queries the scoped data layer sends, as PostgreSQL plans them: the default order (newest first) and
// its reverse come straight from the list index, however big the tenant (no sort of all its rows); the scope
// carries no repeated alternatives (they made the planner think most of the table matched). And keyset pages
// (exports) read every row once and refuse a forged cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../domain/db';
import { DomainError } from '../../domain/errors';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { statementRecorder } from '../harness/statements';

const db = useTestDatabase();
let database: Database;
let data: ScopedData;
let director: Actor;
let record: ReturnType<typeof statementRecorder>;

/** The SELECT statements the layer sends while `fn` runs. */
async function statements(fn: () => Promise<unknown>) {
  return (await record(fn)).filter((s) => /^select "/i.test(s.text));
}

/** EXPLAIN of a captured statement as the application role in the tenant, sorts priced out of reach. */
async function plan(statement: { text: string; values: unknown[] }): Promise<string> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('role', 'epesi_app', true), set_config('epesi.tenant_id', $1, true)`, [String(director.principal.tenantId)]);
    await client.query('SET LOCAL enable_sort = off'); // a sort stays only where no index gives the order
    const { rows } = await client.query(`EXPLAIN ${statement.text}`, statement.values);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

beforeAll(async () => {
  await seedDemo(db);
  database = connect(db.url, 2);
  record = statementRecorder(database);
  data = new ScopedData(database);
  const { rows: [u] } = await db.pool.query(`SELECT u.id, u.tenant_id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.subdomain = 'acme' AND u.username = 'director'`);
  director = await data.actor(u.tenant_id, u.id);
});
afterAll(() => database?.close());

describe('list plans', () => {
  it.each(['companies', 'contacts', 'leads', 'deals', 'activities'])('%s: newest first, and oldest first, come from the list index', async (name) => {
    for (const query of [{}, { sortBy: 'created_at', direction: 'desc' as const }, { sortBy: 'created_at', direction: 'asc' as const }]) {
      const [select] = await statements(() => data.list(director, name, { ...query, perPage: 20, withTotal: false }));
      const text = await plan(select!);
      expect(text, text).toMatch(new RegExp(`Index Scan( Backward)? using ${name}_created_idx`));
      expect(text, text).not.toMatch(/Sort/);
    }
  });

  it('states each alternative of the scope once', async () => {
    // The Director's deals: several rules (manage_deals, view_all_data...) all carry the same workspace condition.
    const [select] = await statements(() => data.list(director, 'deals', { perPage: 20, withTotal: false }));
    expect(select!.text.match(/"workspace_id" is null/g)).toHaveLength(1);
  });

  it('sets the role and the tenant in one round trip per transaction', async () => {
    // A deal the director may read (their tenant, their workspace or tenant-wide): a read that commits.
    const id = (await db.pool.query(
      `SELECT d.id FROM deals d JOIN users u ON u.tenant_id = d.tenant_id AND u.id = $1
        WHERE d.workspace_id IS NULL OR d.workspace_id = u.workspace_id ORDER BY d.id LIMIT 1`,
      [director.principal.userId],
    )).rows[0].id;
    const sent = (await record(() => data.get(director, 'deals', id).catch(() => {}))).map((s) => s.text.trim().split(/\s+/)[0]!.toLowerCase());
    expect(sent).toEqual(['begin', 'select', 'select', 'commit']);
  });
});

describe('keyset pages', () => {
  it('refuse a forged or garbled cursor with a 400', async () => {
    for (const after of ['not base64 json', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1, 2]').toString('base64url')]) {
      const error = await data.list(director, 'deals', { after }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe('invalid');
    }
  });

  it('read every row once, in order, whatever the page size and sort', async () => {
    for (const sort of [{}, { sortBy: 'value', direction: 'asc' as const }, { sortBy: 'expected_close_date', direction: 'desc' as const }, { sortBy: 'title', direction: 'asc' as const }]) {
      const all = (await data.list(director, 'deals', { ...sort, perPage: 500 })).records.map((r) => r.id);
      const paged: unknown[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 1000; guard++) {
        const page: Awaited<ReturnType<typeof data.list>> = await data.list(director, 'deals', { ...sort, perPage: 7, after, withTotal: false });
        paged.push(...page.records.map((r) => r.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(paged).toEqual(all);
    }
  });
});
