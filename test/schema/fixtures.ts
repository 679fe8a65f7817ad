// Fixtures for the schema tests: valid rows for every table, derived from the Drizzle schema, and tenants filled with
// them. Everything goes through raw SQL on the real database, so what the tests see is what any client sees.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { expect } from 'vitest';
import { allTables } from '../../schema/derived-ddl';

export type Row = Record<string, unknown>;
export type Sql = pg.Pool | pg.PoolClient;

/** A syntactically valid argon2id PHC string (users.password accepts only argon2id hashes). */
export const ARGON2ID_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

// ---------------------------------------------------------------------------------------------------------------
// The schema as data

// (Not access_version: its one row is written by triggers only, so the generic row tests cannot add one;
// test/admin/page-reads.test.ts shows what it does.)
export const tableConfigs = allTables.map((t) => getTableConfig(t)).filter((c) => c.name !== 'access_version');
export const tableConfig = (name: string) => {
  const config = tableConfigs.find((c) => c.name === name);
  if (!config) throw new Error(`no table ${name}`);
  return config;
};

const hasTenantColumn = (name: string) => tableConfig(name).columns.some((c) => c.name === 'tenant_id');

/** Every table that belongs to a tenant (has tenant_id): the seed's 25 and any the product adds (audit_log). */
export const tenantTables = tableConfigs.map((c) => c.name).filter(hasTenantColumn).sort();

/** The seed's 26 tables, as the seed document lists them ("### N. Title (`table`)"). */
export const seedTables: string[] = [
  ...readFileSync(new URL('../fixtures/epesicrm-schema.md', import.meta.url), 'utf8').matchAll(/^### \d+\. .*\(`([a-z_]+)`\)/gm),
].map((m) => m[1]!);

/** The references the seed documents: "| `column` | INTEGER ... | References `target.id` ... |", tenant_id aside. */
export const seedReferences: { table: string; column: string; target: string }[] = (() => {
  const found: { table: string; column: string; target: string }[] = [];
  let table = '';
  for (const line of readFileSync(new URL('../fixtures/epesicrm-schema.md', import.meta.url), 'utf8').split('\n')) {
    const heading = /^### \d+\. .*\(`([a-z_]+)`\)/.exec(line);
    if (heading) table = heading[1]!;
    const ref = /^\| `([a-z_]+)` \|[^|]*\| References `([a-z_]+)\.id`/.exec(line);
    if (ref && table && ref[1] !== 'tenant_id') found.push({ table, column: ref[1]!, target: ref[2]! });
  }
  return found;
})();

/** A tenant-safe reference: FOREIGN KEY (tenant_id, column) REFERENCES target (tenant_id, id). */
export interface Reference {
  name: string;
  table: string;
  column: string;
  target: string;
  /** As declared in Drizzle; the schema's 'restrict' is NO ACTION (checked at the end of the statement). */
  onDelete: 'cascade' | 'set null' | 'no action';
  notNull: boolean;
}

export const references: Reference[] = tableConfigs
  .flatMap((config) =>
    config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      const columns = ref.columns.map((c) => c.name);
      if (columns.length === 1) return undefined; // <table>_tenant_fk, checked separately
      // Consistency keys between two references of one row (a message's user is its conversation's user):
      // tested in consistency.test.ts.
      if (columns.length === 3) return undefined;
      const target = getTableConfig(ref.foreignTable).name;
      if (columns.length !== 2 || columns[0] !== 'tenant_id') {
        throw new Error(`${fk.getName()}: a reference that is not (tenant_id, x_id)`);
      }
      const column = columns[1]!;
      return {
        name: fk.getName(),
        table: config.name,
        column,
        target,
        onDelete: (fk.onDelete ?? 'no action') as Reference['onDelete'],
        notNull: config.columns.find((c) => c.name === column)!.notNull,
      };
    }),
  )
  .filter((r): r is Reference => r !== undefined)
  .sort((a, b) => a.name.localeCompare(b.name));

/**
 * A consistency key between two references of one row: FOREIGN KEY (tenant_id, via, shared) REFERENCES
 * target (tenant_id, id, shared). The row's `via` row must agree with it on `shared` (a message's user is its
 * conversation's user). Not in `references`; tested in consistency.test.ts.
 */
export interface ConsistencyKey {
  name: string;
  table: string;
  /** The reference whose row must agree (conversation_id). */
  via: string;
  target: string;
  /** The column both rows hold (user_id, assistant_id), named alike on both sides. */
  shared: string;
  onDelete: Reference['onDelete'];
}

