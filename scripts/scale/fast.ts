// The bulk-load fast path, all inside the seeding transaction (so a failure leaves nothing behind):
// - triggers off (session_replication_role = replica, when the role may set it): no per-row foreign key
//   checks, no audit trigger call (which records nothing without an actor anyway);
// - secondary indexes of the bulk tables dropped before COPY and rebuilt afterwards (one sort per index
//   instead of millions of incremental inserts); constraint indexes (primary keys, UNIQUE) stay;
// - every foreign key of the bulk tables verified afterwards with one anti-join pass per table, since the
//   per-row checks were skipped.
import type pg from 'pg';

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** Turns triggers (foreign key checks included) off for this transaction; false when the role may not. */
export async function disableTriggers(client: pg.ClientBase): Promise<boolean> {
  await client.query('SAVEPOINT epesi_replica');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('RELEASE SAVEPOINT epesi_replica');
    return true;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT epesi_replica');
    return false;
  }
}

/** Drops the indexes of `tables` that back no constraint; returns the statements that recreate them. */
export async function dropSecondaryIndexes(client: pg.ClientBase, tables: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`,
    [tables],
  );
  for (const r of rows) await client.query(`DROP INDEX ${r.name}`);
  return rows.map((r) => r.def);
}

interface ForeignKey {
  name: string;
  cols: string[];
  ref: string;
  refCols: string[];
}

/**
 * Counts, for each foreign key of `table`, the rows of the given tenants whose reference has no target
 * (MATCH SIMPLE: a reference with a NULL column is not checked), and throws if any.
 */
export async function verifyForeignKeys(client: pg.ClientBase | pg.Pool, table: string, tenantIds: number[]): Promise<void> {
  const { rows: fks } = await client.query<ForeignKey>(
    `SELECT c.conname AS name, c.confrelid::regclass::text AS ref,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num) AS cols,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num) AS "refCols"
       FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = $1::regclass ORDER BY c.conname`,
    [table],
  );
  if (!fks.length) return;
  const joins = fks.map(
    (fk, n) => `LEFT JOIN ${fk.ref} r${n} ON ${fk.cols.map((c, k) => `r${n}.${quote(fk.refCols[k]!)} = t.${quote(c)}`).join(' AND ')}`,
  );
  const counts = fks.map(
    (fk, n) =>
      `count(*) FILTER (WHERE ${fk.cols.map((c) => `t.${quote(c)} IS NOT NULL`).join(' AND ')} AND r${n}.${quote(fk.refCols[0]!)} IS NULL) AS ${quote(fk.name)}`,
  );
  const { rows } = await client.query<Record<string, string>>(
    `SELECT ${counts.join(', ')} FROM ${table} t ${joins.join(' ')} WHERE t.tenant_id = ANY($1::int[])`,
    [tenantIds],
  );
  const broken = Object.entries(rows[0]!).filter(([, n]) => Number(n) > 0);
  if (broken.length) {
    throw new Error(`${table}: rows violate foreign keys: ${broken.map(([fk, n]) => `${fk} (${n})`).join(', ')}`);
  }
}
