// Tenant integrity: a row can only reference rows of its own tenant. Every reference is a composite foreign key
// (tenant_id, x_id) -> target(tenant_id, id); each one is tried across tenants, by INSERT and by UPDATE.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import {
  addRow,
  consistencyKeys,
  expectInsertRejected,
  expectUpdateRejected,
  fillTenant,
  findRow,
  insertRow,
  makeTenant,
  references,
  rowFor,
  seedReferences,
  seedTables,
  tenantTables,
  type Tenant,
} from './fixtures';

const db = useTestDatabase();
let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  a = await fillTenant(db.pool, await makeTenant(db.pool, 'tenant-a'));
  b = await fillTenant(db.pool, await makeTenant(db.pool, 'tenant-b'));
});

interface CatalogFk {
  name: string;
  table: string;
  columns: string[];
  target: string;
  target_columns: string[];
  on_delete: string;
  on_delete_set_columns: string[] | null;
}

async function catalogForeignKeys(): Promise<CatalogFk[]> {
  const { rows } = await db.pool.query(`
    SELECT c.conname AS name, c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target,
           array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
           array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS target_columns,
           c.confdeltype::text AS on_delete,
           CASE WHEN c.confdelsetcols IS NULL THEN NULL ELSE
             array(SELECT a.attname::text FROM unnest(c.confdelsetcols) k(n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) END AS on_delete_set_columns
    FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace ORDER BY 1`);
  return rows as CatalogFk[];
}

/**
 * The only foreign keys that are neither <table>_tenant_fk nor (tenant_id, x_id) -> target(tenant_id, id): the
 * consistency keys between two references of one row (consistency.test.ts). Named here, so a new one is a decision.
 */
const CONSISTENCY_KEYS: Record<string, Partial<CatalogFk>> = {
  // A message's user is its conversation's user.
  agent_messages_conversation_owner_fk: {
    table: 'agent_messages',
    columns: ['tenant_id', 'conversation_id', 'user_id'],
    target: 'agent_conversations',
    target_columns: ['tenant_id', 'id', 'user_id'],
    on_delete: 'c',
  },
  // A prospect's conversation is one of the prospect's assistant.
  assistant_prospects_conversation_assistant_fk: {
    table: 'assistant_prospects',
    columns: ['tenant_id', 'conversation_id', 'assistant_id'],
    target: 'assistant_conversations',
    target_columns: ['tenant_id', 'id', 'assistant_id'],
    on_delete: 'c',
  },
};

describe('the references, from the schema and the database catalog', () => {
  it('every foreign key is <table>_tenant_fk, a composite (tenant_id, x_id) -> target(tenant_id, id), or a named consistency key', async () => {
    const catalog = await catalogForeignKeys();
    for (const fk of catalog) {
      if (fk.columns.length === 1) {
        expect(fk, fk.name).toMatchObject({ name: `${fk.table}_tenant_fk`, columns: ['tenant_id'], target: 'tenants', target_columns: ['id'] });
      } else if (fk.columns.length === 2) {
        expect(fk, fk.name).toMatchObject({ columns: ['tenant_id', expect.any(String)], target_columns: ['tenant_id', 'id'] });
      } else {
        expect(Object.keys(CONSISTENCY_KEYS), `${fk.name} is one of the consistency keys`).toContain(fk.name);
        expect(fk, fk.name).toMatchObject(CONSISTENCY_KEYS[fk.name]!);
      }
    }
    // Both are in the database, and they are exactly the Drizzle schema's three-column keys.
    const threeColumn = catalog.filter((fk) => fk.columns.length === 3).map((fk) => fk.name);
    expect(threeColumn).toEqual(Object.keys(CONSISTENCY_KEYS).sort());
    expect(consistencyKeys.map((k) => k.name)).toEqual(threeColumn);
  });

  it('every table with a tenant_id belongs to its tenant: <table>_tenant_fk ON DELETE CASCADE', async () => {
    const tenantFks = (await catalogForeignKeys()).filter((fk) => fk.columns.length === 1);
    expect(tenantFks.map((fk) => fk.table).sort()).toEqual(tenantTables);
    for (const fk of tenantFks) expect(fk.on_delete, fk.name).toBe('c');
    expect(tenantTables).toEqual(expect.arrayContaining(seedTables.filter((t) => t !== 'tenants')));
  });

  it('the composite foreign keys in the database are exactly those of the Drizzle schema, with its ON DELETE', async () => {
    const actions: Record<string, string> = { cascade: 'c', 'set null': 'n', 'no action': 'a' };
    const catalog = (await catalogForeignKeys()).filter((fk) => fk.columns.length === 2);
    expect(catalog.map((fk) => fk.name)).toEqual(references.map((r) => r.name));
    for (const r of references) {
      const fk = catalog.find((c) => c.name === r.name)!;
      expect(fk, r.name).toMatchObject({
        table: r.table,
        columns: ['tenant_id', r.column],
        target: r.target,
        on_delete: actions[r.onDelete],
        // SET NULL clears only the reference; a plain SET NULL would also null tenant_id (NOT NULL) and fail.
        on_delete_set_columns: r.onDelete === 'set null' ? [r.column] : null,
      });
    }
  });

  it('every reference the seed documents is one of them, and none is undocumented', () => {
    const key = (r: { table: string; column: string; target: string }) => `${r.table}.${r.column} -> ${r.target}`;
    const seedTableSet = new Set(seedTables);
    expect(references.filter((r) => seedTableSet.has(r.table)).map(key).sort()).toEqual(seedReferences.map(key).sort());
  });
});

