// One PostgreSQL pool per process, and the Drizzle instance typed from the schema.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../schema';
import { APP_ROLE } from '../schema/derived-ddl';

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

function newPool(databaseUrl: string, max: number, options = ''): pg.Pool {
  // TIMESTAMP columns hold UTC: the session time zone makes now() and the driver agree on that.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, options: `-c timezone=UTC ${options}`.trim() });
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on('error', (err) => console.error('postgres pool:', err.message));
  return pool;
}

export function connect(databaseUrl: string, max = 10): Database {
  const pool = newPool(databaseUrl, max);
  const reads = max > 1 ? newPool(databaseUrl, max, `-c role=${APP_ROLE} -c default_transaction_read_only=on`) : null;
  return {
    pool,
    db: drizzle(pool, { schema }),
    reads,
    close: async () => {
      await Promise.all([pool.end(), reads?.end()]);
    },
  };
}
