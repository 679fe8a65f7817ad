// One PostgreSQL pool per process, and the Drizzle instance typed from the schema.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../schema';

// NUMERIC and BIGINT (counts) arrive as exact strings; DATE stays a 'YYYY-MM-DD' string (no time-zone shift).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  pool: pg.Pool;
  db: Db;
  /**
   * A second pool for the back office's per-request read sessions (domain/read-session.ts), or null where the
   * server serves a single connection (embedded PGlite): each call then runs in a transaction of its own.
   */
  reads: { pool: pg.Pool; db: Db } | null;
  close(): Promise<void>;
}

function newPool(databaseUrl: string, max: number): pg.Pool {
  // TIMESTAMP columns hold UTC: the session time zone makes now() and the driver agree on that.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, options: '-c timezone=UTC' });
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on('error', (err) => console.error('postgres pool:', err.message));
  return pool;
}

export function connect(databaseUrl: string, max = 10): Database {
  const pool = newPool(databaseUrl, max);
  const readPool = max > 1 ? newPool(databaseUrl, max) : null;
  return {
    pool,
    db: drizzle(pool, { schema }),
    reads: readPool && { pool: readPool, db: drizzle(readPool, { schema }) },
    close: async () => {
      await Promise.all([pool.end(), readPool?.end()]);
    },
  };
}