describe('a row of tenant A cannot reference a row of tenant B', () => {
  it.each(references.map((r) => [`${r.name}: ${r.table}.${r.column} -> ${r.target}`, r] as const))('%s', async (_, r) => {
    const own = a.rows[r.target]!;
    const foreign = b.rows[r.target]!;
    // The same row pointing at tenant A's own row is accepted...
    const control = await insertRow(db.pool, r.table, rowFor(r.table, a));
    expect(control[r.column]).toBe(own);
    // ...at tenant B's row (which exists) it is refused, on INSERT and on UPDATE.
    const violation = { code: '23503' as const, constraint: r.name };
    await expectInsertRejected(db.pool, r.table, { ...rowFor(r.table, a), [r.column]: foreign }, violation);
    await expectUpdateRejected(db.pool, r.table, control.id as number, { [r.column]: foreign }, violation);
  });
});

describe('moving rows between tenants', () => {
  it("a row cannot move to another tenant while it references its tenant's rows", async () => {
    const company = await addRow(db.pool, 'companies', a, {}, 'required');
    const contact = await addRow(db.pool, 'contacts', a, { company_id: company }, 'required');
    await expectUpdateRejected(db.pool, 'contacts', contact, { tenant_id: b.tenantId }, { code: '23503', constraint: 'contacts_company_id_fk' });
  });

  it("a referenced row cannot move to another tenant, away from the rows that reference it", async () => {
    const company = await addRow(db.pool, 'companies', a, {}, 'required');
    await addRow(db.pool, 'contacts', a, { company_id: company }, 'required');
    await expectUpdateRejected(db.pool, 'companies', company, { tenant_id: b.tenantId }, { code: '23503', constraint: 'contacts_company_id_fk' });
    expect((await findRow(db.pool, 'companies', company))!.tenant_id).toBe(a.tenantId);
  });
});

describe('a row must belong to an existing tenant', () => {
  it.each(tenantTables)('%s refuses an unknown tenant_id', async (table) => {
    const required = references.filter((r) => r.table === table && r.notNull).map((r) => r.name);
    // A row with NOT NULL references is refused by whichever of its keys PostgreSQL checks first.
    const constraint = required.length === 0 ? `${table}_tenant_fk` : expect.toSatisfy((c: string) => [`${table}_tenant_fk`, ...required].includes(c));
    await expectInsertRejected(db.pool, table, { ...rowFor(table, a, 'required'), tenant_id: 2_000_000_000 }, { code: '23503', constraint });
  });
});