export const consistencyKeys: ConsistencyKey[] = tableConfigs
  .flatMap((config) =>
    config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      const columns = ref.columns.map((c) => c.name);
      if (columns.length !== 3) return undefined;
      const foreignColumns = ref.foreignColumns.map((c) => c.name);
      const [tenant, via, shared] = columns as [string, string, string];
      if (tenant !== 'tenant_id' || foreignColumns.join() !== `tenant_id,id,${shared}`) {
        throw new Error(`${fk.getName()}: a consistency key that is not (tenant_id, x_id, y_id) -> target (tenant_id, id, y_id)`);
      }
      return {
        name: fk.getName(),
        table: config.name,
        via,
        target: getTableConfig(ref.foreignTable).name,
        shared,
        onDelete: (fk.onDelete ?? 'no action') as Reference['onDelete'],
      };
    }),
  )
  .filter((k): k is ConsistencyKey => k !== undefined)
  .sort((a, b) => a.name.localeCompare(b.name));

/** Tables in an order where every table comes after the tables it references (self-references aside). */
export const insertOrder: string[] = (() => {
  const order: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (order.includes(table)) return;
    if (path.includes(table)) throw new Error(`reference cycle: ${[...path, table].join(' -> ')}`);
    for (const r of references) if (r.table === table && r.target !== table) visit(r.target, [...path, table]);
    order.push(table);
  };
  for (const t of tenantTables) visit(t, []);
  return order;
})();

// ---------------------------------------------------------------------------------------------------------------
// Rows

let sequence = 0;
/** A number unique within the test file, for names that must be unique. */
export const nextSeq = () => ++sequence;

/** Values for the NOT NULL columns that have no default and are not references: the least a valid row needs. */
const required: Record<string, (n: number) => Row> = {
  tenants: (n) => ({ name: `Tenant ${n}`, subdomain: `tenant-${n}` }),
  workspaces: (n) => ({ name: `Workspace ${n}` }),
  projects: (n) => ({ name: `Project ${n}` }),
  roles: (n) => ({ name: `Role ${n}`, level: 1 }),
  users: (n) => ({
    username: `user${n}`,
    password: ARGON2ID_HASH,
    email: `user${n}@example.test`,
    first_name: 'Ada',
    last_name: `User${n}`,
  }),
  companies: (n) => ({ name: `Company ${n}` }),
  leads: (n) => ({ first_name: 'Lea', last_name: `Lead${n}`, email: `lead${n}@example.test` }),
  contacts: (n) => ({ first_name: 'Con', last_name: `Contact${n}`, email: `contact${n}@example.test` }),
  activity_types: (n) => ({ type_name: `Call ${n}` }),
  sales_pipelines: (n) => ({ title: `Pipeline ${n}` }),
  sales_stages: (n) => ({ title: `Stage ${n}`, order: n }),
  interest_levels: (n) => ({ level: `Level ${n}` }),
  product_types: (n) => ({ name: `Type ${n}` }),
  product_categories: (n) => ({ name: `Category ${n}` }),
  products: (n) => ({ name: `product-${n}`, title: `Product ${n}`, sale_price: '10.00' }),
  product_offers: (n) => ({ name: `Offer ${n}`, discount_type: 'percentage', discount_value: '10.00' }),
  deals: (n) => ({ title: `Deal ${n}` }),
  activities: (n) => ({ subject: `Activity ${n}` }),
  events: () => ({ event_name: 'page.view' }),
  agent_conversations: (n) => ({ title: `Chat ${n}` }),
  agent_messages: () => ({ role: 'user', content: 'Hello' }),
  assistants: (n) => ({ name: `Assistant ${n}`, system_prompt: 'Be helpful.' }),
  assistant_conversations: () => ({ visitor_id: randomUUID() }),
  assistant_messages: () => ({ role: 'user', content: 'Hi' }),
  assistant_documents: (n) => ({ type: 'faq', name: `FAQ ${n}` }),
  assistant_prospects: (n) => ({ email: `prospect${n}@example.test` }),
  // Beyond the seed.
  audit_log: (n) => ({ resource: 'deals', record_id: n, action: 'create' }),
  sessions: (n) => ({ sid: `sid-${n}`, sess: '{}', expire: '2030-01-01 00:00:00' }),
  rate_limits: (n) => ({ key: `test:${n}` }),
  ingest_keys: (n) => ({ name: `Key ${n}`, key_prefix: 'epk_test', key_hash: createHash('sha256').update(`key-${n}`).digest('hex') }),
  // Ids far above any event the tests write (the events trigger queues those itself).
  events_pending: (n) => ({ event_id: 1_000_000_000 + n }),
  events_in_flight: (n) => ({ first_event_id: 1_000_000_000 + n, last_event_id: 1_000_000_000 + n }),
};

/** One row of each tenant table, by table name: what a row of that tenant may reference. */
export type TenantRows = Record<string, number>;

export interface Tenant {
  tenantId: number;
  subdomain: string;
  workspaceId: number;
  roleId: number;
  userId: number;
  rows: TenantRows;
}

/**
 * A valid row of `table` for `tenant`. refs 'all' points every reference at the tenant's rows (so the row touches
 * every rule of the table); 'required' sets only the NOT NULL references (a row nothing else depends on).
 */
