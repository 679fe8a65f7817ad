// `npm run bench:ingest [-- --events 2000000 --batch 10000 --concurrency 4 --tenants 10]` (not a test).
//
// Loads N events (default 2M, up to 10M) through the ingest API end to end and prints:
//   - rows/s through the ingest API into ClickHouse (first request sent -> last row queryable in ClickHouse),
//     with its two legs: HTTP accepted into the PostgreSQL outbox, and the shipper's lag behind it. The request
//     bodies (JSON Buffers) are generated before the clock starts, as the floor's file is written before its
//     clock starts: both paths time only the work of getting prepared bytes into ClickHouse, not the client
//     generating them on the same 2 CPUs;
//   - the native floor: clickhouse-client inserting the same rows (JSONEachRow file) into the same schema
//     (raw table and materialized views), measured in the same run; and the ratio of the two;
//   - each dashboard query's latency at that size (median of 5, through the JSON API).
//
// Everything is throwaway: a scratch database `epesi_bench_ingest` on the PostgreSQL server of BENCH_DATABASE_URL
// or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; created and dropped), a private
// clickhouse-server (scripts/clickhouse-local.ts, unless CLICKHOUSE_URL is set), and the app itself started
// with `npm start`'s entry point (scripts/start.ts: HTTP server and shipper in one process) on a free port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connectClickHouse, type ClickHouseClient } from '../analytics/clickhouse';
import { hashKey, KEY_PREFIX } from '../analytics/ingest-keys';
import { migrateClickHouse } from '../analytics/migrate';
import { ingestLimits, validateBody, type ValidEvent } from '../analytics/ingest';
import { insertEvents, reserveEventIds } from '../analytics/outbox';
import { connect } from '../domain/db';
import { ScopedData } from '../domain/scoped-data';
import { createTenant } from '../domain/tenancy';
import { migrateDatabase } from '../domain/migrate';
import { startLocalClickHouse, type LocalClickHouse } from '../scripts/clickhouse-local';
import { seedDemo } from '../scripts/demo-data';
import { freePort } from '../scripts/free-port';

// --- options -------------------------------------------------------------------------------------------------
function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}
const N = option('events', 2_000_000);
if (N > 10_000_000) throw new Error('--events: at most 10,000,000');
const BATCH = option('batch', 10_000);
const CONCURRENCY = option('concurrency', 4);
const TENANTS = option('tenants', 10);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'epesi_bench_ingest';
const dbUrl = (() => {
  const u = new URL(SERVER_URL);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();

const log = (m: string) => process.stderr.write(`${m}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// --- the data: deterministic from the event's index ------------------------------------------------------------
const T0 = Date.UTC(2026, 9, 1); // 30 days of events before 2026-10-31
const SPAN_S = 30 * 86_400;
const EVENTS = ['page.view', 'page.view', 'page.view', 'button.click', 'search.performed', 'signup', 'activate', 'purchase'];
const PAGES = ['/pricing', '/docs/start', '/blog/hello-world', '/features/analytics', '/', '/contact', '/careers', '/changelog'];
const PLANS = ['free', 'pro', 'enterprise'];

interface Tenant {
  id: number;
  subdomain: string;
  key: string;
}

/** A small deterministic hash (so that event i is the same in both paths, without keeping N events in memory). */
const h = (i: number, salt: number) => {
  let x = (i * 2654435761 + salt * 40503) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
};

function apiEvent(i: number) {
  const page = PAGES[h(i, 3) % PAGES.length]!;
  return {
    event: EVENTS[h(i, 1) % EVENTS.length]!,
    user: `visitor-${h(i, 2) % 50_000}`,
    // Time advances with i over the 30 days (a session's events are close together), with some jitter.
    timestamp: new Date((T0 / 1000 + Math.floor((i / N) * SPAN_S) + (h(i, 9) % 60)) * 1000).toISOString(),
    properties: { path: page, plan: PLANS[h(i, 4) % 3], referrer: 'https://www.google.com/search?q=epesi', duration_ms: h(i, 5) % 120_000 },
    url: `https://www.example-${h(i, 6) % 100}.test${page}?utm_source=newsletter&utm_campaign=autumn`,
    session: `sess-${Math.floor(i / 6)}-${h(Math.floor(i / 6), 7) % 10_000}`,
  };
}
/** A request carries one tenant's events (a key is a tenant's): batch b goes to tenant b mod T. */
const tenantOf = (i: number, tenants: Tenant[]) => tenants[Math.floor(i / BATCH) % tenants.length]!;

/** The row the shipper renders for event i (same values; the native floor inserts exactly these). */
function clickhouseRow(i: number, tenants: Tenant[]) {
  const e = apiEvent(i);
  const keys = Object.keys(e.properties).sort();
  return {
    id: i + 1,
    tenant_id: tenantOf(i, tenants).id,
    ts: Math.floor(Date.parse(e.timestamp) / 1000),
    event: e.event,
    user_id: 0,
    distinct_id: `v:${e.user}`,
    workspace_id: 0,
    session_id: e.session,
    url: e.url,
    source: 'api',
    user_agent: 'bench/1.0',
    ip: '127.0.0.1',
    prop_keys: keys,
    prop_values: keys.map((k) => String((e.properties as Record<string, unknown>)[k])),
    received_at: Math.floor(Date.now() / 1000),
  };
}

// --- setup -----------------------------------------------------------------------------------------------------
async function scratchDatabase(): Promise<Tenant[]> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  await migrateDatabase(dbUrl);
  const db = connect(dbUrl);
  try {
    await seedDemo(db);
    for (let t = 0; t < TENANTS - 2; t++) await createTenant(db.pool, `Bench ${t}`, `bench${t}`);
    const { rows } = await db.pool.query<{ id: number; subdomain: string }>('SELECT id, subdomain FROM tenants ORDER BY id');
    const tenants: Tenant[] = [];
    for (const r of rows) {
      const key = `${KEY_PREFIX}bench-${r.subdomain}-${'x'.repeat(20)}`;
      await db.pool.query(`INSERT INTO ingest_keys (name, key_prefix, key_hash, tenant_id) VALUES ('Bench', $1, $2, $3)`, [key.slice(0, 10), hashKey(key), r.id]);
      tenants.push({ id: r.id, subdomain: r.subdomain, key });
    }
    // The demo's own outbox rows are shipped too; start from an empty queue so only the bench's rows are timed.
    await db.pool.query('DELETE FROM events_pending');
    return tenants;
  } finally {
    await db.close();
  }
}

