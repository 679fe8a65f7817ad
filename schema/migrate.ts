// Brings any PostgreSQL database (server or embedded) to the current schema. Safe to run again: a no-op then.
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { derivedDdl } from './derived-ddl';
import { trigramIndexDdl } from './search-indexes';
import { accessVersionDdl } from './access-version';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any fixed key: serializes concurrent migrators (several app instances starting at once).
const MIGRATION_LOCK = 7_140_221;

export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
    for (const statement of [...derivedDdl(), ...trigramIndexDdl(), ...accessVersionDdl()]) await client.query(statement);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}
