// The one road to the database for everything a user asks. Each call compiles the ability's conditions into
// the WHERE clause, checks fields and references, and returns only the fields the user may read. It runs as
// the application role inside the user's tenant, so row-level security is the second wall: in a transaction
// with the tenant and user set transaction-locally, or, for a back-office request's reads, on the request's
// read-only connection of that role (domain/read-session.ts). Errors are DomainErrors (400/403/404/409),
// never SQL text.
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
import { fromJsonRow, jsonRow } from './json-rows';
import { ReadSession, type Reader } from './read-session';
import { principalCacheOf } from './principal-cache';
import { APP_ROLE, TENANT_SETTING, USER_SETTING } from '../schema/derived-ddl';
import { SEARCHED_FIELDS } from '../schema/search-indexes';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Row = Record<string, unknown>;

export interface Actor {
  principal: Principal;
  ability: AppAbility;
  /** A request's read session (actorForRequest): the actor's reads share its connection. */
  reads?: ReadSession;
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
  /**
   * Keyset paging, to read a whole list page by page (exports): null for the first page, then the previous
   * page's `next`. Each page starts right after the previous page's last row in the list's order, so rows are
   * neither skipped nor repeated however deep the page; `page` is ignored.
   */
  after?: string | null;
}

export interface ListResult {
  records: Row[];
  total: number;
  /** With `after`: the cursor of this page's last row, or null when there is no further page. */
  next?: string | null;
}

interface SortKey {
  column: PgColumn | null;
  dir: 'asc' | 'desc';
}

/** The sort value of a keyset cursor's row, as text (cast back to the column's type in SQL: exact, even for timestamps). */
const KEY = '__sort_key';
const cursorOf = (value: unknown, id: unknown) => Buffer.from(JSON.stringify([value, id])).toString('base64url');

function parseCursor(cursor: string): { value: string | null; id: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const [value, id] = Array.isArray(parsed) && parsed.length === 2 ? parsed : [undefined, undefined];
  if ((typeof value !== 'string' && value !== null) || !Number.isSafeInteger(id)) throw invalid('The page cursor is not valid');
  return { value, id: id as number };
}

/** One row of createMany: what was (or would be) stored, or the input as given and what is wrong with it. */
export interface RowOutcome {
  /** The record as stored (in a dry run: as it would be); for a row with errors, its input as given. */
  values: Row;
  /** Field -> message; `_row` for a refusal of the row as a whole (e.g. outside the actor's scope). */
  errors: Record<string, string>;
}

export interface CreateManyResult {
  /** Whether the rows were written: every row valid and no dry run. */
  written: boolean;
  rows: RowOutcome[];
}

/** Rows per INSERT statement in createMany. */
const CREATE_BATCH = 1000;

/** Ends createMany's transaction without writing, carrying the report out. */
class RollBack {
  constructor(readonly result: CreateManyResult) {}
}

/** A refusal as a row's field errors; anything that is not a DomainError (a real failure) is rethrown. */
function rowErrors(err: unknown): Record<string, string> {
  let e = err;
  if (!(e instanceof DomainError)) {
    try {
      fromDatabaseError(err, 'write');
    } catch (mapped) {
      e = mapped;
    }
  }
  if (!(e instanceof DomainError)) throw err;
  return Object.keys(e.fields).length ? { ...e.fields } : { _row: e.message };
}