async function startServer(clickhouseUrl: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: the app writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // Node's flags as `npm start` gives them (package.json).
  const child = spawn(process.execPath, [...profile, '--max-semi-space-size=64', '--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      CLICKHOUSE_URL: clickhouseUrl,
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'epesi-bench-app-')),
      INGEST_KEY_RATE: '1000000000',
      INGEST_KEY_BURST: '1000000000',
      INGEST_MAX_BATCH: String(Math.max(BATCH, 50_000)),
      INGEST_MAX_BODY_BYTES: String(64 * 1024 * 1024),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('EpesiCRM back office:')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the app did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base: `http://127.0.0.1:${port}`, child };
}

async function chCount(client: ClickHouseClient, query: string): Promise<number> {
  const rs = await client.query({ query, format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
}

// --- the two paths ------------------------------------------------------------------------------------------------
async function throughTheApi(base: string, tenants: Tenant[], ch: ClickHouseClient) {
  const batches = Math.ceil(N / BATCH);
  // Untimed: every request body, ready to send (the floor's file is written before its clock starts too).
  const bodies: Uint8Array<ArrayBuffer>[] = [];
  const utf8 = new TextEncoder();
  for (let b = 0; b < batches; b++) {
    const batch: ReturnType<typeof apiEvent>[] = [];
    for (let i = b * BATCH; i < Math.min(N, (b + 1) * BATCH); i++) batch.push(apiEvent(i));
    bodies.push(utf8.encode(JSON.stringify({ batch })));
  }
  let next = 0;
  let accepted = 0;
  const start = performance.now();
  let acceptedAt = 0;
  const worker = async () => {
    while (next < batches) {
      const b = next++;
      const t = tenantOf(b * BATCH, tenants);
      const res = await fetch(`${base}/ingest/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}`, 'user-agent': 'bench/1.0' },
        body: bodies[b]!,
      });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
      accepted += Math.min(N, (b + 1) * BATCH) - b * BATCH;
      bodies[b] = new Uint8Array(0); // sent: let it go
      if (b % 20 === 0) log(`  accepted ${fmt(accepted)} / ${fmt(N)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  acceptedAt = performance.now();
  let inClickHouse = 0;
  while (inClickHouse < N) {
    await new Promise((r) => setTimeout(r, 100));
    inClickHouse = await chCount(ch, 'SELECT count() AS n FROM events');
  }
  const done = performance.now();
  return { acceptMs: acceptedAt - start, totalMs: done - start, lagMs: done - acceptedAt };
}

async function nativeFloor(server: LocalClickHouse | null, clickhouseUrl: string, tenants: Tenant[], dir: string) {
  const file = join(dir, 'events.jsonl');
  const out = createWriteStream(file);
  for (let i = 0; i < N; i += 10_000) {
    let chunk = '';
    for (let j = i; j < Math.min(N, i + 10_000); j++) chunk += JSON.stringify(clickhouseRow(j, tenants)) + '\n';
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const bytes = statSync(file).size;
  const port = server ? String(server.tcpPort) : (process.env.CLICKHOUSE_TCP_PORT ?? '9000');
  const host = new URL(clickhouseUrl).hostname;
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    const db = `native_floor_${run}`;
    const root = connectClickHouse(clickhouseUrl);
    await root.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await root.command({ query: `CREATE DATABASE ${db}` });
    await root.close();
    const client = connectClickHouse(clickhouseUrl, db);
    await migrateClickHouse(client); // same table, same materialized views
    const t = performance.now();
    const r = spawnSync('sh', ['-c', `clickhouse-client --host ${host} --port ${port} --database ${db} --query "INSERT INTO events FORMAT JSONEachRow" < ${file}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`clickhouse-client failed: ${r.stderr.toString()}`);
    const n = await chCount(client, 'SELECT count() AS n FROM events');
    if (n !== N) throw new Error(`native floor inserted ${n} rows, not ${N}`);
    await client.command({ query: `DROP DATABASE ${db}` });
    await client.close();
  }
  rmSync(file, { force: true });
  return { ms: median(times), bytes };
}

// --- the ceiling of the design -------------------------------------------------------------------------------------
const ALONE_MAX = 500_000;

/**
 * The PostgreSQL outbox alone: the same events (validated as the API does, before the clock starts) written by the
 * same statements the ingest API sends (ids reserved, then the INSERT, in a transaction of the tenant as the
 * application role), CONCURRENCY connections at once, and nothing else running: no HTTP, no JSON, no shipper, no
 * ClickHouse. The ingest API cannot beat this, since the issue wants each accepted request committed to the
 * outbox before its answer. (At most ALONE_MAX events, to keep them in memory; the app is stopped by then.)
 */
async function outboxAlone(tenants: Tenant[]): Promise<{ rows: number; ms: number }> {
  const limits = ingestLimits({ maxBatch: BATCH });
  const rows = Math.min(N, ALONE_MAX);
  const batches: { tenantId: number; events: ValidEvent[] }[] = [];
  for (let from = 0; from < rows; from += BATCH) {
    const tenantId = tenantOf(from, tenants).id;
    const batch = Array.from({ length: Math.min(BATCH, rows - from) }, (_, k) => apiEvent(from + k));
    const events = validateBody({ batch }, { kind: 'key', tenantId, keyId: 0, workspaceId: null }, limits);
    for (const e of events) Object.assign(e, { userAgent: 'bench/1.0', ipAddress: '127.0.0.1' });
    batches.push({ tenantId, events });
  }
  const database = connect(dbUrl, CONCURRENCY);
  const data = new ScopedData(database);
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < batches.length) {
      const { tenantId, events } = batches[next++]!;
      await data.inTenant(tenantId, null, async (tx) => insertEvents(tx, events, { ids: await reserveEventIds(tx, events.length), now: new Date() }));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - start;
  await database.close();
  return { rows, ms };
}

// --- dashboard latencies ------------------------------------------------------------------------------------------
async function signIn(base: string): Promise<string> {
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme', login: 'admin', password: 'demo1234' }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

async function queryLatencies(base: string): Promise<[string, number, number][]> {
  let cookie = await signIn(base);
  const range = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + SPAN_S * 1000).toISOString()}`;
  const queries: [string, string][] = [
    ['trends (day, rollup)', `trends?${range}&interval=day`],
    ['trends (hour, breakdown by plan)', `trends?from=${new Date(T0).toISOString()}&to=${new Date(T0 + 7 * 86_400_000).toISOString()}&interval=hour&events=page.view&breakdown=plan`],
    ['top events (rollup)', `top-events?${range}`],
    ['top pages', `top-pages?${range}`],
    ['sessions', `sessions?${range}&interval=day`],
    ['funnel signup>activate>purchase', `funnel?${range}&steps=signup,activate,purchase&window=86400`],
    ['retention (weekly, 4)', `retention?${range}&interval=week&periods=4`],
    ['pipeline (PostgreSQL)', 'pipeline'],
    ['lead conversion (PostgreSQL)', 'lead-conversion'],
    ['activities (PostgreSQL)', 'activities?by=team'],
  ];
  const out: [string, number, number][] = [];
  for (const [name, q] of queries) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; times.length < 5; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/analytics/${q}`, { headers: { cookie } });
      if (res.status === 401 && i < 10) {
        // (Seen once under heavy load: the session was not found. Sign in again and repeat, untimed.)
        await res.arrayBuffer();
        cookie = await signIn(base);
        continue;
      }
      const body = (await res.json()) as { rows?: unknown[]; error?: string };
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.error}`);
      times.push(performance.now() - t);
      rows = body.rows?.length ?? 0;
    }
    out.push([name, median(times), rows]);
  }
  return out;
}

// --- main ----------------------------------------------------------------------------------------------------------
async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'epesi-bench-ingest-'));
  let server: LocalClickHouse | null = null;
  let app: ChildProcess | null = null;
  try {
    log(`bench:ingest: ${fmt(N)} events, batches of ${fmt(BATCH)}, ${CONCURRENCY} concurrent requests, ${TENANTS} tenants`);
    const tenants = await scratchDatabase();
    const clickhouseUrl = process.env.CLICKHOUSE_URL ?? (server = await startLocalClickHouse(join(dir, 'clickhouse'))).url;
    const ch = connectClickHouse(clickhouseUrl);
    const version = await ch.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' }).then((r) => r.json<{ v: string }>());

    log('native floor: writing the JSONEachRow file and inserting it with clickhouse-client (3 runs)...');
    const native = await nativeFloor(server, clickhouseUrl, tenants, dir);

    log('ingest API: starting the app (scripts/start.ts) and sending...');
    const started = await startServer(clickhouseUrl);
    app = started.child;
    await migrateClickHouse(ch);
    const api = await throughTheApi(started.base, tenants, ch);

    log('dashboard queries...');
    const latencies = await queryLatencies(started.base);
    app.kill('SIGTERM');
    await once(app, 'exit').catch(() => {});
    app = null;

    log('the PostgreSQL outbox alone (the same statements, no HTTP, no shipper)...');
    const alone = await outboxAlone(tenants);
    const aloneRate = alone.rows / (alone.ms / 1000);

    const nativeRate = N / (native.ms / 1000);
    const apiRate = N / (api.totalMs / 1000);
    const lines = [
      '',
      `Ingest benchmark: ${fmt(N)} events (~${Math.round(native.bytes / N)} bytes each as ClickHouse JSONEachRow), ClickHouse ${version[0]?.v}, ${TENANTS} tenants`,
      '',
      `  ingest API end to end (HTTP -> PostgreSQL outbox -> shipper -> ClickHouse): ${fmt(apiRate)} rows/s  (${seconds(api.totalMs)} s)`,
      `    accepted into the outbox over HTTP:    ${fmt(N / (api.acceptMs / 1000))} rows/s  (${seconds(api.acceptMs)} s)`,
      `    shipping lag after the last request:   ${seconds(api.lagMs)} s`,
      `  native floor (clickhouse-client, same rows, same tables and views, median of 3): ${fmt(nativeRate)} rows/s  (${seconds(native.ms)} s)`,
      `  ratio ingest API / native floor: ${(apiRate / nativeRate).toFixed(3)}  (goal: >= 0.5: ${apiRate / nativeRate >= 0.5 ? 'met' : 'not met'})`,
      `  the PostgreSQL outbox alone (the API's insert statements, ${CONCURRENCY} connections, nothing else running, ${fmt(alone.rows)} events): ${fmt(aloneRate)} rows/s`,
      `    = ${(aloneRate / nativeRate).toFixed(3)} of the native floor: the most this design can reach here`,
      '',
      `  dashboard queries at this size (tenant acme, admin, median of 5 through the JSON API):`,
      ...latencies.map(([name, ms, rows]) => `    ${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms   (${rows} rows)`),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    await ch.close();
  } finally {
    if (app) {
      app.kill('SIGTERM');
      await once(app, 'exit').catch(() => {});
    }
    await server?.stop({ force: true });
    rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
