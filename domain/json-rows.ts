// Rows as JSON arrays, so that reads of several tables can travel in one statement (a UNION ALL needs one
// column shape for all): `jsonRow` selects a row's columns as one JSON array, `fromJsonRow` turns it back into
// the values a Drizzle select gives. Types JSON cannot carry exactly travel as PostgreSQL's text, which is what
// the driver hands Drizzle anyway: numeric keeps its scale ('79.00'), timestamps their microseconds.
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** JSON columns arrive parsed already (their mapFromDriverValue would parse a JSON string value a second time). */
const AS_IS = new Set(['PgJson', 'PgJsonb']);
const AS_TEXT = new Set(['PgNumeric', 'PgTimestamp', 'PgTimestampString', 'PgDate', 'PgDateString', 'PgTime', 'PgInterval', 'PgBigInt64', 'PgBigSerial64']);

export type Columns = [string, PgColumn][];

/** `json_build_array(col, col::text, ...)`: the columns in order, one JSON value. */
export function jsonRow(columns: Columns): SQL {
  const values = columns.map(([, c]) => (AS_TEXT.has(c.columnType) ? sql`${c}::text` : sql`${c}`));
  return sql`json_build_array(${sql.join(values, sql`, `)})`;
}

/** The row `jsonRow` selected, keyed and typed as Drizzle returns it. */
export function fromJsonRow(columns: Columns, values: unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  columns.forEach(([name, c], i) => {
    const v = values[i];
    row[name] = v === null || v === undefined ? null : AS_IS.has(c.columnType) ? v : c.mapFromDriverValue(v);
  });
  return row;
}