export const MAX_PER_PAGE = 500;
/** Counts above this are estimates (ListResult.total > COUNT_CAP means "about"). */
export const COUNT_CAP = 10_000;

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
        // One round trip: set_config('role', ..., true) is SET LOCAL ROLE.
        await tx.execute(
          sql`SELECT set_config('role', ${APP_ROLE}, true), set_config(${TENANT_SETTING}, ${String(tenantId)}, true), set_config(${USER_SETTING}, ${userId === null ? '' : String(userId)}, true)`,
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

  /**
   * The actor for one request, with a read session (domain/read-session.ts) its reads share, the principal's
   * included. The caller ends it when the request ends: `await actor.reads?.close()`. Without a read pool
   * (embedded PGlite) it is the plain actor.
   */
  async actorForRequest(tenantId: number, userId: number): Promise<Actor> {
    const reads = this.database.reads;
    if (!reads || this.bound) return this.actor(tenantId, userId);
    const session = new ReadSession(reads, tenantId, userId);
    try {
      const version = await session.accessVersion().catch((err) => fromDatabaseError(err, 'write'));
      const cache = principalCacheOf(this.database);
      const cached = cache.get(tenantId, userId, version);
      if (cached) return { principal: cached.principal, ability: cached.extra, reads: session };
      const principal = await session.run((tx) => loadPrincipal(tx, userId)).catch((err) => fromDatabaseError(err, 'write'));
      if (!principal) throw new DomainError('unauthenticated', 'Your account no longer exists; sign in again.');
      const ability = abilityFor(principal);
      cache.set(version, principal, ability);
      return { principal, ability, reads: session };
    } catch (err) {
      await session.close();
      throw err;
    }
  }

  /** A read of the actor's: in its request's read session when it has one, else in a transaction of its own. */
  private read<T>(actor: Actor, fn: (db: Reader) => Promise<T>): Promise<T> {
    const { tenantId, userId } = actor.principal;
    const session = actor.reads;
    if (this.bound || !session) return this.inTenant(tenantId, userId, fn);
    if (session.tenantId !== tenantId || session.userId !== userId) throw new Error('a read session serves the actor it was opened for');
    return session.run(fn).catch((err) => fromDatabaseError(err, 'write'));
  }

  /** How many records the actor may read match the query (filters and search only). */
  async count(actor: Actor, name: string, query: Pick<ListQuery, 'filters' | 'q'> = {}): Promise<number> {
    const r = this.resource(actor, 'read', name);
    return this.read(actor, async (tx) => {
      const where = and(this.scope(actor, 'read', r), this.filters(actor, r, query.filters ?? {}), this.search(r, query.q));
      return this.countWhere(tx, r, where);
    });
  }

  /**
   * Exact up to COUNT_CAP, so small lists page exactly; beyond it the planner's estimate (never below the cap),
   * so a list of a million rows costs no full count.
   */
  private async countWhere(tx: Reader, r: Resource, where: SQL | undefined): Promise<number> {
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
    const key = this.sortKey(actor, r, query.sortBy, query.direction);
    const keyset = query.after !== undefined;
    return this.read(actor, async (tx) => {
      const where = and(this.scope(actor, 'read', r), this.filters(actor, r, query.filters ?? {}), this.search(r, query.q));
      const records = await tx
        .select({ ...this.selection(actor, r), ...(keyset && key.column ? { [KEY]: sql<string | null>`${key.column}::text` } : {}) })
        .from(r.table)
        .where(keyset && query.after ? and(where, this.after(r, key, query.after)) : where)
        .orderBy(...this.order(actor, r, query.sortBy, query.direction))
        .limit(perPage)
        .offset(keyset ? 0 : (page - 1) * perPage);
      const total = query.withTotal === false ? -1 : await this.countWhere(tx, r, where);
      const last = records.at(-1) as Row | undefined;
      const next = !keyset ? undefined : records.length < perPage || !last ? null : cursorOf(last[KEY] ?? null, last.id);
      return { records: records.map((row) => this.strip(actor, r, row)), total, ...(keyset ? { next } : {}) };
    });
  }

  /** Rows after the cursor's row in the order of `key` (then id); NULLs sort last ascending, first descending. */
  private after(r: Resource, key: SortKey, cursor: string): SQL {
    const { value, id } = parseCursor(cursor);
    const idCol = this.col(r, 'id');
    const op = sql.raw(key.dir === 'asc' ? '>' : '<');
    const c = key.column;
    if (!c) return sql`${idCol} ${op} ${id}`;
    const type = { serial: 'integer', bigserial: 'bigint' }[c.getSQLType()] ?? c.getSQLType();
    const pair = sql`(${c}, ${idCol}) ${op} (${value}::${sql.raw(type)}, ${id})`;
    if (c.notNull) return pair; // (an index on the sort column and id serves this row comparison)
    if (key.dir === 'asc') return value === null ? sql`(${c} is null and ${idCol} > ${id})` : sql`(${pair} or ${c} is null)`;
    return value === null ? sql`((${c} is null and ${idCol} < ${id}) or ${c} is not null)` : pair;
  }

  /**
   * One record the actor may read (else 404). `forUpdate` also locks it until the end of the transaction
   * (inside `transaction()`): read, decide, then write, without another transaction changing it in between.
   */
  async get(actor: Actor, name: string, id: unknown, options: { forUpdate?: boolean } = {}): Promise<Row> {
    const r = this.resource(actor, 'read', name);
    const key = this.id(r, id);
    const lookup = async (tx: Reader) => {
      const query = tx.select(this.selection(actor, r)).from(r.table).where(and(this.scope(actor, 'read', r), eq(this.col(r, 'id'), key)));
      const [row] = options.forUpdate ? await query.for('update') : await query;
      if (!row) throw notFound(r.name, key);
      return this.strip(actor, r, row);
    };
    // (A lock is a write's business: never in a read session.)
    return options.forUpdate ? this.inTenant(actor.principal.tenantId, actor.principal.userId, lookup) : this.read(actor, lookup);
  }

  /** The records among `ids` the actor may read (linked-record population, reference labels), or only `fields` of them. */
  async findMany(actor: Actor, name: string, ids: unknown[], options: { fields?: string[] } = {}): Promise<Row[]> {
    const r = this.resource(actor, 'read', name);
    const keys = [...new Set(ids.map((id) => this.id(r, id)))];
    if (!keys.length) return [];
    const readable = this.selection(actor, r);
    const selection = options.fields ? Object.fromEntries(Object.entries(readable).filter(([f]) => f === 'id' || options.fields!.includes(f))) : readable;
    const where = and(this.scope(actor, 'read', r), inArray(this.col(r, 'id'), keys));
    const session = actor.reads;
    if (session && !this.bound) {
      // In a request's read session: in one statement with the other linked records asked for at the same time.
      const columns = Object.entries(selection);
      const rows = await session.together(sql`SELECT ${jsonRow(columns)} FROM ${r.table} WHERE ${where}`).catch((err) => fromDatabaseError(err, 'write'));
      return rows.map((values) => this.strip(actor, r, fromJsonRow(columns, values as unknown[])));
    }
    return this.read(actor, async (tx) => {
      const rows = await tx.select(selection).from(r.table).where(where);
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
    return this.read(actor, async (tx) => {
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
    const { values, candidate } = await this.prepareCreate(actor, r, input);
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      await this.assertReferences(tx, actor, r, values);
      const [row] = await tx.insert(r.table).values(this.toColumns(r, candidate)).returning(this.selection(actor, r));
      return this.strip(actor, r, row!);
    });
  }

  /**
   * Creates all the rows or none, in ONE transaction. Each row passes exactly the checks of create() (fields,
   * scope, business rules, references, then the database's own constraints); every row that fails is reported,
   * field by field, and then nothing is written. `dryRun` inserts and rolls back: the same report, nothing kept.
   */
  async createMany(actor: Actor, name: string, inputs: Row[], options: { dryRun?: boolean } = {}): Promise<CreateManyResult> {
    const r = this.resource(actor, 'create', name);
    const rows: RowOutcome[] = inputs.map((input) => ({ values: input, errors: {} }));
    const prepared = await Promise.all(
      inputs.map((input, i) =>
        this.prepareCreate(actor, r, input).catch((err: unknown) => {
          rows[i]!.errors = rowErrors(err);
          return null;
        }),
      ),
    );
    const valid = prepared.flatMap((p, i) => (p ? [{ i, ...p }] : []));
    const insert = (tx: Tx, batch: typeof valid) =>
      tx.transaction(async (sp) => {
        const stored = await sp.insert(r.table).values(batch.map((p) => this.toColumns(r, p.candidate))).returning(this.selection(actor, r));
        batch.forEach((p, k) => (rows[p.i]!.values = this.strip(actor, r, stored[k]!)));
      });
    try {
      return await this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
        const unusable = await this.unusableReferences(tx, actor, r, valid.map((p) => p.values));
        unusable.forEach((errors, k) => Object.keys(errors).length && (rows[valid[k]!.i]!.errors = errors));
        const insertable = valid.filter((p) => !Object.keys(rows[p.i]!.errors).length);
        for (let at = 0; at < insertable.length; at += CREATE_BATCH) {
          const batch = insertable.slice(at, at + CREATE_BATCH);
          try {
            await insert(tx, batch); // one INSERT per batch, in a savepoint
          } catch (err) {
            rowErrors(err); // (a failure that is no refusal ends everything)
            // The database refused the batch: row by row, each in its savepoint, to name the rows at fault.
            for (const p of batch) {
              await insert(tx, [p]).catch((e: unknown) => {
                rows[p.i]!.errors = rowErrors(e);
              });
            }
          }
        }
        const ok = rows.every((row) => !Object.keys(row.errors).length);
        if (!ok || options.dryRun) throw new RollBack({ written: false, rows });
        return { written: true, rows };
      });
    } catch (err) {
      if (err instanceof RollBack) return err.result;
      throw err;
    }
  }

  /** What every new record goes through before it is inserted (create and createMany): all but its references. */
  private async prepareCreate(actor: Actor, r: Resource, input: Row): Promise<{ values: Row; candidate: Row }> {
    this.refuseSystemFields(r, input);
    // Defaults first (owner, workspace), so a field they fill is not reported as missing.
    const withDefaults = { ...input };
    this.applyDefaults(actor, r, withDefaults);
    const values = validateInput(r, withDefaults, 'create');
    const candidate: Row = { ...values, tenant_id: actor.principal.tenantId };
    this.assertAllowed(actor, 'create', r, candidate, Object.keys(values));
    this.assertFields(actor, 'create', r, candidate, Object.keys(values));
    checkBusinessRules(actor.principal, r.name, candidate, null);
    if (typeof candidate.password === 'string') candidate.password = await hashPassword(candidate.password);
    return { values, candidate };
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
    // Rules that all grant every field, none denying: every record the actor sees shows all it selected.
    if (actor.ability.rulesFor('read', r.name).every((rule) => !rule.fields && !rule.inverted)) return row;
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
        const message = `You may not ${action === 'create' ? 'set' : 'change'} ${f}: ${explain(actor.ability, action, r.name, record, f).reason}`;
        throw new DomainError('forbidden', message, { [f]: message });
      }
    }
  }

  /** The record as a whole; the error names those of `given` (fields the caller set) that the scope depends on. */
  private assertAllowed(actor: Actor, action: Action, r: Resource, record: Row, given: string[] = []) {
    const decision = explain(actor.ability, action, r.name, record);
    if (decision.allowed) return;
    const message = `You may not ${action} this ${r.name} record: ${decision.reason}`;
    const scoped = new Set(actor.ability.rulesFor(action, r.name).flatMap((rule) => Object.keys(rule.conditions ?? {})));
    throw new DomainError('forbidden', message, Object.fromEntries(given.filter((f) => scoped.has(f)).map((f) => [f, message])));
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
    const [errors] = await this.unusableReferences(tx, actor, r, [values]);
    const field = Object.keys(errors!)[0];
    if (field) throw invalid(errors![field]!, { [field]: errors![field]! });
  }

  /** The references of each row that name no record the actor can use (one query per reference column). */
  private async unusableReferences(tx: Tx, actor: Actor, r: Resource, rows: Row[]): Promise<Record<string, string>[]> {
    const errors = rows.map((): Record<string, string> => ({}));
    for (const ref of r.references) {
      const wanted = [...new Set(rows.map((values) => values[ref.column]).filter((v) => v !== undefined && v !== null))] as number[];
      if (!wanted.length) continue;
      const target = resourceOf(ref.target)!;
      const usable = new Set<unknown>();
      for (let at = 0; actor.ability.can('read', target.name) && at < wanted.length; at += 10_000) {
        const found = await tx
          .select({ id: this.col(target, 'id') })
          .from(target.table)
          .where(and(this.scope(actor, 'read', target), inArray(this.col(target, 'id'), wanted.slice(at, at + 10_000))));
        for (const { id } of found) usable.add(id);
      }
      rows.forEach((values, k) => {
        const value = values[ref.column];
        if (value === undefined || value === null || usable.has(value)) return;
        errors[k]![ref.column] = `${ref.column}: no ${ref.target} #${String(value)} that you can use`;
      });
    }
    return errors;
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
    const cols = SEARCHED_FIELDS.map((f) => r.columns.get(f)).filter((c): c is PgColumn => c?.columnType === 'PgText');
    const numeric = /^\d+$/.test(text) && Number(text) <= 2_147_483_647 ? [eq(this.col(r, 'id'), Number(text))] : [];
    return or(...numeric, ...cols.map((c) => ilike(c, `%${escapeLike(text)}%`))) ?? sql`false`;
  }

  /** The list's order: a column (none: id alone), then id, both in one direction. */
  private sortKey(actor: Actor, r: Resource, sortBy?: string, direction: 'asc' | 'desc' = 'desc'): SortKey {
    if (sortBy) {
      if (!this.readableFields(actor, r).includes(sortBy) || !r.columns.has(sortBy)) {
        throw invalid(`Cannot sort ${r.name} by ${sortBy}`, { sortBy: 'unknown or hidden field' });
      }
      return { column: sortBy === 'id' ? null : this.col(r, sortBy), dir: direction };
    }
    return { column: r.columns.has('created_at') ? this.col(r, 'created_at') : null, dir: 'desc' };
  }

  private order(actor: Actor, r: Resource, sortBy?: string, direction: 'asc' | 'desc' = 'desc'): SQL[] {
    const key = this.sortKey(actor, r, sortBy, direction);
    const dir = key.dir === 'asc' ? asc : desc;
    const id = this.col(r, 'id');
    return key.column ? [dir(key.column), dir(id)] : [dir(id)];
  }
}
