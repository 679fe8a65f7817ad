// How long and how deep a value may be, derived from the schema, so that every write path (JSON API, back-office
// forms, CSV import, ingest) refuses an oversized value with a field message instead of reaching PostgreSQL
// (a 3,000-character name fails "index row size exceeds", a 500) or blowing a recursive walk (JSON nested
// 3,000 deep).
import { Column, is, SQL } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';

/**
 * A text column in a B-tree index: at most this many characters. A B-tree entry holds at most ~2,700 bytes;
 * 255 UTF-16 units are at most 765 bytes of UTF-8, so even an index over three such columns fits.
 */
export const INDEXED_TEXT_CHARS = 255;
/** Any other text column (notes, descriptions, an assistant's generated knowledge document). */
export const LONG_TEXT_CHARS = 200_000;
/** A JSON value (jsonb column, event properties): nesting and size as JSON text. */
export const JSON_MAX_DEPTH = 20;
export const JSON_MAX_BYTES = 64 * 1024;
/**
 * The one body limit of the JSON API and the back office's forms: the longest value any column takes
 * (LONG_TEXT_CHARS, up to 3 bytes each as UTF-8 = 600 kB), with room for the rest of a record.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;
if (LONG_TEXT_CHARS * 3 > BODY_LIMIT_BYTES * 0.75) throw new Error('BODY_LIMIT_BYTES must hold the longest text value with room to spare');

const indexedByTable = new WeakMap<PgTable, Set<string>>();

/** The names of a table's columns that some index or unique constraint holds, directly or in an expression (lower(email)). */
export function indexedColumns(table: PgTable): Set<string> {
  let names = indexedByTable.get(table);
  if (names) return names;
  const config = getTableConfig(table);
  names = new Set<string>();
  const add = (part: unknown) => {
    if (is(part, SQL)) part.queryChunks.forEach(add);
    else if (is(part, Column)) names!.add(part.name);
    else if (part && typeof part === 'object' && typeof (part as { name?: unknown }).name === 'string') names!.add((part as { name: string }).name);
  };
  for (const index of config.indexes) index.config.columns.forEach(add);
  for (const u of config.uniqueConstraints) u.columns.forEach(add);
  for (const pk of config.primaryKeys) pk.columns.forEach(add);
  indexedByTable.set(table, names);
  return names;
}

/** The most characters a text column takes: its varchar length, else a cap by whether an index holds it. */
export function maxTextLength(table: PgTable, col: PgColumn): number {
  const declared = (col as PgColumn & { length?: number }).length;
  if (declared) return declared;
  return indexedColumns(table).has(col.name) ? INDEXED_TEXT_CHARS : LONG_TEXT_CHARS;
}

/**
 * What is wrong with a parsed JSON value (too deep, too large, a NUL that jsonb cannot store), or null.
 * Walked with an explicit stack, not recursion: a value nested 100,000 deep must not overflow the call stack.
 */
export function jsonProblem(value: unknown, maxDepth = JSON_MAX_DEPTH, maxBytes = JSON_MAX_BYTES): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  let bytes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
      bytes += v.length + 2;
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= maxDepth) return `must not be nested more than ${maxDepth} levels deep`;
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
        bytes += Array.isArray(v) ? 1 : k.length + 4;
        stack.push([x, depth + 1]);
      }
      bytes += 2;
    } else bytes += 8;
    if (bytes > maxBytes) return `must be at most ${Math.round(maxBytes / 1024)} kB as JSON`;
  }
  return null;
}
