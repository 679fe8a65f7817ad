// The one road to the database for everything a user asks. Each call runs in a transaction as the
// application role with the tenant and user set transaction-locally (row-level security is the second wall),
// compiles the ability's conditions into the WHERE clause, checks fields and references, and returns only
// the fields the user may read. Errors are DomainErrors (400/403/404/409), never SQL text.
import { permittedFieldsOf, rulesToAST } from '@casl/ability/extra';
import { and, asc, desc, eq, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { hashPassword } from './passwords';
import { abilityFor, asSubject, explain, type AppAbility } from './ability';
import { conditionToSql } from './conditions-sql';
import type { Database, Db } from './db';
import { fromDatabaseError } from './db-errors';
import { DomainError, forbidden, invalid, notFound } from './errors';
import type { Action } from './permissions';
import { CROSS_WORKSPACE_LEVEL, loadPrincipal, type Principal } from './principal';
import { resourceOf, type Resource } from './resources';
import { checkBusinessRules } from './rules';
import { validateInput } from './validation';
import { APP_ROLE, TENANT_SETTING, USER_SETTING } from '../schema/derived-ddl';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Row = Record<string, unknown>;

export interface Actor {
  principal: Principal;
  ability: AppAbility;
}

export type FilterValue =
  | string
  | number
  | boolean
  | null
  | (string | number)[]
  | { from?: unknown; to?: unknown }
  /** The whole value, not a part of it (text ignoring case): `{ equals: 'Ann@X.test' }` matches ann@x.test only. */
  | { equals: string | number | boolean };

export interface ListQuery {
  filters?: Record<string, FilterValue>;
  /** Free text matched against the resource's title-like text columns. */
  q?: string;
  sortBy?: string;
  direction?: 'asc' | 'desc';
  page?: number;
  perPage?: number;
  /** false: skip counting (the caller counts separately); total is then -1. */
  withTotal?: boolean;
}

export interface ListResult {
  records: Row[];
  total: number;
}

export const MAX_PER_PAGE = 500;
/** Counts above this are estimates (ListResult.total > COUNT_CAP means "about"). */
export const COUNT_CAP = 10_000;
/** Text columns a free-text search looks in, where a resource has them. */
const SEARCHED = ['name', 'title', 'subject', 'first_name', 'last_name', 'email', 'username', 'type_name', 'level', 'event_name', 'sku', 'company', 'visitor_email'];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** JSON with object keys sorted: two JSON values that PostgreSQL's jsonb holds as equal compare equal. */
const canonical = (v: unknown) =>
  JSON.stringify(v, (_key, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

/** Whether an input value equals the stored one, as the database compares them (NUMERIC 79 = '79.00'). */
function sameValue(column: PgColumn | undefined, input: unknown, stored: unknown): boolean {
  if (column?.columnType === 'PgNumeric' && input !== null && stored !== null && input !== undefined && stored !== undefined) {
    return Number(input) === Number(stored);
  }
  return canonical(input) === canonical(stored);
}

/** The transaction a ScopedData made by `transaction()` works in, and whose tenant and user it was opened for. */
interface Bound {
  tx: Tx;
  tenantId: number;
  userId: number;
}

export class ScopedData {
  constructor(
    private readonly database: Database,
    private readonly bound?: Bound,
  ) {}

  /**
   * Several scoped operations in ONE transaction, all or nothing: `fn` gets this layer bound to the transaction
   * (its list, get, create, update, remove... run inside it, with every check they always make) and the
   * transaction itself, for writes the system makes on the user's behalf (the analytics outbox), never for user
   * reads or writes. A refusal or error anywhere rolls back everything `fn` did. Inside, each call runs in a
   * savepoint, so a call that fails leaves the transaction usable if `fn` catches the error.
   */
  async transaction<T>(actor: Actor, fn: (scoped: ScopedData, tx: Tx) => Promise<T>): Promise<T> {
    const { tenantId, userId } = actor.principal;
    return this.inTenant(tenantId, userId, (tx) => fn(new ScopedData(this.database, { tx, tenantId, userId }), tx));
  }

  /** A transaction as the application role inside one tenant; `userId` is recorded as the actor of changes. */
  async inTenant<T>(tenantId: number, userId: number | null, fn: (tx: Tx) => Promise<T>, op: 'write' | 'delete' = 'write'): Promise<T> {
    if (this.bound) return this.inBound(tenantId, userId, fn, op);
    try {
      return await this.database.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL ROLE ${APP_ROLE}`));
        await tx.execute(
          sql`SELECT set_config(${TENANT_SETTING}, ${String(tenantId)}, true), set_config(${USER_SETTING}, ${userId === null ? '' : String(userId)}, true)`,
        );
        return fn(tx);
      });
    } catch (err) {
      return fromDatabaseError(err, op);
    }
  }

  /** Inside a bound transaction: a savepoint, only for the tenant and user the transaction was opened for. */
  private async inBound<T>(tenantId: number, userId: number | null, fn: (tx: Tx) => Promise<T>, op: 'write' | 'delete'): Promise<T> {
    const b = this.bound!;
    // (null: a read as the system, e.g. loading a principal; the transaction's user stays the actor of changes.)
    if (tenantId !== b.tenantId || (userId !== null && userId !== b.userId)) {
      throw new Error(`a transaction opened for user ${b.userId} of tenant ${b.tenantId} cannot act for user ${userId} of tenant ${tenantId}`);
    }
    try {
      return await b.tx.transaction((savepoint) => fn(savepoint));
    } catch (err) {
      return fromDatabaseError(err, op);
    }
  }

  /** The actor for a signed-in user: principal and ability, read inside the tenant (another tenant's user is not found). */
  async actor(tenantId: number, userId: number): Promise<Actor> {
    const principal = await this.inTenant(tenantId, null, (tx) => loadPrincipal(tx, userId));
    if (!principal) throw new DomainError('unauthenticated', 'Your account no longer exists; sign in again.');
    return { principal, ability: abilityFor(principal) };
  }

  /** How many records the actor may read match the query (filters and search only). */
  async count(actor: Actor, name: string, query: Pick<ListQuery, 'filters' | 'q'> = {}): Promise<number> {
    const r = this.resource(actor, 'read', name);
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      const where = and(this.scope(actor, 'read', r), this.filters(actor, r, query.filters ?? {}), this.search(r, query.q));
      return this.countWhere(tx, r, where);
    });
  }

  /**
   * Exact up to COUNT_CAP, so small lists page exactly; beyond it the planner's estimate (never below the cap),
   * so a list of a million rows costs no full count.
   */
  private async countWhere(tx: Tx, r: Resource, where: SQL | undefined): Promise<number> {
    const rows = tx.select({ one: sql`1` }).from(r.table).where(where);
    const capped = tx.select({ one: sql`1` }).from(r.table).where(where).limit(COUNT_CAP + 1).as('capped');
    const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(capped)) as [{ n: number }];
    if (n <= COUNT_CAP) return n;
    const plan = await tx.execute(sql`EXPLAIN (FORMAT JSON) ${rows}`);
    const estimate = Number((plan.rows[0] as { 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] })['QUERY PLAN'][0].Plan['Plan Rows']);
    return Math.max(COUNT_CAP + 1, Math.round(estimate));
  }

  async list(actor: Actor, name: string, query: ListQuery = {}): Promise<ListResult> {
    const r = this.resource(actor, 'read', name);
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.perPage ?? 20)));
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      const where = and(this.scope(actor, 'read', r), this.filters(actor, r, query.filters ?? {}), this.search(r, query.q));
      const records = await tx
        .select(this.selection(actor, r))
        .from(r.table)
        .where(where)
        .orderBy(...this.order(actor, r, query.sortBy, query.direction))
        .limit(perPage)
        .offset((page - 1) * perPage);
      const total = query.withTotal === false ? -1 : await this.countWhere(tx, r, where);
      return { records: records.map((row) => this.strip(actor, r, row)), total };
    });
  }

  /**
   * One record the actor may read (else 404). `forUpdate` also locks it until the end of the transaction
   * (inside `transaction()`): read, decide, then write, without another transaction changing it in between.
   */
  async get(actor: Actor, name: string, id: unknown, options: { forUpdate?: boolean } = {}): Promise<Row> {
    const r = this.resource(actor, 'read', name);
    const key = this.id(r, id);
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      const query = tx.select(this.selection(actor, r)).from(r.table).where(and(this.scope(actor, 'read', r), eq(this.col(r, 'id'), key)));
      const [row] = options.forUpdate ? await query.for('update') : await query;
      if (!row) throw notFound(r.name, key);
      return this.strip(actor, r, row);
    });
  }

  /** The records among `ids` the actor may read (linked-record population, reference labels). */
  async findMany(actor: Actor, name: string, ids: unknown[]): Promise<Row[]> {
    const r = this.resource(actor, 'read', name);
    const keys = [...new Set(ids.map((id) => this.id(r, id)))];
    if (!keys.length) return [];
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      const rows = await tx.select(this.selection(actor, r)).from(r.table).where(and(this.scope(actor, 'read', r), inArray(this.col(r, 'id'), keys)));
      return rows.map((row) => this.strip(actor, r, row));
    });
  }

  /**
   * How many records of the tenant have `field` equal to `value` (text ignoring case) but lie outside what the
   * actor may read. A number, never a row, and only for one exact value the caller already knows: no patterns,
   * so it cannot enumerate; only a field the actor may read on the resource, so it cannot probe hidden fields.
   * Whether even the number may be told is the caller's decision (see domain/crm/duplicates.ts).
   */
  async countBeyondScope(actor: Actor, name: string, field: string, value: string | number): Promise<number> {
    const r = this.resource(actor, 'read', name);
    if (!this.readableFields(actor, r).includes(field)) throw invalid(`Cannot match ${r.name} by ${field}`, { [field]: 'unknown or hidden field' });
    const match = this.equals(this.col(r, field), r, field, value);
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      const tenant = eq(this.col(r, 'tenant_id'), actor.principal.tenantId);
      const [{ n }] = (await tx
        .select({ n: sql<number>`(count(*) - count(*) filter (where ${this.scope(actor, 'read', r)}))::int` })
        .from(r.table)
        .where(and(tenant, match))) as [{ n: number }];
      return n;
    });
  }

  async create(actor: Actor, name: string, input: Row): Promise<Row> {
    const r = this.resource(actor, 'create', name);
    this.refuseSystemFields(r, input);
    const values = validateInput(r, input, 'create');
    this.applyDefaults(actor, r, values);
    const candidate: Row = { ...values, tenant_id: actor.principal.tenantId };
    this.assertFields(actor, 'create', r, candidate, Object.keys(values));
    this.assertAllowed(actor, 'create', r, candidate);
    checkBusinessRules(actor.principal, r.name, candidate, null);
    if (typeof candidate.password === 'string') candidate.password = await hashPassword(candidate.password);
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      await this.assertReferences(tx, actor, r, values);
      const [row] = await tx.insert(r.table).values(this.toColumns(r, candidate)).returning(this.selection(actor, r));
      return this.strip(actor, r, row!);
    });
  }

  async update(actor: Actor, name: string, id: unknown, patch: Row): Promise<Row> {
    const r = this.resource(actor, 'update', name);
    const key = this.id(r, id);
    this.refuseSystemFields(r, patch);
    const values = validateInput(r, patch, 'update');
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      const existing = await this.lockVisible(tx, actor, r, key);
      this.assertAllowed(actor, 'update', r, existing);
      const changed = Object.keys(values).filter((f) => !sameValue(r.columns.get(f), values[f], existing[f]) || f === 'password');
      this.assertFields(actor, 'update', r, existing, changed);
      const candidate = { ...existing, ...values };
      this.assertAllowed(actor, 'update', r, candidate);
      checkBusinessRules(actor.principal, r.name, candidate, existing);
      if (typeof values.password === 'string') values.password = await hashPassword(values.password);
      await this.assertReferences(tx, actor, r, Object.fromEntries(changed.map((f) => [f, values[f]])));
      if (!changed.length) return this.strip(actor, r, existing);
      const [row] = await tx
        .update(r.table)
        .set(this.toColumns(r, Object.fromEntries(changed.map((f) => [f, values[f]]))))
        .where(eq(this.col(r, 'id'), key))
        .returning(this.selection(actor, r));
      return this.strip(actor, r, row!);
    });
  }

  async remove(actor: Actor, name: string, id: unknown): Promise<void> {
    await this.removeMany(actor, name, [id]);
  }

  /** All or nothing: one record that may not be deleted (or is still referenced) keeps every record. */
  async removeMany(actor: Actor, name: string, ids: unknown[]): Promise<number> {
    const r = this.resource(actor, 'delete', name);
    const keys = [...new Set(ids.map((id) => this.id(r, id)))];
    return this.inTenant(
      actor.principal.tenantId,
      actor.principal.userId,
      async (tx) => {
        for (const key of keys) this.assertAllowed(actor, 'delete', r, await this.lockVisible(tx, actor, r, key));
        if (keys.length) await tx.delete(r.table).where(inArray(this.col(r, 'id'), keys));
        return keys.length;
      },
      'delete',
    );
  }

  // --- scope, fields and references -------------------------------------------------------------------

  /** The resource, if the actor may do `action` on some of its records at all (else 403, or 404 for unknown names). */
  resource(actor: Actor, action: Action, name: string): Resource {
    const r = resourceOf(name);
    if (!r) throw notFound('resource', name);
    if (!actor.ability.can(action, name)) throw forbidden(`You may not ${action} ${name}: ${explain(actor.ability, action, name).reason}`);
    return r;
  }

  /** Tenant plus the ability's conditions for `action`, as SQL. */
  scope(actor: Actor, action: Action, r: Resource): SQL {
    const tenantCol = r.name === 'tenants' ? 'id' : 'tenant_id';
    return and(eq(this.col(r, tenantCol), actor.principal.tenantId), conditionToSql(rulesToAST(actor.ability, action, r.name), r.columns)) as SQL;
  }

  private col(r: Resource, field: string): PgColumn {
    const c = r.columns.get(field);
    if (!c) throw invalid(`${r.name} has no field ${field}`, { [field]: 'unknown field' });
    return c;
  }

  private id(r: Resource, id: unknown): number {
    const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw invalid(`${String(id)} is not a valid ${r.name} id`);
    return n;
  }

  readableFields(actor: Actor, r: Resource, record?: Row): string[] {
    const all = [...r.columns.keys()];
    const target = record ? asSubject(r.name, { ...record }) : r.name;
    return permittedFieldsOf(actor.ability, 'read', target as never, { fieldsFrom: (rule) => rule.fields ?? all });
  }

  private selection(actor: Actor, r: Resource): Record<string, PgColumn> {
    const fields = new Set([...this.readableFields(actor, r), 'id']);
    return Object.fromEntries([...r.columns].filter(([f]) => fields.has(f)));
  }

  /** Drops the fields this particular record does not let the actor read (field rules with conditions). */
  private strip(actor: Actor, r: Resource, row: Row): Row {
    const allowed = new Set([...this.readableFields(actor, r, row), 'id']);
    return Object.fromEntries(Object.entries(row).filter(([f]) => allowed.has(f)));
  }

  private async lockVisible(tx: Tx, actor: Actor, r: Resource, key: number): Promise<Row> {
    const all = Object.fromEntries(r.columns);
    const [row] = await tx.select(all).from(r.table).where(and(this.scope(actor, 'read', r), eq(this.col(r, 'id'), key))).for('update');
    if (!row) throw notFound(r.name, key);
    return row;
  }

  private refuseSystemFields(r: Resource, input: Row) {
    for (const f of ['tenant_id', 'id', 'created_at', 'updated_at']) {
      if (f in input && r.columns.has(f)) throw forbidden(`${f} is set by the system and cannot be written`);
    }
  }

  private assertFields(actor: Actor, action: Action, r: Resource, record: Row, fields: string[]) {
    for (const f of fields) {
      if (!actor.ability.can(action, asSubject(r.name, { ...record }) as never, f)) {
        throw forbidden(`You may not ${action === 'create' ? 'set' : 'change'} ${f}: ${explain(actor.ability, action, r.name, record, f).reason}`);
      }
    }
  }

  private assertAllowed(actor: Actor, action: Action, r: Resource, record: Row) {
    const decision = explain(actor.ability, action, r.name, record);
    if (!decision.allowed) throw forbidden(`You may not ${action} this ${r.name} record: ${decision.reason}`);
  }

  /** Owner and workspace default to the actor's, so a new record lands inside the actor's own scope. */
  private applyDefaults(actor: Actor, r: Resource, values: Row) {
    const p = actor.principal;
    const owners = r.ownerFields.filter((f) => f !== 'id');
    if (owners.length && owners.every((f) => values[f] === undefined)) values[owners[0]!] = p.userId;
    // (An assistant's workspace follows its scope: a tenant assistant has none.)
    const tenantWide = r.name === 'assistants' && values.scope !== 'workspace';
    if (r.workspaced && !tenantWide && values.workspace_id === undefined && p.workspaceId !== null && p.level < CROSS_WORKSPACE_LEVEL) {
      values.workspace_id = p.workspaceId;
    }
  }

  /** A reference must name a record of the same tenant that the actor can read: no probing of other ids. */
  private async assertReferences(tx: Tx, actor: Actor, r: Resource, values: Row) {
    for (const ref of r.references) {
      const value = values[ref.column];
      if (value === undefined || value === null) continue;
      const target = resourceOf(ref.target)!;
      const message = `${ref.column}: no ${ref.target} #${String(value)} that you can use`;
      if (!actor.ability.can('read', target.name)) throw invalid(message, { [ref.column]: message });
      const [found] = await tx
        .select({ id: this.col(target, 'id') })
        .from(target.table)
        .where(and(this.scope(actor, 'read', target), eq(this.col(target, 'id'), value as number)));
      if (!found) throw invalid(message, { [ref.column]: message });
    }
  }

  private toColumns(r: Resource, values: Row): Row {
    // Drizzle's insert/update take the TypeScript keys of the table object.
    const byName = new Map([...r.columns].map(([name, c]) => [name, Object.entries(r.table).find(([, v]) => v === c)?.[0] ?? name]));
    return Object.fromEntries(Object.entries(values).map(([f, v]) => [byName.get(f) ?? f, v]));
  }

  private filters(actor: Actor, r: Resource, filters: Record<string, FilterValue>): SQL | undefined {
    const readable = new Set(this.readableFields(actor, r));
    const parts: SQL[] = [];
    for (const [field, value] of Object.entries(filters)) {
      if (!readable.has(field)) throw invalid(`Cannot filter ${r.name} by ${field}`, { [field]: 'unknown or hidden field' });
      const c = this.col(r, field);
      if (value === null) parts.push(isNull(c));
      else if (Array.isArray(value)) parts.push(inArray(c, value.map((v) => this.value(r, field, v))));
      else if (typeof value === 'object' && 'equals' in value) parts.push(this.equals(c, r, field, value.equals));
      else if (typeof value === 'object') {
        if (value.from !== undefined && value.from !== '') parts.push(gte(c, this.value(r, field, value.from)));
        if (value.to !== undefined && value.to !== '') parts.push(lte(c, this.value(r, field, value.to)));
      } else if (c.columnType === 'PgText' && !(c as { enumValues?: unknown[] }).enumValues) {
        parts.push(ilike(c, `%${escapeLike(String(value))}%`));
      } else parts.push(eq(c, this.value(r, field, value)));
    }
    return parts.length ? and(...parts) : undefined;
  }

  /** The whole value: text ignoring case (`lower(x) = lower(v)`, what the lower(email) indexes serve), else equal. */
  private equals(c: PgColumn, r: Resource, field: string, raw: unknown): SQL {
    if (c.columnType === 'PgText' && !(c as { enumValues?: unknown[] }).enumValues) return sql`lower(${c}) = lower(${String(raw)})`;
    return eq(c, this.value(r, field, raw));
  }

  private value(r: Resource, field: string, raw: unknown): unknown {
    return validateInput({ ...r, columns: new Map([[field, r.columns.get(field)!]]) }, { [field]: raw }, 'update')[field];
  }

  private search(r: Resource, q?: string): SQL | undefined {
    const text = q?.trim();
    if (!text) return undefined;
    const cols = SEARCHED.map((f) => r.columns.get(f)).filter((c): c is PgColumn => c?.columnType === 'PgText');
    const numeric = /^\d+$/.test(text) && Number(text) <= 2_147_483_647 ? [eq(this.col(r, 'id'), Number(text))] : [];
    return or(...numeric, ...cols.map((c) => ilike(c, `%${escapeLike(text)}%`))) ?? sql`false`;
  }

  private order(actor: Actor, r: Resource, sortBy?: string, direction: 'asc' | 'desc' = 'desc'): SQL[] {
    const dir = direction === 'asc' ? asc : desc;
    const id = this.col(r, 'id');
    if (sortBy) {
      if (!this.readableFields(actor, r).includes(sortBy) || !r.columns.has(sortBy)) {
        throw invalid(`Cannot sort ${r.name} by ${sortBy}`, { sortBy: 'unknown or hidden field' });
      }
      return sortBy === 'id' ? [dir(id)] : [dir(this.col(r, sortBy)), dir(id)];
    }
    return r.columns.has('created_at') ? [desc(this.col(r, 'created_at')), desc(id)] : [desc(id)];
  }
}
