// One PostgreSQL pool per process, and the Drizzle instance typed from the schema.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from '../schema';
import { APP_ROLE } from '../schema/derived-ddl';
import { isDatabaseUnavailable } from './db-errors';

// NUMERIC and BIGINT (counts) arrive as exact strings; DATE stays a 'YYYY-MM-DD' string (no time-zone shift).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  pool: pg.Pool;
  db: Db;
  /**
   * A second pool for the back office's per-request read sessions (domain/read-session.ts): its connections
   * are the application role and read-only from login. Null where the server serves a single connection
   * (embedded PGlite): each read then runs in a transaction of its own.
   */
  reads: pg.Pool | null;
  close(): Promise<void>;
}

/** A request waits at most this long for a connection (pool full, or the server not answering), then fails. */
export const CONNECT_TIMEOUT_MS = 5000;

/** Connections that lost their server (restart, failover, network): never to be used again. */
const lost = new WeakSet<pg.ClientBase>();

/** Whether this connection lost its server: its next statement would fail (a read session takes a new one). */
export function connectionLost(client: pg.ClientBase): boolean {
  return lost.has(client);
}

/** Where the pool reports lost connections: the app's JSON log (a pino logger), else stderr. */
export type DbLog = Pick<Logger, 'warn'>;
const stderrLog: DbLog = { warn: (_fields: object, line: string) => console.error(line) } as DbLog;

// One line per cause and second, not one per connection: a restart drops every connection at once.
let lastLogged = '';
let lastLoggedAt = 0;
function logLost(log: DbLog, err: Error) {
  const line = `postgres: a connection was lost (${err.message}); the pool opens new ones`;
  if (line === lastLogged && Date.now() - lastLoggedAt < 1000) return;
  [lastLogged, lastLoggedAt] = [line, Date.now()];
  log.warn({ component: 'postgres', error: err.message }, line);
}

function newPool(databaseUrl: string, max: number, log: DbLog, options = ''): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    // TIMESTAMP columns hold UTC: the session time zone makes now() and the driver agree on that.
    options: `-c timezone=UTC ${options}`.trim(),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle client that loses its server: the pool drops it.
  pool.on('error', (err) => logLost(log, err));
  // A client checked out (held in a transaction, a read session, the shipper) has no listener of the pool's:
  // losing its server between two statements would be an unhandled 'error' event, which ends the process.
  // This one stays for the client's life. The client is then not queryable: its next statement fails at once,
  // and the pool discards it when it is released.
  pool.on('connect', (client) =>
    client.on('error', (err) => {
      lost.add(client);
      logLost(log, err);
    }),
  );
  return pool;
}

export function connect(databaseUrl: string, max = 10, log: DbLog = stderrLog): Database {
  const pool = newPool(databaseUrl, max, log);
  const reads = max > 1 ? newPool(databaseUrl, max, log, `-c role=${APP_ROLE} -c default_transaction_read_only=on`) : null;
  return {
    pool,
    db: drizzle(pool, { schema }),
    reads,
    close: async () => {
      await Promise.all([pool.end(), reads?.end()]);
    },
  };
}

/**
 * Resolves once PostgreSQL accepts a connection at `databaseUrl`, retrying every `everyMs` while it is
 * unreachable (not yet started, restarting): a process started with its database does not exit for being a
 * little early. Other errors (a wrong password, no such database) are thrown at once.
 */
export async function waitForPostgres(databaseUrl: string, log: (line: string) => void = console.log, everyMs = 2000): Promise<void> {
  const where = (() => {
    const u = new URL(databaseUrl);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`; // (no user or password in the log)
  })();
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    client.on('error', () => {}); // (a failed connection may also emit)
    try {
      await client.connect();
      await client.query('SELECT 1');
      if (attempt > 1) log(`PostgreSQL at ${where}: reachable`);
      return;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      if (attempt === 1 || attempt % 15 === 0) log(`PostgreSQL at ${where}: not reachable (${(err as Error).message || (err as { code?: string }).code}); waiting, retrying every ${everyMs / 1000} s`);
      await new Promise((r) => setTimeout(r, everyMs));
    } finally {
      await client.end().catch(() => {});
    }
  }
}