export function rowFor(table: string, tenant: Pick<Tenant, 'tenantId' | 'rows'>, refs: 'all' | 'required' = 'all'): Row {
  const make = required[table];
  if (!make) throw new Error(`no row factory for ${table}`);
  const row: Row = { ...make(nextSeq()), ...(hasTenantColumn(table) && { tenant_id: tenant.tenantId }) };
  for (const r of references) {
    if (r.table !== table || (refs === 'required' && !r.notNull)) continue;
    const id = tenant.rows[r.target];
    if (id === undefined) throw new Error(`${table}.${r.column}: tenant ${tenant.tenantId} has no ${r.target} row yet`);
    row[r.column] = id;
  }
  return fixup(table, row);
}

/** Cross-column rules a row must keep when its references change. */
export function fixup(table: string, row: Row): Row {
  // assistants_scope_workspace: a workspace assistant names its workspace, a tenant assistant does not.
  if (table === 'assistants' && row.workspace_id != null) row.scope = 'workspace';
  return row;
}

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

export async function insertRow(sql: Sql, table: string, row: Row): Promise<Row> {
  const columns = Object.keys(row);
  const { rows } = await sql.query(
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    columns.map((c) => row[c]),
  );
  return rows[0] as Row;
}

export async function updateRow(sql: Sql, table: string, id: number, set: Row): Promise<Row | undefined> {
  const columns = Object.keys(set);
  const { rows } = await sql.query(
    `UPDATE ${quote(table)} SET ${columns.map((c, i) => `${quote(c)} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
    [id, ...columns.map((c) => set[c])],
  );
  return rows[0] as Row | undefined;
}

export async function findRow(sql: Sql, table: string, id: number): Promise<Row | undefined> {
  const { rows } = await sql.query(`SELECT * FROM ${quote(table)} WHERE id = $1`, [id]);
  return rows[0] as Row | undefined;
}

export async function countRows(sql: Sql, table: string, tenantId?: number): Promise<number> {
  const where = tenantId === undefined ? '' : ` WHERE ${table === 'tenants' ? 'id' : 'tenant_id'} = $1`;
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM ${quote(table)}${where}`, tenantId === undefined ? [] : [tenantId]);
  return (rows[0] as { n: number }).n;
}

/** Inserts a row of `table` for `tenant` (all references inside the tenant), with `overrides`; returns its id. */
export async function addRow(sql: Sql, table: string, tenant: Pick<Tenant, 'tenantId' | 'rows'>, overrides: Row = {}, refs: 'all' | 'required' = 'all') {
  const row = await insertRow(sql, table, fixup(table, { ...rowFor(table, tenant, refs), ...overrides }));
  return row.id as number;
}

// ---------------------------------------------------------------------------------------------------------------
// Tenants

/** A tenant with a workspace, a role and a user (the minimum a user of the CRM needs). */
export async function makeTenant(sql: Sql, subdomain = `tenant-${nextSeq()}`): Promise<Tenant> {
  const tenant = await insertRow(sql, 'tenants', { name: `Tenant ${subdomain}`, subdomain });
  const t: Tenant = { tenantId: tenant.id as number, subdomain, workspaceId: 0, roleId: 0, userId: 0, rows: {} };
  t.rows.workspaces = t.workspaceId = await addRow(sql, 'workspaces', t);
  t.rows.roles = t.roleId = await addRow(sql, 'roles', t, { name: 'Admin', level: 6, permissions: ['manage_users'] });
  t.rows.users = t.userId = await addRow(sql, 'users', t, { workspace_id: t.workspaceId }, 'required');
  return t;
}

/**
 * Gives the tenant a row in every tenant table (the seed's 25, and audit_log), each pointing every reference at the tenant's own
 * rows (so deals sit in a stage, users have a manager, rows are in a workspace...). Returns the tenant.
 */
export async function fillTenant(sql: Sql, t: Tenant): Promise<Tenant> {
  for (const table of insertOrder) {
    const id = await addRow(sql, table, t);
    t.rows[table] ??= id;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// What a caller sees when the database refuses a write

export interface Violation {
  code: '23514' | '23505' | '23503' | '23502';
  /** The constraint named in the error (not-null violations name a column instead). */
  constraint?: unknown;
  column?: string;
  table?: string;
}

/** The insert is refused with `violation`, and the table holds exactly the rows it held before. */
export async function expectInsertRejected(sql: Sql, table: string, row: Row, violation: Violation) {
  const before = await countRows(sql, table);
  await expect(insertRow(sql, table, row)).rejects.toMatchObject(violation);
  expect(await countRows(sql, table), `no ${table} row written`).toBe(before);
}

/** The update is refused with `violation`, and the row is unchanged. */
export async function expectUpdateRejected(sql: Sql, table: string, id: number, set: Row, violation: Violation) {
  const before = await findRow(sql, table, id);
  expect(before, `${table} ${id} exists`).toBeDefined();
  await expect(updateRow(sql, table, id, set)).rejects.toMatchObject(violation);
  expect(await findRow(sql, table, id), `${table} ${id} unchanged`).toEqual(before);
}
