// A request's reads on one connection of the read pool (domain/db.ts), checked out for the request.
//
// A back-office list page reads the actor, a page of rows, a count and one query per linked resource. Each in a
// transaction of its own costs four round trips apiece (BEGIN, the settings, the query, COMMIT), about fifty for
// one page, and AdminJS populates linked resources in parallel, taking a connection each. In a session: the
// tenant and user set once, then the queries, on one connection. It is checked out on the first read and given
// back when the request ends (admin/backoffice/actors.ts).
//
// The read pool's connections are the application role, read-only, from the moment they log in (their startup
// options), so row-level security applies to every statement and the database refuses any write: writes keep
// their own transactions (with audit and outbox triggers) on the main pool. The tenant and user are session
// settings, set again by every checkout before its first statement, so a connection never serves a request
// with the settings of the one before. Statements run one by one (autocommit): each sees what is committed
// when it starts, as each did in its own READ COMMITTED transaction.
//
// A separate pool, so that a request holding its connection can still take one for a write or for the session
// store without waiting on itself (with one pool, ten such requests could each hold a connection and wait for
// an eleventh).
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { connectionLost, type Db } from './db';
import { requestSessionId, sessionEnded } from './request-session';
import { TENANT_SETTING, USER_SETTING } from '../schema/derived-ddl';

/** What a read needs of Drizzle: a Drizzle database or a transaction both serve. */
export type Reader = Pick<Db, 'select' | 'execute'>;

interface Held {
  client: pg.PoolClient;
  db: Reader;
  /** access_version when checked out (schema/access-version.ts), read in the statement that sets the tenant. */
  accessVersion: number;
}

/** A query waiting to travel with others: one column of JSON per row (domain/json-rows.ts). */
interface Part {
  query: SQL;
  done: (rows: unknown[]) => void;
  fail: (err: unknown) => void;
}

/** One Drizzle instance per pooled connection (the pool reuses its clients). */
const readers = new WeakMap<pg.PoolClient, Reader>();

export class ReadSession {
  private held: Promise<Held> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private parts: Part[] = [];
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly tenantId: number,
    readonly userId: number,
    /** The sign-in session the reads are for ('' none), checked to still stand in the statement that sets the tenant. */
    private readonly sessionId = requestSessionId(),
  ) {}

  /**
   * Runs `fn` on the session's connection (checked out on first use), after the reads before it: a connection
   * runs one statement at a time (AdminJS asks for linked records in parallel). `fn` must not call `run`.
   */
  run<T>(fn: (db: Reader) => Promise<T>): Promise<T> {
    const turn = this.queue.then(() => this.runNow(fn));
    this.queue = turn.then(
      () => {},
      () => {},
    );
    return turn;
  }

  private async runNow<T>(fn: (db: Reader) => Promise<T>): Promise<T> {
    if (this.closed) return this.once(fn);
    let held = await this.hold();
    if (connectionLost(held.client)) {
      // Its server went away since the last read (a restart, a failover). Reads run one by one, autocommit:
      // a new connection serves the next one just as well.
      this.held = null;
      held.client.release(true);
      held = await this.hold();
    }
    return fn(held.db);
  }

  /** The session's connection, checked out on first use (a failed check-out is tried again by the next read). */
  private hold(): Promise<Held> {
    if (!this.held) {
      const checking = (this.held = this.checkOut());
      checking.catch(() => {
        if (this.held === checking) this.held = null;
      });
    }
    return this.held;
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
    this.run((db) => db.execute(union)).then(
      ({ rows }) => {
        const byPart = parts.map((): unknown[] => []);
        for (const r of rows as { part: number; row: unknown }[]) byPart[r.part]!.push(r.row);
        parts.forEach((p, i) => p.done(byPart[i]!));
      },
      (err) => parts.forEach((p) => p.fail(err)),
    );
  }

  /**
   * Gives the connection back, once the reads under way are done (their next statement must not find it gone).
   * A read asked for later (a request that goes on after its client left) checks one out for itself.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const held = this.held;
    this.held = null;
    (await held?.catch(() => null))?.client.release();
  }

  private async once<T>(fn: (db: Reader) => Promise<T>): Promise<T> {
    const { client, db } = await this.checkOut();
    try {
      return await fn(db);
    } finally {
      client.release();
    }
  }

  private async checkOut(): Promise<Held> {
    const client = await this.pool.connect();
    let accessVersion: number;
    let stands: boolean;
    try {
      const { rows } = await client.query(
        `SELECT set_config($1, $2, false), set_config($3, $4, false), coalesce((SELECT version FROM access_version), 0) AS access_version, epesi_session_stands($5) AS stands`,
        [TENANT_SETTING, String(this.tenantId), USER_SETTING, String(this.userId), this.sessionId],
      );
      accessVersion = Number(rows[0]?.access_version);
      stands = rows[0]?.stands === true;
    } catch (err) {
      client.release(err instanceof Error ? err : true); // (a connection that failed here is not reused)
      throw err;
    }
    if (!stands) {
      client.release();
      throw sessionEnded();
    }
    let db = readers.get(client);
    if (!db) readers.set(client, (db = drizzle(client)));
    return { client, db, accessVersion };
  }

  /** The access version read when the session's connection was checked out (checking it out if need be). */
  accessVersion(): Promise<number> {
    return this.run(async () => (await this.held)?.accessVersion ?? NaN);
  }
}
