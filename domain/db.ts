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
  close(): Promise<void>;
}

export function connect(databaseUrl: string, max = 10): Database {
  // TIMESTAMP columns hold UTC: the session time zone makes now() and the driver agree on that.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, options: '-c timezone=UTC' });
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on('error', (err) => console.error('postgres pool:', err.message));
  return { pool, db: drizzle(pool, { schema }), close: () => pool.end() };
}
