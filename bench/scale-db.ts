// The benchmark's scratch database: the scale data set (scripts/seed-scale.ts) in its own database on the
// local PostgreSQL server, created, migrated and seeded once per deal count, then reused by later runs.
// Plus a second, small tenant (scale2) topped up to SMALL_DEALS deals, so that a list over 10k rows and one
// over 1M rows run against the same table, indexes and statistics.
import pg from 'pg';
import { migrateDatabase } from '../domain/migrate';
import { seedScale } from '../scripts/seed-scale';
import { stderrProgress } from '../scripts/scale/progress';

export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const SMALL_DEALS = 10_000;

export function urlOf(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(fn: (client: pg.Client) => Promise<T>, url = SERVER_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Deals of scale1 and scale2 when the database exists and was seeded completely, else null. */
async function seeded(url: string): Promise<{ big: number; small: number } | null> {
  try {
    return await onServer(async (c) => {
      const { rows } = await c.query<{ big: string | null; small: string | null }>(
        `SELECT (SELECT count(*) FROM deals d JOIN tenants t ON t.id = d.tenant_id WHERE t.subdomain = 'scale1') AS big,
                (SELECT count(*) FROM deals d JOIN tenants t ON t.id = d.tenant_id WHERE t.subdomain = 'scale2') AS small`,
      );
      return { big: Number(rows[0]!.big), small: Number(rows[0]!.small) };
    }, url);
  } catch {
    return null;
  }
}

export interface ScaleDatabase {
  name: string;
  url: string;
  reused: boolean;
}

/** A database named after the deal count, seeded with the scale data set (reused when already complete). */
export async function ensureScaleDatabase(deals: number, log: (line: string) => void): Promise<ScaleDatabase> {
  const name = `epesi_bench_${deals}`;
  const url = urlOf(name);
  const found = await seeded(url);
  if (found && found.big === deals && found.small >= SMALL_DEALS) {
    await migrateDatabase(url); // (migrations added since the seeding, e.g. indexes)
    return { name, url, reused: true };
  }
  if (!found || found.big !== deals) {
    log(`creating ${name} (scale data set, ${deals} deals in scale1; about 1-2 minutes for 1M)`);
    await onServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await onServer((c) => c.query(`CREATE DATABASE ${name}`));
    await migrateDatabase(url);
    // (vacuum: visibility map and hint bits set, as on a settled database, so counts may use index-only scans)
    await seedScale(url, { deals, vacuum: true }, stderrProgress());
  }
  await topUpSmallTenant(url);
  return { name, url, reused: false };
}

/**
 * scale2 gets SMALL_DEALS deals, built from its own contacts, companies, products, stages and agents like
 * the seeder's (owner = an agent, supervisor = the agent's manager, workspace = the agent's), created over
 * the same year. Inserted by the system (no actor, so no audit rows), then analyzed.
 */
async function topUpSmallTenant(url: string) {
  await onServer(async (c) => {
    await c.query('BEGIN');
    await c.query(
      `WITH t AS (SELECT id FROM tenants WHERE subdomain = 'scale2'),
       missing AS (SELECT ${SMALL_DEALS} - (SELECT count(*) FROM deals WHERE tenant_id = (SELECT id FROM t)) AS n),
       agents AS (SELECT u.id, u.manager_id, u.workspace_id, row_number() OVER (ORDER BY u.id) - 1 AS k
                    FROM users u JOIN roles r ON r.id = u.role_id AND r.tenant_id = u.tenant_id
                   WHERE u.tenant_id = (SELECT id FROM t) AND r.level = 1),
       contacts AS (SELECT id, company_id, row_number() OVER (ORDER BY id) - 1 AS k FROM contacts WHERE tenant_id = (SELECT id FROM t)),
       stages AS (SELECT id, row_number() OVER (ORDER BY "order") - 1 AS k FROM sales_stages WHERE tenant_id = (SELECT id FROM t)),
       products AS (SELECT id, name, sale_price, row_number() OVER (ORDER BY id) - 1 AS k FROM products WHERE tenant_id = (SELECT id FROM t))
       INSERT INTO deals (title, value, stage_id, probability, expected_close_date, company_id, contact_id, product_id,
                          assigned_to_id, supervisor_id, workspace_id, tenant_id, created_at)
       SELECT p.name || ' deal ' || i, p.sale_price * (1 + i % 5), s.id, (10 + i % 80), DATE '2026-10-01' + (i % 180),
              c.company_id, c.id, p.id, a.id, a.manager_id, a.workspace_id, (SELECT id FROM t),
              TIMESTAMP '2025-10-01' + (i * interval '1 second' * (365 * 86400 / ${SMALL_DEALS}))
         FROM generate_series(1, (SELECT n FROM missing)::int) AS i
         JOIN agents a ON a.k = i % (SELECT count(*) FROM agents)
         JOIN contacts c ON c.k = i % (SELECT count(*) FROM contacts)
         JOIN stages s ON s.k = i % (SELECT count(*) FROM stages)
         JOIN products p ON p.k = i % (SELECT count(*) FROM products)`,
    );
    await c.query('COMMIT');
    await c.query('VACUUM ANALYZE deals');
  }, url);
}
