// Brings any PostgreSQL database (server or embedded) to the current schema. Safe to run again: a no-op then.
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { derivedDdl } from './derived-ddl';
import { accessVersionDdl } from './access-version';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any fixed key: serializes concurrent migrators (several app instances starting at once).
const MIGRATION_LOCK = 7_140_221;

/** `extraDdl`: statements of layers above that follow from the schema too (domain/migrate.ts: search indexes). */
export async function migrateDatabase(databaseUrl: string, extraDdl: readonly string[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
    for (const statement of [...derivedDdl(), ...accessVersionDdl(), ...extraDdl]) await client.query(statement);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/**
 * How many of this build's migrations the database lacks, by drizzle's own rule (a migration is applied when
 * its folder time is not after the last recorded one). Reads the folder once; each check is one query.
 */
export function pendingMigrationsCheck(): (db: Pick<pg.Pool, 'query'>) => Promise<number> {
  const times = readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis);
  return async (db) => {
    let last = -Infinity;
    try {
      const { rows } = await db.query<{ last: string | null }>('SELECT max(created_at)::text AS last FROM drizzle.__drizzle_migrations');
      if (rows[0]?.last != null) last = Number(rows[0].last);
    } catch (err) {
      // No migration table (or schema) yet: nothing applied. Anything else (the server is gone) is the caller's.
      if (!['42P01', '3F000'].includes((err as { code?: string }).code ?? '')) throw err;
    }
    return times.filter((t) => t > last).length;
  };
}
