// The one road to the database for everything a user asks. Each call compiles the ability's conditions into
// the WHERE clause, checks fields and references, and returns only the fields the user may read. It runs as
// the application role inside the user's tenant, so row-level security is the second wall: in a transaction
// with the tenant and user set transaction-locally, or, for a back-office request's reads, on the request's
// read-only connection of that role (domain/read-session.ts). Errors are DomainErrors (400/403/404/409),
// never SQL text.
//
// This class is the public face; the work is split by concern under domain/scoped/: session.ts (transaction
// and tenant session), query.ts (list and count compiler), writes.ts (write pipeline), fields.ts (scope and
// field security), references.ts (reference checks).
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { hashPassword } from './passwords';
import { abilityFor } from './ability';
import type { Database } from './db';
import { fromDatabaseError } from './db-errors';
import { DomainError, invalid, notFound } from './errors';
import type { Action } from './permissions';
import { loadPrincipal } from './principal';
import type { Resource } from './resources';
import { checkBusinessRules } from './rules';
import { validateInput } from './validation';
import { ReadSession, type Reader } from './read-session';
import { assertAllowed, assertFields, col, parseId, readableFields, refuseSystemFields, resourceFor, scopeOf, selection, strip } from './scoped/fields';
import { countWhere, equals, listPage, tallyWhere, whereOf, type Tally } from './scoped/query';
import { assertReferences, unusableReferences } from './scoped/references';
import { finishRow, titleSelection } from './scoped/titles';
import { keepLinked, keptLinked, linkedSelection, linkedShape, manyShape } from './scoped/linked';
import { relatedPage, type RelatedQuery } from './scoped/related';
import { inReadSession, inSavepoint, tenantTransaction, type Bound } from './scoped/session';
import type { Actor, CreateManyResult, ListQuery, ListResult, Row, RowOutcome, Tx } from './scoped/types';
import { changedFields, insertAll, prepareCreate, RollBack, rowErrors, toColumns } from './scoped/writes';
import { principalCacheOf } from './principal-cache';
import { requestSessionId, sessionEnded, sessionStands } from './request-session';

