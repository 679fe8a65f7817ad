// `npm run bench:admin [-- --deals 1000000 --requests 200 --per-round 10 --deep-page 1000 --explain]`
//
// The back office's deal screens at scale, side by side with stock AdminJS and with their floor. A scratch
// database on the local PostgreSQL (bench/scale-db.ts: the scale data set, 1M deals in scale1 of 100 tenants,
// plus 10k deals in scale2; seeded once, reused afterwards) serves three contenders, signed in as the Director
// of scale1 (and of scale2 for the 10k list):
// - the project: the app started in-process (createApp, no ClickHouse), through its AdminJS API;
// - stock AdminJS + @adminjs/sql (bench/stock-adminjs.ts, a child process) on the same database, the tenant
//   forced by before hooks;
// - the floor: the data statements the project sent for that request (the page, the capped count, the linked
//   records), replayed straight through `pg` on one connection, without the session, principal, role, AdminJS
//   and HTTP around them.
// Requests: the list (first and a deep page), search (a common and a rare text), show. They are timed
// interleaved, request by request, in rounds; rounds during which other processes used the CPU are repeated
// (bench/interleave.ts explains how that is measured). (Before the timing, the project's rows are checked
// against hand-written SQL of the Director's scope, and stock's hook against a record of another tenant.)
// It prints p50 and p95 of each, the ratios project/stock and project/floor, and how many statements the
// project sends. `--explain` also prints EXPLAIN ANALYZE of every query the scoped data layer sends for one
// list request.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { statementRecorder } from '../test/harness/statements';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../admin/app';
import { connect } from '../domain/db';
import { parseCount } from '../scripts/scale/options';
import { adminLogin, apiClient } from './admin-http';
import { interleavedRounds, key, percentile, type Contender, type Timing } from './interleave';
import { ensureScaleDatabase } from './scale-db';

const { values: args } = parseArgs({
  options: {
    deals: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    'per-round': { type: 'string', default: '10' },
    'deep-page': { type: 'string', default: '1000' },
    explain: { type: 'boolean', default: false },
  },
});
const DEALS = parseCount('deals', args.deals!);
const REQUESTS = parseCount('requests', args.requests!);
const PER_ROUND = parseCount('per-round', args['per-round']!);
const DEEP_PAGE = parseCount('deep-page', args['deep-page']!);
const PER_PAGE = 10; // AdminJS's default page size
const WARMUP = 20;

const log = (line: string) => console.error(line);

async function time(fn: () => Promise<unknown>, n = REQUESTS): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

// --- main --------------------------------------------------------------------------------------------

const scratch = await ensureScaleDatabase(DEALS, log);
log(`${scratch.reused ? 'reusing' : 'seeded'} ${scratch.name}`);

const floor = new pg.Pool({ connectionString: scratch.url, max: 2, options: '-c timezone=UTC' });
const q = async <T = any>(text: string, values: unknown[] = []) => (await floor.query(text, values)).rows as T[];

// Who and what: the Director of scale1 (1M deals) and of scale2 (10k), their workspace scope, sample rows.
interface Who {
  tenant: number;
  subdomain: string;
  workspace: number | null;
  deals: number;
}
async function director(subdomain: string): Promise<Who> {
  const [row] = await q<{ tenant: number; workspace: number | null }>(
    `SELECT t.id AS tenant, u.workspace_id AS workspace FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.subdomain = $1 AND u.username = 'director'`,
    [subdomain],
  );
  const [counted] = await q<{ n: string }>('SELECT count(*) AS n FROM deals WHERE tenant_id = $1', [row!.tenant]);
  return { tenant: row!.tenant, subdomain, workspace: row!.workspace, deals: Number(counted!.n) };
}
const big = await director('scale1');
const small = await director('scale2');

// The Director's scope as the ability gives it: his workspace's rows and the tenant-wide ones (level 4 < 5).
const scope = (w: Who) => (w.workspace === null ? `tenant_id = ${w.tenant}` : `tenant_id = ${w.tenant} AND (workspace_id = ${w.workspace} OR workspace_id IS NULL)`);
const [middle] = await q<{ id: number }>(
  `SELECT id FROM deals WHERE ${scope(big)} ORDER BY id OFFSET (SELECT count(*) / 4 FROM deals WHERE tenant_id = $1) LIMIT 1`,
  [big.tenant],
);
const showId = middle!.id;
const COMMON = 'widget';
const [rare] = await q<{ title: string }>(`SELECT title FROM deals WHERE ${scope(big)} ORDER BY id LIMIT 1`);
const RARE = rare!.title.split(' for ')[1]!; // one company's name: a few hundred deals among a million

