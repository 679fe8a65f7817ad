// A request's reads in one READ ONLY transaction, on one connection of the read pool (domain/db.ts).
//
// A back-office list page reads the actor, a page of rows, a count and one query per linked resource. Each in a
// transaction of its own costs four round trips apiece (BEGIN, the settings, the query, COMMIT), about fifty for
// one page, and AdminJS populates linked resources in parallel, taking a connection each. In one session: one
// BEGIN and the settings, the queries, one COMMIT, and one connection. The session is opened on the first read
// and ended when the request ends (admin/backoffice/actors.ts). Writes never run in it: they keep their own
// transactions (with audit and outbox triggers), and READ ONLY makes the database refuse any that would.
//
// A separate pool, so that a request holding its session can still take a connection for a write or for the
// session store without waiting on itself (with one pool, ten such requests could each hold a connection and
// wait for an eleventh).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './db';
import type { Tx } from './scoped-data';
import { APP_ROLE, TENANT_SETTING, USER_SETTING } from '../schema/derived-ddl';

interface Open {
  tx: Tx;
  /** Ends the transaction: COMMIT, or ROLLBACK when given an error. */
  end: (error?: unknown) => Promise<void>;
}

/** A query waiting to travel with others: one column of JSON per row (domain/json-rows.ts). */
interface Part {
  query: SQL;
  done: (rows: unknown[]) => void;
  fail: (err: unknown) => void;
}

/** Thrown inside the held transaction to end it with ROLLBACK after a failed statement. */
class Abandon extends Error {}

export class ReadSession {
  private open: Promise<Open> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private parts: Part[] = [];
  private closed = false;

  constructor(
    private readonly db: Db,
    readonly tenantId: number,
    readonly userId: number,
  ) {}

  /**
   * Runs `fn` in the session's transaction (opened on first use), after the reads before it: one connection
   * runs one statement at a time (AdminJS asks for linked records in parallel). A statement that fails ends
   * the transaction. `fn` must not call `run` itself.
   */
  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const turn = this.queue.then(() => this.runNow(fn));
    this.queue = turn.then(
      () => {},
      () => {},
    );
    return turn;
  }

  private async runNow<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.closed) return this.once(fn);
    let open = this.open;
    if (!open) {
      const opening = (open = this.open = this.begin());
      opening.catch(() => {
        if (this.open === opening) this.open = null; // (could not connect: the next read tries again)
      });
    }
    const { tx } = await open;
    try {
      return await fn(tx);
    } catch (err) {
      // A failed statement aborts the transaction: roll it back; the next read opens a fresh one.
      if (isDatabaseError(err) && this.open === open) {
        this.open = null;
        await (await open).end(new Abandon()).catch(() => {});
      }
      throw err;
    }
  }

  /**
   * The rows of `query` (a SELECT of one JSON column), sent in one statement together with the other queries
   * asked for in the same turn of the event loop: AdminJS asks for every linked resource of a page at once,
   * and eight round trips become one.
   */
  together(query: SQL): Promise<unknown[]> {
    return new Promise((done, fail) => {
      if (!this.parts.length) setImmediate(() => this.flush());
      this.parts.push({ query, done, fail });
    });
  }

  private flush() {
    const parts = this.parts;
    this.parts = [];
    const union = sql.join(
      parts.map((p, i) => sql`(SELECT ${sql.raw(String(i))} AS part, q.row FROM (${p.query}) AS q(row))`),
      sql` UNION ALL `,
    );
    this.run((tx) => tx.execute(union)).then(
      ({ rows }) => {
        const byPart = parts.map((): unknown[] => []);
        for (const r of rows as { part: number; row: unknown }[]) byPart[r.part]!.push(r.row);
        parts.forEach((p, i) => p.done(byPart[i]!));
      },
      (err) => parts.forEach((p) => p.fail(err)),
    );
  }

  /**
   * Commits and releases the connection, once the reads under way are done (their next statement must not
   * find the transaction gone, or run on a connection handed to someone else). A read asked for later (a
   * request that goes on after its client left) runs in a transaction of its own.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const open = this.open;
    this.open = null;
    if (!open) return;
    const held = await open.catch(() => null);
    await held?.end().catch(() => {});
  }

  /** One read in a transaction of its own, ended with it. */
  private once<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(
      async (tx) => {
        await this.settings(tx);
        return fn(tx);
      },
      { accessMode: 'read only' },
    );
  }

  /** The application role (row-level security applies) and the tenant and user, for this transaction only. */
  private async settings(tx: Tx) {
    await tx.execute(
      sql`SELECT set_config('role', ${APP_ROLE}, true), set_config(${TENANT_SETTING}, ${String(this.tenantId)}, true), set_config(${USER_SETTING}, ${String(this.userId)}, true)`,
    );
  }

  /** Holds a Drizzle transaction open until `end` is called: Drizzle then sends COMMIT (or ROLLBACK) and releases the client. */
  private begin(): Promise<Open> {
    return new Promise<Open>((ready, fail) => {
      let opened = false;
      const done = this.db.transaction(
        async (tx) => {
          await this.settings(tx);
          await new Promise<void>((resolve, reject) => {
            opened = true;
            ready({ tx, end: (error) => ((error ? reject(error) : resolve()), done.then(() => {}, () => {})) });
          });
        },
        { accessMode: 'read only' },
      );
      done.catch((err) => {
        if (!opened) fail(err);
      });
    });
  }
}

/** An error PostgreSQL reported (it carries a SQLSTATE), as opposed to a refusal raised in Node. */
function isDatabaseError(err: unknown): boolean {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (typeof (e as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code)) return true;
  }
  return false;
}
