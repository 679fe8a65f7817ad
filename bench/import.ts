// `npm run bench:import [-- --rows 10000 --every 250]`
//
// A large users import next to other tenants' sign-ins. Each imported password is hashed (argon2id) on libuv's
// thread pool, the threads every sign-in's verify needs too (domain/passwords.ts: bulk hashes take turns on half
// of them). A scratch database on the local PostgreSQL (`epesi_bench_import`, recreated each run, the demo
// data), the app in-process; the admin of acme imports `--rows` users (10,000 is the import's limit) while the
// agent of globex signs in every `--every` ms. It prints the import's and its dry run's duration, and sign-in
// times when idle and during the import (p50/p95/max): what the people of another tenant wait at 9:00.
import http from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect } from '../domain/db';
import { migrateDatabase } from '../domain/migrate';
import { csvLine } from '../domain/csv/format';
import { seedDemo } from '../scripts/demo-data';
import { parseCount } from '../scripts/scale/options';
import { Browser, startApp } from '../test/http/client';
import { percentile } from './interleave';
import { SERVER_URL, urlOf } from './scale-db';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '10000' }, every: { type: 'string', default: '250' } } });
const ROWS = parseCount('rows', args.rows!);
const EVERY_MS = parseCount('every', args.every!);
const NAME = 'epesi_bench_import';
const log = (line: string) => console.error(line);

const server = new pg.Client({ connectionString: SERVER_URL });
await server.connect();
await server.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await server.query(`CREATE DATABASE ${NAME}`);
await server.end();
const url = urlOf(NAME);
log(`migrating and seeding ${NAME} (demo data) ...`);
await migrateDatabase(url);
const database = connect(url);
await seedDemo(database);
const app = await startApp(database);

const admin = new Browser(app.base);
if ((await admin.login('acme', 'admin')).status !== 200) throw new Error('the admin of acme could not sign in');
const { rows: [role] } = await database.pool.query(`SELECT r.id FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.subdomain = 'acme' AND r.level = 1 LIMIT 1`);
let csv = csvLine(['username', 'email', 'first_name', 'last_name', 'password', 'role_id']);
for (let i = 0; i < ROWS; i++) csv += csvLine([`bulk${i}`, `bulk${i}@acme.test`, 'Bulk', `User ${i}`, `bulk-pass-${i}`, String(role.id)]);

/** The upload, through node:http: fetch gives up on a response that takes over 5 minutes to start. */
function upload(dryRun: boolean): Promise<{ ms: number; status: number; body: any }> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const req = http.request(`${app.base}/api/users/import${dryRun ? '?dryRun=1' : ''}`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'text/csv', origin: app.base },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ ms: performance.now() - t0, status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(csv);
  });
}

/** globex's agent signs in every EVERY_MS until `until` settles; the sign-in times. */
async function signIns(until: Promise<unknown> | number): Promise<number[]> {
  const times: number[] = [];
  let done = false;
  if (typeof until !== 'number') until.finally(() => (done = true));
  for (let i = 0; typeof until === 'number' ? i < until : !done; i++) {
    const t0 = performance.now();
    const res = await new Browser(app.base).login('globex', 'agent');
    if (res.status !== 200) throw new Error(`a sign-in during the import answered ${res.status}`);
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, EVERY_MS));
  }
  return times.sort((a, b) => a - b);
}

const idle = await signIns(20);
const dry = await upload(true);
if (dry.status !== 200 || dry.body.invalid !== 0) throw new Error(`dry run: ${dry.status} ${JSON.stringify(dry.body).slice(0, 300)}`);
log(`importing ${ROWS.toLocaleString('en')} users ...`);
const importing = upload(false);
const during = await signIns(importing);
const imported = await importing;
if (imported.status !== 201) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body).slice(0, 300)}`);
const { rows: [{ n }] } = await database.pool.query(`SELECT count(*)::int AS n FROM users WHERE username LIKE 'bulk%'`);

const stats = (ms: number[]) => `p50 ${percentile(ms, 50).toFixed(0).padStart(5)}  p95 ${percentile(ms, 95).toFixed(0).padStart(5)}  max ${ms.at(-1)!.toFixed(0).padStart(5)}  (${ms.length} sign-ins)`;
console.log(`\nusers import of ${ROWS.toLocaleString('en')} rows (acme's admin) beside globex's sign-ins (UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? 4}), ms`);
console.log(`dry run (no hashing)            ${dry.ms.toFixed(0).padStart(7)}`);
console.log(`import (${n.toLocaleString('en')} users stored)      ${imported.ms.toFixed(0).padStart(7)}  (${(n / (imported.ms / 1000)).toFixed(0)} rows/s)`);
console.log(`sign-in, idle                   ${stats(idle)}`);
console.log(`sign-in, during the import      ${stats(during)}`);

await app.close();
await database.close();