const database = connect(scratch.url);
// --explain: the statements of one request, as the scoped layer sends them (pg clients of the app's pool).
const record = statementRecorder(database);
const { app } = createApp({ database, clickhouse: null, clickhouseHint: 'not used by the benchmark', sessionSecret: 'bench-secret' });
const server = await new Promise<ReturnType<typeof app.listen>>((done) => {
  const s = app.listen(0, '127.0.0.1', () => done(s));
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const project = {
  big: apiClient(base, await adminLogin(base, { tenant: 'scale1', email: 'director', password: 'demo1234' })),
  small: apiClient(base, await adminLogin(base, { tenant: 'scale2', email: 'director', password: 'demo1234' })),
};

// Stock AdminJS in a process of its own.
const stockProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./stock-adminjs.ts', import.meta.url))], {
  env: { ...process.env, DATABASE_URL: scratch.url },
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.on('exit', () => stockProcess.kill('SIGTERM')); // (also when the benchmark fails)
const stockPort = await new Promise<number>((done, fail) => {
  stockProcess.on('exit', (code) => fail(new Error(`stock AdminJS exited (${code})`)));
  createInterface({ input: stockProcess.stdout! }).on('line', (line) => {
    const port = /^listening (\d+)/.exec(line)?.[1];
    if (port) done(Number(port));
  });
});
const stockBase = `http://127.0.0.1:${stockPort}`;
const stock = {
  big: apiClient(stockBase, await adminLogin(stockBase, { email: 'director@scale1.test', password: 'demo1234' })),
  small: apiClient(stockBase, await adminLogin(stockBase, { email: 'director@scale2.test', password: 'demo1234' })),
};

const ORDER = 'ORDER BY created_at DESC, id DESC';
const ilike = (text: string) => `title ILIKE '%${text.replace(/'/g, "''")}%'`;

// The floor: the data statements the app sends for one such request (the page, the count, the linked records
// of the page), sent straight through pg on one connection, without what serves the request around them:
// HTTP, the session store, loading the principal, role and tenant settings, the transaction, AdminJS, JSON.
const AROUND = /^\s*(begin|commit|rollback)\b|set_config\(|"sessions"|WITH RECURSIVE team/i;
async function sameQueries(request: () => Promise<unknown>): Promise<{ statements: number; run: () => Promise<void> }> {
  const sent = (await record(request)).filter((st) => !AROUND.test(st.text));
  if (!sent.length) throw new Error('the request sent no data statement');
  const run = async () => {
    const client = await floor.connect();
    try {
      for (const st of sent) await client.query(st.text, st.values);
    } finally {
      client.release();
    }
  };
  return { statements: sent.length, run };
}

interface Request {
  name: string;
  /** The AdminJS API path, the same for the project and stock AdminJS. */
  path: string;
  who: 'big' | 'small';
}
const requests: Request[] = [
  { name: `list, page 1 (${big.deals.toLocaleString('en')} deals)`, path: '/resources/deals/actions/list', who: 'big' },
  { name: `list, page ${DEEP_PAGE} (offset ${((DEEP_PAGE - 1) * PER_PAGE).toLocaleString('en')})`, path: `/resources/deals/actions/list?page=${DEEP_PAGE}`, who: 'big' },
  { name: `search "${COMMON}" (common)`, path: `/resources/deals/actions/search/${encodeURIComponent(COMMON)}`, who: 'big' },
  { name: `search "${RARE}" (rare)`, path: `/resources/deals/actions/search/${encodeURIComponent(RARE)}`, who: 'big' },
  { name: `show deal #${showId}`, path: `/resources/deals/records/${showId}/show`, who: 'big' },
  { name: `list, page 1 (${small.deals.toLocaleString('en')} deals)`, path: '/resources/deals/actions/list', who: 'small' },
];

// Sanity: the project and the floor see the same rows; stock's hooks keep another tenant's record out.
{
  const list = await project.big.get('/resources/deals/actions/list');
  const ids = (await q<{ id: number }>(`SELECT id FROM deals WHERE ${scope(big)} ${ORDER} LIMIT ${PER_PAGE}`)).map((r) => r.id);
  const got = list.records.map((r: { id: string }) => Number(r.id));
  if (JSON.stringify(got) !== JSON.stringify(ids)) throw new Error(`list differs from the floor: ${got} vs ${ids}`);
  const search = await project.big.get(`/resources/deals/actions/search/${encodeURIComponent(RARE)}`);
  const floorSearch = await q(`SELECT id FROM deals WHERE ${scope(big)} AND ${ilike(RARE)} ${ORDER} LIMIT 50`);
  if (search.records.length !== floorSearch.length) throw new Error(`search differs from the floor: ${search.records.length} vs ${floorSearch.length}`);
  const stockList = await stock.big.get('/resources/deals/actions/list');
  log(`list total shown: project ${list.meta.total.toLocaleString('en')} (the Director's workspace and tenant-wide rows: capped count, then the planner's estimate), stock ${Number(stockList.meta.total).toLocaleString('en')} (the tenant's, exact count)`);
  const [other] = await q<{ id: number }>(`SELECT id FROM deals WHERE tenant_id = $1 LIMIT 1`, [small.tenant]);
  // (AdminJS answers 200, the error in the body, no field of the record)
  const refused = await stock.big.get(`/resources/deals/records/${other!.id}/show`);
  if (refused.record?.baseError?.type !== 'ForbiddenError' || Object.keys(refused.record.params).length) {
    throw new Error(`stock AdminJS's tenant hook did not refuse another tenant's deal: ${JSON.stringify(refused).slice(0, 300)}`);
  }
}

if (args.explain) {
  const statements = await record(() => project.big.get(`/resources/deals/actions/list?page=${DEEP_PAGE}`));
  const kinds = new Map<string, number>();
  for (const st of statements) {
    const kind = /^\s*(begin|commit|rollback|set local role|savepoint|release)/i.exec(st.text)?.[1]?.toUpperCase() ??
      (/set_config/.test(st.text) ? 'set_config' : /^\s*explain/i.test(st.text) ? 'EXPLAIN (count estimate)' : /sessions/.test(st.text) ? 'session store' : 'data');
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  console.log(`\n${statements.length} statements for one list request (page ${DEEP_PAGE}): ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  const client = await floor.connect();
  try {
    for (const st of statements) {
      if (!/^\s*select/i.test(st.text) || /set_config|sessions/i.test(st.text)) continue;
      console.log(`\n> ${st.text.replace(/\s+/g, ' ').slice(0, 1200)}  ${JSON.stringify(st.values).slice(0, 200)}`);
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE epesi_app');
      await client.query(`SELECT set_config('epesi.tenant_id', $1, true)`, [String(big.tenant)]);
      const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, st.values);
      await client.query('ROLLBACK');
      console.log(plan.rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n'));
    }
  } finally {
    client.release();
  }
}

const SYSTEMS = ['project', 'stock', 'floor'] as const;
const contenders: Contender[] = [];
const statementCounts = new Map<string, string>();
for (const r of requests) {
  const app = () => project[r.who].get(r.path);
  for (let i = 0; i < WARMUP; i++) await app();
  const same = await sameQueries(app);
  statementCounts.set(r.name, `${(await record(app)).length} / ${same.statements}`);
  contenders.push({ request: r.name, system: 'project', run: app });
  contenders.push({ request: r.name, system: 'stock', run: () => stock[r.who].get(r.path) });
  contenders.push({ request: r.name, system: 'floor', run: same.run });
}
log('warming up ...');
for (const c of contenders) for (let i = 0; i < WARMUP; i++) await c.run();
const ourPids = async () => [
  stockProcess.pid!,
  ...(await q<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [scratch.name])).map((r) => r.pid),
];
const report = await interleavedRounds(contenders, { samples: REQUESTS, perRound: PER_ROUND, ourPids, log });
const t = (request: string, system: (typeof SYSTEMS)[number]) => report.timings.get(key(request, system))!;

const f = (ms: number) => ms.toFixed(2).padStart(8);
const r = (x: number) => `${x.toFixed(2)}x`.padStart(7);
const width = Math.max(...requests.map((x) => x.name.length));
console.log(`\nAdminJS API: the project vs stock AdminJS + @adminjs/sql (tenant by before hooks) vs the project's data statements straight through pg (floor), ms`);
console.log(`(Director of scale1; ${scratch.name}; ${report.kept} rounds of ${PER_ROUND} interleaved requests each, after ${WARMUP} warm-up; ${report.discarded} disturbed rounds repeated; others used ${(report.othersShare * 100).toFixed(0)}% of a core during the rounds kept)`);
const head = ['project p50', 'p95', 'stock p50', 'p95', 'floor p50', 'p95', '/stock p50', 'p95', '/floor p50', 'p95', 'statements'];
console.log(`${'request'.padEnd(width)}  ${head.map((h) => h.padStart(h === 'statements' ? 10 : 11)).join(' ')}`);
for (const x of requests) {
  const [p, s, fl] = SYSTEMS.map((sys) => t(x.name, sys));
  const cells = [f(p!.p50), f(p!.p95), f(s!.p50), f(s!.p95), f(fl!.p50), f(fl!.p95), r(p!.p50 / s!.p50), r(p!.p95 / s!.p95), r(p!.p50 / fl!.p50), r(p!.p95 / fl!.p95)];
  console.log(`${x.name.padEnd(width)}  ${cells.map((c) => c.padStart(11)).join(' ')} ${statementCounts.get(x.name)!.padStart(10)}`);
}
console.log(`(/stock, /floor: the project's time over stock's and over the floor's; statements: all the project sent for one request / the data statements among them)`);
// The home page's figures (the dashboard API), as the Director of scale1 meets them first.
const home = await time(() => project.big.get('/dashboard'), Math.min(REQUESTS, 20));
console.log(`\nthe Director's home figures (/admin/api/dashboard: open pipeline by stage, deals won this and last month, new leads): p50 ${home.p50.toFixed(2)} ms, p95 ${home.p95.toFixed(2)} ms`);
const [first, , common, rareSearch] = requests.map((x) => t(x.name, 'project'));
const smallList = t(requests.at(-1)!.name, 'project');
console.log(`list page 1 at ${big.deals.toLocaleString('en')} vs ${small.deals.toLocaleString('en')} deals: project p50 ${first!.p50.toFixed(2)} vs ${smallList.p50.toFixed(2)} ms (${(first!.p50 / smallList.p50).toFixed(2)}x)`);
console.log(`rare vs common search: project p50 ${rareSearch!.p50.toFixed(2)} vs ${common!.p50.toFixed(2)} ms (${(rareSearch!.p50 / common!.p50).toFixed(2)}x)`);

// The global search (top bar, Ctrl+K): every resource the Director reads, a few titled hits each. No peer has
// one (stock AdminJS searches one resource at a time), so it is timed alone, against the goal: p95 < 50 ms.
const everywhere = apiClient(base, await adminLogin(base, { tenant: 'scale1', email: 'director', password: 'demo1234' }), '');
const [person] = await q<{ name: string }>(`SELECT first_name || ' ' || last_name AS name FROM contacts WHERE ${scope(big)} ORDER BY id LIMIT 1`);
console.log(`\nglobal search (/api/search, every resource the Director reads; ${REQUESTS} requests after ${WARMUP} warm-up), ms`);
for (const phrase of [COMMON, RARE, person!.name]) {
  const path = `/api/search?q=${encodeURIComponent(phrase)}`;
  const found = (await everywhere.get(path)).groups as { resource: string; hits: unknown[] }[];
  const timing = await time(() => everywhere.get(path));
  const groups = found.map((g) => `${g.resource} ${g.hits.length}`).join(', ') || 'nothing';
  console.log(`  "${phrase}": p50 ${timing.p50.toFixed(2)}, p95 ${timing.p95.toFixed(2)} (hits: ${groups})`);
}
everywhere.close();

for (const c of [...Object.values(project), ...Object.values(stock)]) c.close();
stockProcess.kill('SIGTERM');
await new Promise<void>((done) => server.close(() => done()));
await database.close();
await floor.end();
