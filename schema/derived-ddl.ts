// DDL that follows from the schema but that drizzle-kit does not generate. Every statement is idempotent,
// so it is (re)applied after the migrations on every run and always matches the current tables.
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import * as schema from './index';

export const allTables: PgTable[] = Object.values(schema).filter(
  (v): v is PgTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v,
);

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

export function derivedDdl(): string[] {
  const statements = [
    // updated_at is kept current for every writer, not only for Drizzle's own update builder.
    `CREATE OR REPLACE FUNCTION epesi_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN NEW.updated_at := now(); RETURN NEW; END $$`,
  ];
  for (const table of allTables) {
    const { name, columns } = getTableConfig(table);
    if (!columns.some((c) => c.name === 'updated_at')) continue;
    statements.push(
      `CREATE OR REPLACE TRIGGER ${quote(`${name}_touch_updated_at`)} BEFORE UPDATE ON ${quote(name)}
       FOR EACH ROW EXECUTE FUNCTION epesi_touch_updated_at()`,
    );
  }
  return statements;
}
