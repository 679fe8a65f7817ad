// `npm run bench:admin [-- --deals 1000000 --requests 200 --deep-page 1000 --explain]`
//
// The back office's deal screens at scale, against their floor. A scratch database on the local PostgreSQL
// (bench/scale-db.ts: the scale data set, 1M deals in scale1 of 100 tenants, plus 10k deals in scale2; seeded
// once, reused afterwards) serves the app started in-process (createApp, no ClickHouse). Signed in to AdminJS
// as the Director of scale1, it times `requests` calls each of the admin API's list (first and a deep page),
// search (a common and a rare text) and show. The floor of each is the same queries straight through `pg`:
// the data statements the app sent for that request (the page, the capped count, the linked records), replayed
// on one plain connection, without the session, principal, role, transaction, AdminJS and HTTP around them.
// (Before the timing, the app's rows are checked against hand-written SQL of the Director's scope.) Then the
// list of scale2's Director (10k deals) against scale1's (1M). It prints p50 and p95 of each, the ratio of the
// app to its floor, and how many statements each sends. `--explain` also prints EXPLAIN ANALYZE of every query
// the scoped data layer sends for one list request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { statementRecorder } from '../test/harness/statements';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../admin/app';
import { connect } from '../domain/db';
import { parseCount } from '../scripts/scale/options';
import { ensureScaleDatabase } from './scale-db';

const { values: args } = parseArgs({
  options: {
    deals: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    'deep-page': { type: 'string', default: '1000' },
    explain: { type: 'boolean', default: false },
  },
});
const DEALS = parseCount('deals', args.deals!);
const REQUESTS = parseCount('requests', args.requests!);
const DEEP_PAGE = parseCount('deep-page', args['deep-page']!);
const PER_PAGE = 10; // AdminJS's default page size
const WARMUP = 20;

const log = (line: string) => console.error(line);

// --- timing ------------------------------------------------------------------------------------------

interface Timing {
  p50: number;
  p95: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

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

// --- the app, signed in as AdminJS does it ------------------------------------------------------------

async function adminLogin(base: string, tenant: string, login: string): Promise<string> {
  const form = new FormData();
  form.set('tenant', tenant);
  form.set('email', login);
  form.set('password', 'demo1234');
  const res = await fetch(`${base}/admin/login`, { method: 'POST', body: form, redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 302 || !cookie) throw new Error(`AdminJS login of ${login}@${tenant} failed: ${res.status}`);
  return cookie;
}

// Requests through node:http on kept-alive connections, as a browser sends them: Node's fetch (undici) spent
// about a millisecond of this process's CPU per request, which the timing would have charged to the app.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function adminGet(base: string, cookie: string, path: string): Promise<any> {
  return new Promise((done, fail) => {
    const req = http.get(`${base}/admin/api${path}`, { agent, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (res.statusCode !== 200) fail(new Error(`GET ${path}: ${res.statusCode} ${JSON.stringify(body).slice(0, 300)}`));
        else done(body);
      });
      res.on('error', fail);
    });
    req.on('error', fail);
  });
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
const cookieBig = await adminLogin(base, 'scale1', 'director');
const cookieSmall = await adminLogin(base, 'scale2', 'director');

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

interface Case {
  name: string;
  /** Through HTTP and AdminJS (session, actor, the action, linked records populated, JSON). */
  app: () => Promise<unknown>;
}

const cases: Case[] = [
  {
    name: `list, page 1 (${big.deals.toLocaleString('en')} deals)`,
    app: () => adminGet(base, cookieBig, '/resources/deals/actions/list'),
  },
  {
    name: `list, page ${DEEP_PAGE} (offset ${((DEEP_PAGE - 1) * PER_PAGE).toLocaleString('en')})`,
    app: () => adminGet(base, cookieBig, `/resources/deals/actions/list?page=${DEEP_PAGE}`),
  },
  {
    name: `search "${COMMON}"`,
    app: () => adminGet(base, cookieBig, `/resources/deals/actions/search/${encodeURIComponent(COMMON)}`),
  },
  {
    name: `search "${RARE}"`,
    app: () => adminGet(base, cookieBig, `/resources/deals/actions/search/${encodeURIComponent(RARE)}`),
  },
  {
    name: `show deal #${showId}`,
    app: () => adminGet(base, cookieBig, `/resources/deals/records/${showId}/show`),
  },
  {
    name: `list, page 1 (${small.deals.toLocaleString('en')} deals)`,
    app: () => adminGet(base, cookieSmall, '/resources/deals/actions/list'),
  },
];