export type { Actor, CreateManyResult, FilterValue, ListQuery, ListResult, Row, RowOutcome, Tx } from './scoped/types';
export { COUNT_CAP, countText, MAX_PER_PAGE } from './scoped/query';
export { RESTRICTED, TITLE } from './scoped/titles';
export { referrersOf, type RelatedQuery } from './scoped/related';

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
    if (this.bound) return inSavepoint(this.bound, tenantId, userId, fn, op);
    return tenantTransaction(this.database, tenantId, userId, fn, op);
  }

  /** The actor for a signed-in user: principal and ability, read inside the tenant (another tenant's user is not found). */
  async actor(tenantId: number, userId: number): Promise<Actor> {
    const sessionId = requestSessionId();
    const principal = await this.inTenant(tenantId, null, async (tx) => {
      if (sessionId && !(await sessionStands(tx, sessionId))) throw sessionEnded();
      return loadPrincipal(tx, userId);
    });
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
    if (this.bound || !actor.reads) return this.inTenant(actor.principal.tenantId, actor.principal.userId, fn);
    return inReadSession(actor, fn);
  }

  /** How many records the actor may read match the query (filters and search only). */
  async count(actor: Actor, name: string, query: Pick<ListQuery, 'filters' | 'q'> = {}): Promise<number> {
    const r = this.resource(actor, 'read', name);
    return this.read(actor, (tx) => countWhere(tx, r, whereOf(actor, r, query)));
  }

  /** Count (and sum of `sumOf`) of the matching records the actor may read, per value of `by` (null: all): one statement. */
  async tally(actor: Actor, name: string, by: string | null, query: Pick<ListQuery, 'filters' | 'q'> = {}, sumOf?: string): Promise<Tally[]> {
    const r = this.resource(actor, 'read', name);
    return this.read(actor, (tx) => tallyWhere(tx, actor, r, by, sumOf, whereOf(actor, r, query)));
  }

  async list(actor: Actor, name: string, query: ListQuery = {}): Promise<ListResult> {
    const r = this.resource(actor, 'read', name);
    return this.read(actor, listPage(actor, r, this.bound ? { ...query, linked: false } : query));
  }

  /**
   * The `child` records that reference `name` #id (a company's contacts), one page in one statement, each
   * with its title, and the count of them all: only those in the actor's read scope, and none at all when the
   * actor may not read the record itself.
   */
  async related(actor: Actor, name: string, id: unknown, child: string, query: RelatedQuery = {}): Promise<ListResult> {
    const parent = this.resource(actor, 'read', name);
    const c = this.resource(actor, 'read', child);
    return this.read(actor, relatedPage(actor, parent, parseId(parent, id), c, query));
  }

  /**
   * One record the actor may read (else 404). `forUpdate` also locks it until the end of the transaction
   * (inside `transaction()`): read, decide, then write, without another transaction changing it in between.
   */
  async get(actor: Actor, name: string, id: unknown, options: { forUpdate?: boolean; title?: boolean; linked?: boolean } = {}): Promise<Row> {
    const r = this.resource(actor, 'read', name);
    const key = parseId(r, id);
    // (Linked records are kept for the request's findMany: never what a transaction, which may roll back, read.)
    const linked = options.linked && !options.forUpdate && !this.bound;
    const lookup = async (tx: Reader) => {
      const fields = { ...selection(actor, r), ...(options.title ? titleSelection(actor, r) : {}), ...(linked ? linkedSelection(actor, r) : {}) };
      const query = tx.select(fields).from(r.table).where(and(scopeOf(actor, 'read', r), eq(col(r, 'id'), key)));
      const [row] = options.forUpdate ? await query.for('update') : await query;
      if (!row) throw notFound(r.name, key);
      return finishRow(actor, r, linked ? keepLinked(actor, r, row) : row, options.title);
    };
    // (A lock is a write's business: never in a read session.)
    return options.forUpdate ? this.inTenant(actor.principal.tenantId, actor.principal.userId, lookup) : this.read(actor, lookup);
  }

  /**
   * The records among `ids` the actor may read (linked-record population, reference labels), or only `fields`
   * of them (with the fields their read conditions look at, so field security judges each record whole, then
   * dropped). `title` adds each record's `__title`.
   */
  async findMany(actor: Actor, name: string, ids: unknown[], options: { fields?: string[]; title?: boolean } = {}): Promise<Row[]> {
    const r = this.resource(actor, 'read', name);
    const keys = [...new Set(ids.map((id) => parseId(r, id)))];
    if (!keys.length) return [];
    const linked = options.fields?.length === 0 && options.title === true;
    // Linked records of a page: most often read with the page's rows already (domain/scoped/linked.ts).
    const kept = linked && !this.bound ? keptLinked(actor, r, keys) : undefined;
    if (kept) return kept;
    const { shape, decode } = linked ? linkedShape(actor, r) : manyShape(actor, r, options.fields, options.title === true);
    const query = sql`SELECT ${shape} FROM ${r.table} WHERE ${and(scopeOf(actor, 'read', r), inArray(col(r, 'id'), keys))}`;
    const session = actor.reads;
    // In a request's read session: in one statement with the other linked records asked for at the same time.
    const rows =
      session && !this.bound
        ? await session.together(query).catch((err) => fromDatabaseError(err, 'write'))
        : await this.read(actor, async (tx) => (await tx.execute(sql`SELECT q.row FROM (${query}) AS q(row)`)).rows.map((x) => (x as { row: unknown }).row));
    return rows.map(decode);
  }

  /**
   * How many records of the tenant have `field` equal to `value` (text ignoring case) but lie outside what the
   * actor may read. A number, never a row, and only for one exact value the caller already knows: no patterns,
   * so it cannot enumerate; only a field the actor may read on the resource, so it cannot probe hidden fields.
   * Whether even the number may be told is the caller's decision (see domain/crm/duplicates.ts).
   */
  async countBeyondScope(actor: Actor, name: string, field: string, value: string | number): Promise<number> {
    const r = this.resource(actor, 'read', name);
    if (!readableFields(actor, r).includes(field)) throw invalid(`Cannot match ${r.name} by ${field}`, { [field]: 'unknown or hidden field' });
    const match = equals(col(r, field), r, field, value);
    return this.read(actor, async (tx) => {
      const tenant = eq(col(r, 'tenant_id'), actor.principal.tenantId);
      const [{ n }] = (await tx
        .select({ n: sql<number>`(count(*) - count(*) filter (where ${scopeOf(actor, 'read', r)}))::int` })
        .from(r.table)
        .where(and(tenant, match))) as [{ n: number }];
      return n;
    });
  }

  async create(actor: Actor, name: string, input: Row): Promise<Row> {
    const r = this.resource(actor, 'create', name);
    const { values, candidate } = await prepareCreate(actor, r, input);
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      await assertReferences(tx, actor, r, values);
      const [row] = await tx.insert(r.table).values(toColumns(r, candidate)).returning(selection(actor, r));
      return strip(actor, r, row!);
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
        prepareCreate(actor, r, input, { bulk: true, dryRun: options.dryRun }).catch((err: unknown) => {
          rows[i]!.errors = rowErrors(err);
          return null;
        }),
      ),
    );
    const valid = prepared.flatMap((p, i) => (p ? [{ i, ...p }] : []));
    try {
      return await this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
        const unusable = await unusableReferences(tx, actor, r, valid.map((p) => p.values));
        unusable.forEach((errors, k) => Object.keys(errors).length && (rows[valid[k]!.i]!.errors = errors));
        await insertAll(tx, actor, r, valid.filter((p) => !Object.keys(rows[p.i]!.errors).length), rows);
        const ok = rows.every((row) => !Object.keys(row.errors).length);
        if (!ok || options.dryRun) throw new RollBack({ written: false, rows });
        return { written: true, rows };
      });
    } catch (err) {
      if (err instanceof RollBack) return err.result;
      throw err;
    }
  }

  async update(actor: Actor, name: string, id: unknown, patch: Row): Promise<Row> {
    const r = this.resource(actor, 'update', name);
    const key = parseId(r, id);
    refuseSystemFields(r, patch);
    const values = validateInput(r, patch, 'update');
    return this.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
      const existing = await this.lockVisible(tx, actor, r, key);
      assertAllowed(actor, 'update', r, existing);
      const changed = changedFields(r, values, existing);
      assertFields(actor, 'update', r, existing, changed);
      const candidate = { ...existing, ...values };
      assertAllowed(actor, 'update', r, candidate);
      checkBusinessRules(actor.principal, r.name, candidate, existing);
      if (typeof values.password === 'string') values.password = await hashPassword(values.password);
      await assertReferences(tx, actor, r, Object.fromEntries(changed.map((f) => [f, values[f]])));
      if (!changed.length) return strip(actor, r, existing);
      const [row] = await tx
        .update(r.table)
        .set(toColumns(r, Object.fromEntries(changed.map((f) => [f, values[f]]))))
        .where(eq(col(r, 'id'), key))
        .returning(selection(actor, r));
      return strip(actor, r, row!);
    });
  }

  async remove(actor: Actor, name: string, id: unknown): Promise<void> {
    await this.removeMany(actor, name, [id]);
  }

  /** All or nothing: one record that may not be deleted (or is still referenced) keeps every record. */
  async removeMany(actor: Actor, name: string, ids: unknown[]): Promise<number> {
    const r = this.resource(actor, 'delete', name);
    const keys = [...new Set(ids.map((id) => parseId(r, id)))];
    return this.inTenant(
      actor.principal.tenantId,
      actor.principal.userId,
      async (tx) => {
        for (const key of keys) assertAllowed(actor, 'delete', r, await this.lockVisible(tx, actor, r, key));
        if (keys.length) await tx.delete(r.table).where(inArray(col(r, 'id'), keys));
        return keys.length;
      },
      'delete',
    );
  }

  // --- what other modules of the domain build on (CSV, history, analytics' CRM queries) ---------------------

  /** The resource, if the actor may do `action` on some of its records at all (else 403, or 404 for unknown names). */
  resource(actor: Actor, action: Action, name: string): Resource {
    return resourceFor(actor, action, name);
  }

  /** Tenant plus the ability's conditions for `action`, as SQL. */
  scope(actor: Actor, action: Action, r: Resource): SQL {
    return scopeOf(actor, action, r);
  }

  readableFields(actor: Actor, r: Resource, record?: Row): readonly string[] {
    return readableFields(actor, r, record);
  }

  private async lockVisible(tx: Tx, actor: Actor, r: Resource, key: number): Promise<Row> {
    const all = Object.fromEntries(r.columns);
    const [row] = await tx.select(all).from(r.table).where(and(scopeOf(actor, 'read', r), eq(col(r, 'id'), key))).for('update');
    if (!row) throw notFound(r.name, key);
    return row;
  }
}
