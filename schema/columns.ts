// Building blocks shared by every table, so each table file lists only what is its own.
import { sql, type SQL } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  serial,
  timestamp,
  unique,
  getTableConfig,
  type AnyPgColumn,
  type PgColumn,
  type PgTable,
} from 'drizzle-orm/pg-core';

// Drizzle has no metadata of its own on a column; a column keeps its builder's config object, so the
// config (by identity) is the mark.
const secretConfigs = new WeakSet<object>();
const configOf = (c: unknown) => (c as { config: object }).config;

/**
 * A secret (a password hash, a key hash): never read back through any path, never in the audit trail. This one
 * mark is the list: the scoped layer's read rules, the CSV export, the back office and the audit trigger follow it.
 */
export function secret<B>(builder: B): B {
  secretConfigs.add(configOf(builder));
  return builder;
}

/** The names of a table's secret columns. */
export const secretColumns = (table: PgTable): string[] =>
  getTableConfig(table).columns.filter((c) => secretConfigs.has(configOf(c))).map((c) => c.name);

/** How a reference behaves when the referenced row is deleted (documented per relation in the README). */
export type OnDelete = 'cascade' | 'set null' | 'restrict';

/**
 * The columns the system sets and no client writes: the tenant (from the session), the id, and the two
 * timestamps (defaults and the updated_at trigger). Defined here once; ability, validation, the scoped layer
 * and the back office all read this list.
 */
export const SYSTEM_FIELDS = ['tenant_id', 'id', 'created_at', 'updated_at'] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];
export const isSystemField = (name: string): name is SystemField => (SYSTEM_FIELDS as readonly string[]).includes(name);

/**
 * Email columns are known by name (`email`, `visitor_email`...): validation refuses what is not an address in them.
 * A naming rule of the schema rather than a list, so a new table's `email` column is checked without more code.
 */
export const isEmailColumn = (name: string) => /(^|_)email$/.test(name);

export const id = () => serial('id' satisfies SystemField).primaryKey();

/** Seed timestamps are TIMESTAMP (without time zone); the app keeps them in UTC. */
export const createdAt = () => timestamp('created_at' satisfies SystemField, { mode: 'date' }).notNull().defaultNow();
/** Kept current on every UPDATE by a database trigger (schema/derived-ddl.ts), whatever the client. */
export const updatedAt = () => timestamp('updated_at' satisfies SystemField, { mode: 'date' }).notNull().defaultNow();
export const tenantId = () => integer('tenant_id' satisfies SystemField).notNull();
/** Where a record sits: a workspace (NULL: the whole tenant) and a project. */
export const placement = () => ({ workspaceId: integer('workspace_id'), projectId: integer('project_id') });

type TenantColumns = { id: AnyPgColumn; tenantId: AnyPgColumn };
type IndexColumn = Parameters<ReturnType<typeof index>['on']>[number];
type EnumColumn = PgColumn & { enumValues?: readonly string[] };
const literal = (v: string) => sql.raw(`'${v.replace(/'/g, "''")}'`);

/**
 * The constraint vocabulary of one table, named after it (`<table>_<column>_<rule>`), so that
 * each table file states its rules in one line each and errors name the rule that failed.
 */
export function rulesFor(name: string, t: TenantColumns) {
  const ref = (col: PgColumn, target: TenantColumns, onDelete: OnDelete, options: { sparse?: boolean } = {}) => {
    const byReference = index(`${name}_${col.name}_idx`).on(t.tenantId, col);
    return [
      foreignKey({ name: `${name}_${col.name}_fk`, columns: [t.tenantId, col], foreignColumns: [target.tenantId, target.id] })
        .onDelete(onDelete === 'restrict' ? 'no action' : onDelete)
        .onUpdate('no action'),
      // sparse: only the rows that do reference something are indexed (a mostly-NULL column costs nothing per
      // NULL row); the delete of a target and lookups by a value still use it.
      options.sparse ? byReference.where(sql`${col} IS NOT NULL`) : byReference,
    ];
  };
  return {
    /**
     * What every tenant-owned table carries: its tenant (deleting a tenant deletes the row) and
     * UNIQUE (tenant_id, id), the target of the composite foreign keys that keep references inside one tenant.
     */
    tenant: (tenants: { id: AnyPgColumn }) => [
      unique(`${name}_tenant_id_id_key`).on(t.tenantId, t.id),
      foreignKey({ name: `${name}_tenant_fk`, columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    ],
    /**
     * A reference that cannot cross tenants: (tenant_id, col) -> target(tenant_id, id), plus its index
     * (`sparse`: of the non-NULL rows only).
     * 'set null' is emitted as `ON DELETE SET NULL (col)` (PostgreSQL 15) by scripts/db-generate.ts,
     * so only the reference is cleared and tenant_id stays. 'restrict' is NO ACTION, checked at the end
     * of the statement, so deleting a whole tenant still cascades through it.
     */
    ref,
    /** The references of placement(): a workspace in use cannot be deleted; a deleted project just unlinks. */
    placedIn: (p: { workspaceId: PgColumn; projectId: PgColumn }, workspaces: TenantColumns, projects: TenantColumns) => [
      ...ref(p.workspaceId, workspaces, 'restrict'),
      ...ref(p.projectId, projects, 'set null'),
    ],
    /** CHECK that a text column holds one of the values its Drizzle `enum` option lists. */
    oneOf: (col: EnumColumn) => {
      // Extra-config callbacks get ExtraConfigColumns, which keep the enum only in their config.
      const values = col.enumValues ?? (col as unknown as { config?: { enumValues?: readonly string[] } }).config?.enumValues ?? [];
      if (!values.length) throw new Error(`${name}.${col.name} has no enum values`);
      return check(`${name}_${col.name}_check`, sql`${col} in (${sql.join(values.map(literal), sql`, `)})`);
    },
    /** CHECK lo <= col <= hi (NULL passes, as for every CHECK). */
    between: (col: PgColumn, lo: number, hi: number) =>
      check(`${name}_${col.name}_range`, sql`${col} between ${sql.raw(String(lo))} and ${sql.raw(String(hi))}`),
    nonNegative: (col: PgColumn) => check(`${name}_${col.name}_non_negative`, sql`${col} >= 0`),
    matches: (col: PgColumn, regex: string) => check(`${name}_${col.name}_format`, sql`${col} ~ ${literal(regex)}`),
    check: (rule: string, expr: SQL) => check(`${name}_${rule}`, expr),
    /** Index for a list path: tenant first, then the columns users sort or filter by. */
    listIndex: (rule: string, ...cols: IndexColumn[]) => index(`${name}_${rule}_idx`).on(t.tenantId, ...cols),
  };
}

/** Case-insensitive value, for per-tenant uniqueness of usernames and emails. */
export const lower = (col: PgColumn): SQL => sql`lower(${col})`;