// Sanity: the app and the floor see the same rows.
{
  const list = await adminGet(base, cookieBig, '/resources/deals/actions/list');
  const ids = (await q<{ id: number }>(`SELECT id FROM deals WHERE ${scope(big)} ${ORDER} LIMIT ${PER_PAGE}`)).map((r) => r.id);
  const got = list.records.map((r: { id: string }) => Number(r.id));
  if (JSON.stringify(got) !== JSON.stringify(ids)) throw new Error(`list differs from the floor: ${got} vs ${ids}`);
  const search = await adminGet(base, cookieBig, `/resources/deals/actions/search/${encodeURIComponent(RARE)}`);
  const floorSearch = await q(`SELECT id FROM deals WHERE ${scope(big)} AND ${ilike(RARE)} ${ORDER} LIMIT 50`);
  if (search.records.length !== floorSearch.length) throw new Error(`search differs from the floor: ${search.records.length} vs ${floorSearch.length}`);
  log(`list total shown by AdminJS: ${list.meta.total.toLocaleString('en')} (capped count, then the planner's estimate)`);
}

if (args.explain) {
  const statements = await record(() => adminGet(base, cookieBig, `/resources/deals/actions/list?page=${DEEP_PAGE}`));
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

const results: { name: string; app: Timing; floor: Timing; statements: number; same: number }[] = [];
for (const c of cases) {
  log(`timing ${c.name} ...`);
  for (let i = 0; i < WARMUP; i++) await c.app();
  const statements = (await record(c.app)).length;
  const same = await sameQueries(c.app);
  const floorTiming = await time(same.run);
  const appTiming = await time(c.app);
  results.push({ name: c.name, app: appTiming, floor: floorTiming, statements, same: same.statements });
}

const f = (ms: number) => ms.toFixed(2).padStart(8);
const r = (x: number) => `${x.toFixed(1)}x`.padStart(7);
const width = Math.max(...results.map((x) => x.name.length));
const head = ['app p50', 'app p95', 'pg p50', 'pg p95', 'p50 ×', 'p95 ×', 'statements'];
console.log(`\nAdminJS API (app) vs the same data statements straight through pg (floor), ${REQUESTS} sequential requests each after ${WARMUP} warm-up, ms`);
console.log(`(Director of scale1; ${scratch.name}; × = app / pg; statements: all the app sent for one request / the data statements among them)`);
console.log(`${'query'.padEnd(width)}  ${head.map((h, k) => h.padStart(k >= 4 ? 7 : 9)).join('  ')}`);
for (const x of results) {
  const cells = [f(x.app.p50), f(x.app.p95), f(x.floor.p50), f(x.floor.p95)].map((c) => c.padStart(9));
  console.log(`${x.name.padEnd(width)}  ${cells.join('  ')}  ${r(x.app.p50 / x.floor.p50)}  ${r(x.app.p95 / x.floor.p95)}  ${`${x.statements} / ${x.same}`.padStart(10)}`);
}
// What every AdminJS API request pays before its data: HTTP, the session, the principal, AdminJS's routing.
const fixed = await time(() => adminGet(base, cookieBig, '/dashboard'));
console.log(`\nan AdminJS API request with no data statement (/admin/api/dashboard: session, principal, routing, HTTP): p50 ${fixed.p50.toFixed(2)} ms, p95 ${fixed.p95.toFixed(2)} ms`);
const first = results[0]!;
const smallList = results.at(-1)!;
console.log(`\nlist page 1 at ${big.deals.toLocaleString('en')} vs ${small.deals.toLocaleString('en')} deals: app p50 ${first.app.p50.toFixed(2)} vs ${smallList.app.p50.toFixed(2)} ms (${(first.app.p50 / smallList.app.p50).toFixed(2)}x); pg p50 ${first.floor.p50.toFixed(2)} vs ${smallList.floor.p50.toFixed(2)} ms`);

agent.destroy();
await new Promise<void>((done) => server.close(() => done()));
await database.close();
await floor.end();
