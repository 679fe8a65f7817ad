// Indexed substring search. A free-text search (domain/scoped-data.ts) sends `column ILIKE '%text%'` for every
// searched text column of a resource; without an index, a word that few rows hold is a scan of the tenant's
// rows (500k deals: ~300 ms). A pg_trgm GIN index (`gin_trgm_ops`) answers ILIKE '%text%' from the trigrams of
// the text, so each searched column gets one, on the column itself (the expression the search compiles to).
//
// Row-level security: the planner only uses a query's condition as an index condition ahead of the policy's
// when the condition's function is LEAKPROOF (it cannot reveal rows the policy hides through an error). ILIKE
// (`texticlike`) is not marked so, only because a pattern ending in a lone backslash raises an error, which a
// pattern taken from a hidden row's column could reveal. The app's patterns are always its own parameter
// (escaped) against a column, never a column as the pattern, and nobody else runs SQL as the application role;
// so the migrator marks it LEAKPROOF in this database (a superuser may, and PGlite's and the compose file's
// accounts are). Without that right the indexes are still built, but searches as the application role scan:
// the migrator says so in a warning.
//
// Applied by the migrator after the migrations, every run (idempotent): the indexes follow the searched fields
// of the resource specs (domain/resources/<table>.ts, handed in by domain/migrate.ts: this layer knows no spec),
// and an index for a field no longer searched is dropped.
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';

/**
 * Searched but not indexed: the analytics outbox takes every ingested event (tens of thousands per second, its
 * indexes kept lean for that: 0005_events_lean_indexes), and an index on an event name would be maintained at
 * each of them for a search of the outbox that the back office rarely makes.
 */
const NOT_INDEXED = new Set(['events']);

/** Whether a table's searched columns are indexed: a search of it answers from the index, not by a scan. */
export const isSearchIndexed = (table: PgTable) => !NOT_INDEXED.has(getTableConfig(table).name);

export const TRIGRAM_SUFFIX = '_trgm_idx';

export interface TrigramIndex {
  table: string;
  column: string;
  name: string;
}

/** Each table's searched text columns (what a search compiles ILIKE on), one index each. */
export function trigramIndexes(searched: readonly { table: PgTable; fields: readonly string[] }[]): TrigramIndex[] {
  return searched.flatMap(({ table, fields }) => {
    if (!isSearchIndexed(table)) return [];
    const { name, columns } = getTableConfig(table);
    const wanted = new Set(fields);
    return columns
      .filter((c) => wanted.has(c.name) && c.columnType === 'PgText')
      .map((c) => ({ table: name, column: c.name, name: `${name}_${c.name}${TRIGRAM_SUFFIX}` }));
  });
}

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The statements that bring a database to these indexes (and ILIKE usable through them under row-level security). */
export function trigramIndexDdl(indexes: TrigramIndex[]): string[] {
  const names = indexes.map((i) => literal(i.name)).join(', ');
  return [
    // (a trusted extension since PostgreSQL 13: the database's owner may create it; PGlite loads it as a contrib module)
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    `DO $$ BEGIN
       IF NOT (SELECT proleakproof FROM pg_proc WHERE oid = 'texticlike(text, text)'::regprocedure) THEN
         IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
           ALTER FUNCTION texticlike(text, text) LEAKPROOF;
         ELSE
           RAISE WARNING 'text search is not indexed under row-level security: only a superuser may mark ILIKE (texticlike) LEAKPROOF (schema/search-indexes.ts)';
         END IF;
       END IF;
     END $$`,
    ...indexes.map((i) => `CREATE INDEX IF NOT EXISTS ${quote(i.name)} ON ${quote(i.table)} USING gin (${quote(i.column)} gin_trgm_ops)`),
    `DO $$ DECLARE stale record; BEGIN
       FOR stale IN SELECT indexname FROM pg_indexes
                     WHERE schemaname = current_schema() AND right(indexname, ${TRIGRAM_SUFFIX.length}) = ${literal(TRIGRAM_SUFFIX)}
                       AND indexname <> ALL (ARRAY[${names || "''"}]::text[]) LOOP
         EXECUTE format('DROP INDEX %I', stale.indexname);
       END LOOP;
     END $$`,
  ];
}
