// Brings a database to this build: the schema's migrations and derived DDL (schema/migrate.ts), plus what
// follows from the resource specs: a trigram index per searched text column (schema/search-indexes.ts).
// Every start, script and test harness migrates through here.
import { migrateDatabase as migrateSchema } from '../schema/migrate';
import { trigramIndexDdl, trigramIndexes, type TrigramIndex } from '../schema/search-indexes';
import { resources } from './resources';

/** The trigram indexes the specs' search fields ask for. */
export const searchIndexes = (): TrigramIndex[] => trigramIndexes([...resources.values()].map((r) => ({ table: r.table, fields: r.searchFields })));

export function migrateDatabase(databaseUrl: string): Promise<void> {
  return migrateSchema(databaseUrl, trigramIndexDdl(searchIndexes()));
}
