// Benchmark data: `DATABASE_URL=... tsx scripts/seed-scale.ts [--tenants 100] [--deals 1000000] [--events 10000000] ...`
// (npm run db:seed:scale; --help lists every option). Creates tenants scale1..scaleN with roles, users, workspaces,
// a pipeline, products and a few customers each, and puts the big volumes (contacts, deals, events) into scale1.
// Bulk tables are streamed with COPY FROM STDIN in chunks, all in one transaction, then the database is ANALYZEd.
// Deterministic for a given seed and base date. Demo users' password (demo1234) works for every scale user.
import { pathToFileURL } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../schema';
import { hashDemoPassword } from './demo-data';
import { Random } from './random';
import {
  COMPANY_COLUMNS, CONTACT_COLUMNS, DEAL_COLUMNS, EVENT_COLUMNS, companyRows, contactRows, dealRows, eventRows, layout,
} from './scale/bulk';
import { copyRows, reserveIds } from './scale/copy';
import { disableTriggers, dropSecondaryIndexes, verifyForeignKeys } from './scale/fast';
import { parseScaleArgs, resolveOptions, USAGE, type ScaleOptions } from './scale/options';
import { formatRate, stderrProgress, type Progress } from './scale/progress';
import { setupTenants } from './scale/setup';

export { DEFAULT_SCALE_OPTIONS, type ScaleOptions } from './scale/options';
export type { Progress } from './scale/progress';

export interface ScaleResult {
  options: ScaleOptions;
  tenantIds: number[];
  /** Rows written per bulk table (companies and contacts across all tenants). */
  rows: { companies: number; contacts: number; deals: number; events: number };
  phases: { phase: string; rows: number; ms: number }[];
  /** Whether triggers were off during the bulk load (then foreign keys were verified afterwards). */
  triggersOff: boolean;
  /** Secondary indexes dropped before and rebuilt after the bulk load. */
  rebuiltIndexes: number;
  elapsedMs: number;
}

const BULK_TABLES = ['companies', 'contacts', 'deals', 'events'] as const;

export async function seedScale(url: string, options: Partial<ScaleOptions> = {}, onProgress?: (p: Progress) => void): Promise<ScaleResult> {
  const o = resolveOptions(options);
  const started = performance.now();
  const phases: ScaleResult['phases'] = [];
  const rng = new Random(o.seed);
  const baseMs = Date.parse(`${o.base}T00:00:00Z`);
  const passwordHash = await hashDemoPassword();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Nothing else needs the commit to be durable before it returns; the whole load is one transaction.
    await client.query('SET LOCAL synchronous_commit = off');
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    const { rowCount } = await client.query(`SELECT 1 FROM tenants WHERE subdomain = 'scale1'`);
    if (rowCount) throw new Error('tenant scale1 already exists: run the scale seeder on a fresh database');

    let t0 = performance.now();
    const setups = await setupTenants(drizzle(client, { schema }), rng, {
      tenants: o.tenants, users: o.users, products: o.products, passwordHash, createdAt: new Date(baseMs - (o.days + 400) * 86_400_000),
    });
    phases.push({ phase: 'tenants', rows: o.tenants, ms: performance.now() - t0 });
    onProgress?.({ phase: 'tenants', done: o.tenants, total: o.tenants, elapsedMs: performance.now() - t0, unit: 'steps' });

    const triggersOff = !o.safe && (await disableTriggers(client));
    const indexes = o.safe ? [] : await dropSecondaryIndexes(client, BULK_TABLES);

    const bulk = async (phase: string, table: string, columns: readonly string[], total: number, row: (i: number) => string) => {
      const start = performance.now();
      const report = (done: number) => onProgress?.({ phase, done, total, elapsedMs: performance.now() - start });
      report(0);
      await copyRows(client, table, columns, total, row, { batchRows: o.batchRows, onChunk: report });
      phases.push({ phase, rows: total, ms: performance.now() - start });
    };

    const others = o.tenants - 1;
    const companies = layout(0, [o.companies, ...Array<number>(others).fill(o.smallCompanies)]);
    companies.first = await reserveIds(client, 'companies', companies.total);
    await bulk('companies', 'companies', COMPANY_COLUMNS, companies.total, companyRows(setups, companies, rng, baseMs, o.days));

    const contacts = layout(0, [o.contacts, ...Array<number>(others).fill(o.smallContacts)]);
    contacts.first = await reserveIds(client, 'contacts', contacts.total);
    await bulk('contacts', 'contacts', CONTACT_COLUMNS, contacts.total, contactRows(setups, contacts, companies, rng, baseMs, o.days));

    const dealFirst = await reserveIds(client, 'deals', o.deals);
    await bulk('deals', 'deals', DEAL_COLUMNS, o.deals, dealRows(setups, dealFirst, o.deals, contacts, companies, rng, baseMs, o.days));

    await bulk('events', 'events', EVENT_COLUMNS, o.events, eventRows(setups, o.events, { first: dealFirst, count: o.deals }, contacts, rng, baseMs, o.days));

    const step = async (phase: string, items: readonly string[], run: (item: string) => Promise<unknown>) => {
      const start = performance.now();
      for (let n = 0; n < items.length; n++) {
        onProgress?.({ phase, done: n, total: items.length, elapsedMs: performance.now() - start, unit: 'steps' });
        await run(items[n]!);
      }
      onProgress?.({ phase, done: items.length, total: items.length, elapsedMs: performance.now() - start, unit: 'steps' });
      phases.push({ phase, rows: 0, ms: performance.now() - start });
    };
    if (indexes.length) await step('indexes', indexes, (def) => client.query(def));
    if (triggersOff) {
      await client.query('SET LOCAL session_replication_role = origin');
      const tenantIds = setups.map((s) => s.id);
      await step('verify', BULK_TABLES, (table) => verifyForeignKeys(client, table, tenantIds));
    }

    t0 = performance.now();
    await client.query('COMMIT');
    phases.push({ phase: 'commit', rows: 0, ms: performance.now() - t0 });

    // Fresh statistics, so that benchmark plans match the data just loaded (VACUUM cannot run in a transaction).
    if (o.vacuum) await step('vacuum', BULK_TABLES, (table) => client.query(`VACUUM ${table}`));
    await step('analyze', ['ANALYZE'], (statement) => client.query(statement));

    return {
      options: o,
      tenantIds: setups.map((s) => s.id),
      rows: { companies: companies.total, contacts: contacts.total, deals: o.deals, events: o.events },
      phases,
      triggersOff,
      rebuiltIndexes: indexes.length,
      elapsedMs: performance.now() - started,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

async function main() {
  let options: ScaleOptions | 'help';
  try {
    options = parseScaleArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`DATABASE_URL is not set\n${USAGE}`);
    process.exit(2);
  }
  const result = await seedScale(url, options, stderrProgress());
  if (!options.safe && !result.triggersOff) console.warn('Note: this role may not set session_replication_role; foreign keys were checked row by row.');
  console.log(`Seeded ${result.tenantIds.length} tenants in ${(result.elapsedMs / 1000).toFixed(1)} s (big volumes in scale1, tenant id ${result.tenantIds[0]}):`);
  for (const p of result.phases) {
    const rate = p.rows && p.ms ? `  ${formatRate((p.rows * 1000) / p.ms)} rows/s` : '';
    console.log(`  ${p.phase.padEnd(10)} ${String(p.rows).padStart(10)} rows  ${(p.ms / 1000).toFixed(1).padStart(7)} s${rate}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
