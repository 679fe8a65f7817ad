// The database built by the migrations is the seed document's schema: every table, column, type and NOT NULL.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../domain/migrate';
import { useTestDatabase } from '../harness';

const db = useTestDatabase();

interface SeedColumn {
  table: string;
  column: string;
  type: string;
  notNull: boolean;
}

/** Reads the seed's markdown tables: "### N. Title (`table`)" then rows "| `column` | TYPE ... | description |". */
function seedColumns(): SeedColumn[] {
  const doc = readFileSync(new URL('../fixtures/epesicrm-schema.md', import.meta.url), 'utf8');
  const columns: SeedColumn[] = [];
  let table = '';
  for (const line of doc.split('\n')) {
    const heading = /^### \d+\. .*\(`([a-z_]+)`\)/.exec(line);
    if (heading) table = heading[1]!;
    const row = /^\| `([a-z_]+)` \| ([^|]+) \|/.exec(line);
    if (row && table) {
      const spec = row[2]!.trim();
      columns.push({ table, column: row[1]!, type: spec.replace(/ (NOT NULL|PRIMARY KEY|UNIQUE).*$/, ''), notNull: /NOT NULL|PRIMARY KEY/.test(spec) });
    }
  }
  return columns;
}

/** Columns features add to seed tables, each documented where the table defines it. */
const BEYOND_SEED: Record<string, string[]> = {
  assistants: ['public_key', 'allowed_origins', 'creates_leads'], // the embeddable widget (domain/assistants/)
  events: ['client_uuid'], // the sender's event id: a retried ingest batch is stored once (analytics/ingest.ts)
};

const expectedType: Record<string, (c: Record<string, unknown>) => boolean> = {
  SERIAL: (c) => c.data_type === 'integer' && String(c.column_default).startsWith('nextval('),
  INTEGER: (c) => c.data_type === 'integer',
  TEXT: (c) => c.data_type === 'text',
  'TEXT[]': (c) => c.data_type === 'ARRAY' && c.udt_name === '_text',
  'DECIMAL(10,2)': (c) => c.data_type === 'numeric' && c.numeric_precision === 10 && c.numeric_scale === 2,
  JSONB: (c) => c.data_type === 'jsonb',
  BOOLEAN: (c) => c.data_type === 'boolean',
  DATE: (c) => c.data_type === 'date',
  TIMESTAMP: (c) => c.data_type === 'timestamp without time zone',
};

async function catalog() {
  const { rows } = await db.pool.query(`
    SELECT table_name, column_name, data_type, udt_name, numeric_precision, numeric_scale, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__drizzle_migrations'
    ORDER BY table_name, ordinal_position`);
  return rows as Record<string, unknown>[];
}

async function schemaFingerprint() {
  const { rows } = await db.pool.query(`
    SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    ORDER BY 1, 2, 3`);
  return rows;
}

describe('migrations', () => {
  it('create all 26 seed tables with the seed columns, types and NOT NULLs', async () => {
    const seed = seedColumns();
    const tables = new Set(seed.map((c) => c.table));
    expect(tables.size).toBe(26);

    const all = await catalog();
    // Beyond the seed: the audit trail, login sessions, the principals' access version, the shared rate-limit counters and the analytics ingest keys and outbox bookkeeping, nothing else.
    expect(new Set(all.map((c) => c.table_name))).toEqual(new Set([...tables, 'audit_log', 'sessions', 'access_version', 'rate_limits', 'ingest_keys', 'events_pending', 'events_in_flight']));
    const actual = all.filter((c) => tables.has(String(c.table_name)));
    for (const want of seed) {
      const got = actual.find((c) => c.table_name === want.table && c.column_name === want.column);
      expect(got, `${want.table}.${want.column}`).toBeDefined();
      const matchesType = expectedType[want.type];
      expect(matchesType, `known seed type ${want.type}`).toBeDefined();
      expect(matchesType!(got!), `${want.table}.${want.column} is ${want.type}, found ${String(got!.data_type)}`).toBe(true);
      if (want.notNull) expect(got!.is_nullable, `${want.table}.${want.column} NOT NULL`).toBe('NO');
    }
    // Nothing beyond the seed sneaks in as a column, except the columns a feature documents (BEYOND_SEED).
    const extra = actual.filter((c) => !seed.some((s) => s.table === c.table_name && s.column === c.column_name));
    expect(extra.map((c) => `${String(c.table_name)}.${String(c.column_name)}`).sort()).toEqual(
      Object.entries(BEYOND_SEED).flatMap(([table, cols]) => cols.map((c) => `${table}.${c}`)).sort(),
    );
  });

  it('keep sales_stages.order under its reserved-word name', async () => {
    const { rows } = await db.pool.query(
      `SELECT "order" FROM sales_stages LIMIT 0`,
    );
    expect(rows).toEqual([]);
  });

  it('re-apply as a no-op: same migrations recorded, same constraints, indexes and triggers', async () => {
    const before = await schemaFingerprint();
    const applied = await db.pool.query('SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id');
    await migrateDatabase(db.url);
    await migrateDatabase(db.url);
    expect(await schemaFingerprint()).toEqual(before);
    expect((await db.pool.query('SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id')).rows).toEqual(
      applied.rows,
    );
    expect(applied.rows.length).toBeGreaterThan(0);
  });
});
