// `npm run bench:soak [-- --seconds 300 --rate 5000 --sessions 50]` (prints figures; not a test).
//
// A working day's load while the databases fail, counted afterwards the Jepsen way. It starts its own
// PostgreSQL 15 cluster (initdb in a temporary folder, its own port), its own clickhouse-server
// (scripts/clickhouse-local.ts) and the app on them as production runs it (scripts/app-process.ts,
// START_COMMAND). Then, for --seconds: --sessions back-office users of the two demo tenants (agents, managers,
// directors, admins) on lists, record pages, searches and edits (JSON API and AdminJS's API), and --rate
// events/s to the ingest API in batches, each event with a unique sequence number; a batch not answered 200 is
// sent again, and some answered ones are sent again on purpose (a lost answer). Faults at fixed points:
// ClickHouse SIGKILLed at 20 % of the run and restarted 20 s later; PostgreSQL `pg_ctl restart -m fast` at
// 50 %; PostgreSQL stopped at 70 % for 10 s. Then the load stops, the shipper drains, and everything is counted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connectClickHouse } from '../analytics/clickhouse';
import { startAppProcess } from '../scripts/app-process';
import { startLocalClickHouse, type LocalClickHouse } from '../scripts/clickhouse-local';
import { demoIngestKey } from '../scripts/demo/analytics';
import { HttpSession } from '../scripts/http-session';
import { startPostgresCluster } from '../scripts/postgres-cluster';
import { idleLatency, startBackOffice } from './soak/backoffice-load';
import { IngestLoad } from './soak/ingest-load';
import { PHASES, percentiles, sleep, Tally, Timeline, type Phase } from './soak/timeline';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 300);
const RATE = arg('rate', 5000);
const SESSIONS = arg('sessions', 50);
const BATCH = arg('batch', 250);

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

/** Seconds until `ok` holds (polled every 100 ms), at most `maxS`. */
async function secondsUntil(ok: () => Promise<boolean>, maxS = 120): Promise<number> {
  const from = Date.now();
  while (Date.now() - from < maxS * 1000) {
    if (await ok().catch(() => false)) return (Date.now() - from) / 1000;
    await sleep(100);
  }
  return Infinity;
}

async function main() {
  log(`soak: ${SECONDS} s, ${RATE} events/s in batches of ${BATCH}, ${SESSIONS} back-office sessions`);
  const cluster = await startPostgresCluster();
  const chDir = mkdtempSync(join(tmpdir(), 'epesi-soak-ch-'));
  let ch: LocalClickHouse = await startLocalClickHouse(chDir);
  const chPorts = { httpPort: ch.httpPort, tcpPort: ch.tcpPort };
  const app = await startAppProcess({ DATABASE_URL: cluster.url, CLICKHOUSE_URL: ch.url, SESSION_SECRET: 'soak-secret-0123456789abcdef0123456789' }, { timeoutMs: 180_000 });
  const pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pool.on('error', () => {});
  const chClient = connectClickHouse(ch.url, undefined, { quiet: true });
  const pending = async () => Number((await pool.query('SELECT count(*) AS n FROM events_pending')).rows[0].n);
  try {
    // Wait for the demo outbox to ship (a quiet start), then the idle baseline.
    await secondsUntil(async () => (await pending()) === 0, 120);
    await idleLatency(app.url, 5); // (warm-up: code paths compiled, caches filled)
    const idle = percentiles(await idleLatency(app.url, 10));
    const rssStart = rssMb(app.child.pid!);
    log(`app up at ${app.url}; idle back-office p95 ${idle.p95.toFixed(1)} ms; RSS ${rssStart.toFixed(0)} MB`);

    const timeline = new Timeline();
    const tally = { ingest: new Tally(timeline), backOffice: new Tally(timeline) };
    const backOffice = await startBackOffice(app.url, SESSIONS, tally.backOffice);
    const ingest = new IngestLoad({ base: app.url, keys: [demoIngestKey('acme'), demoIngestKey('globex')], eventsPerSecond: RATE, batchSize: BATCH, resendShare: 0.02, maxInFlight: 400 }, tally.ingest);
    const probe = new HttpSession(app.url, 30_000, { 'x-forwarded-for': '10.40.0.1' });
    await probe.login('acme', 'director');
    const t0 = Date.now();
    ingest.start();
    const at = async (fraction: number) => sleep(Math.max(0, t0 + fraction * SECONDS * 1000 - Date.now()));
    const serving = async () => (await probe.call('GET', '/api/deals?perPage=1')).status === 200;
    const analytics = async () => (await probe.call('GET', '/api/analytics/top-events')).status === 200;
    const recovery: Record<string, number> = {};

    await at(0.2);
    log('fault: ClickHouse SIGKILL');
    const chUp = timeline.open('ch-down');
    await ch.stop({ force: true });
    await sleep(20_000);
    ch = await startLocalClickHouse(chDir, chPorts);
    chUp();
    log('ClickHouse restarted');
    recovery['ClickHouse back -> analytics answers'] = await secondsUntil(analytics);
    recovery['ClickHouse back -> outbox drained to < 2 s of events'] = await secondsUntil(async () => (await pending()) < 2 * RATE);

    await at(0.5);
    log('fault: PostgreSQL restart -m fast');
    const pgUp = timeline.open('pg-down');
    await cluster.restart();
    pgUp();
    recovery['PostgreSQL restarted -> back office answers'] = await secondsUntil(serving);

    await at(0.7);
    log('fault: PostgreSQL stopped for 10 s');
    const pgBack = timeline.open('pg-down');
    await cluster.stop();
    await sleep(10_000);
    await cluster.start();
    pgBack();
    log('PostgreSQL started');
    recovery['PostgreSQL started -> back office answers'] = await secondsUntil(serving);

    await at(1);
    log('load stops; draining');
    await Promise.all([ingest.stop(), backOffice.stop()]);
    const drainS = await secondsUntil(async () => (await pending()) === 0, 300);
    const rssEnd = rssMb(app.child.pid!);

    // Count: every acknowledged sequence number in ClickHouse? Any twice?
    const rs = await chClient.query({
      query: `SELECT toUInt64(prop_values[indexOf(prop_keys, 'seq')]) AS seq, count() AS n FROM events WHERE event = 'soak.event' GROUP BY seq`,
      format: 'JSONEachRow', // (18.16 has no JSONCompactEachRow)
    });
    const seen = new Map<number, number>();
    for (const { seq, n } of await rs.json<{ seq: string; n: string }>()) seen.set(Number(seq), Number(n));
    let lost = 0;
    for (const [a, b] of ingest.acked) for (let s = a; s <= b; s++) if (!seen.has(s)) lost++;
    const total = [...seen.values()].reduce((x, y) => x + y, 0);

    const row = (label: string, value: string | number) => console.log(`  ${label.padEnd(58)} ${value}`);
    console.log('\nsoak results');
    row('run (s) / target rate (events/s)', `${SECONDS} / ${RATE}`);
    row('events acknowledged (200)', ingest.ackedEvents);
    row('events not sent (client at its in-flight limit)', ingest.skippedEvents);
    row('batches re-sent after a 200 (lost answer, on purpose)', ingest.resent);
    row('events given up unanswered 120 s after the load stopped', ingest.abandonedEvents);
    row('events in ClickHouse: distinct seq / total rows', `${seen.size} / ${total}`);
    row('lost (acknowledged, not in ClickHouse)', lost);
    row('duplicated (rows - distinct)', total - seen.size);
    row('drain after the load stopped (s)', drainS.toFixed(1));
    for (const [what, s] of Object.entries(recovery)) row(`recovery: ${what} (s)`, s.toFixed(1));
    console.log('  answers per phase            requests      ok  503+Retry-After  other 5xx  connection errors');
    for (const [name, t] of Object.entries(tally)) {
      for (const p of PHASES) {
        const c = t.byPhase.get(p)!;
        console.log(`  ${`${name} ${p}`.padEnd(28)} ${String(c.requests).padStart(9)} ${String(c.ok).padStart(7)} ${String(c.unavailable).padStart(16)} ${String(c.bad5xx).padStart(10)} ${String(c.connectionErrors).padStart(18)}`);
      }
    }
    const lat = (phases: Phase[]) => percentiles(backOffice.samples.filter((s) => s.ok && phases.includes(timeline.phaseAt(s.at))).map((s) => s.ms));
    const show = (label: string, p: ReturnType<typeof percentiles>) => row(label, `p50 ${p.p50.toFixed(1)}  p95 ${p.p95.toFixed(1)}  p99 ${p.p99.toFixed(1)} ms  (${p.n})`);
    show('back office idle (one user, no ingest)', idle);
    const steady = lat(['steady']);
    show('back office steady, under load', steady);
    show('back office under faults (inside the windows)', lat(['ch-down', 'pg-down']));
    show('back office after recovery', lat(['after']));
    row('steady p95 / idle p95 (goal <= 3)', (steady.p95 / idle.p95).toFixed(2));
    // Where in the run the slow answers were: the back office's p95 per 30 s of load (F: a fault window in it).
    const slices: string[] = [];
    for (let from = t0; from < t0 + SECONDS * 1000; from += 30_000) {
      const inSlice = backOffice.samples.filter((x) => x.ok && x.at >= from && x.at < from + 30_000);
      const fault = inSlice.some((x) => timeline.phaseAt(x.at) !== 'steady' && timeline.phaseAt(x.at) !== 'after');
      slices.push(`${percentiles(inSlice.map((x) => x.ms)).p95.toFixed(0)}${fault ? 'F' : ''}`);
    }
    row('back office p95 per 30 s of load (ms)', slices.join(' '));
    for (const [name, t] of Object.entries(tally)) if (t.outside.length) row(`${name}: 5xx outside the windows (sent ms after one closed)`, t.outside.slice(0, 12).join(', '));
    row('app RSS at start / end (MB)', `${rssStart.toFixed(0)} / ${rssEnd.toFixed(0)}`);
    row('app process alive at the end', app.alive() ? 'yes' : 'NO');
    if (/Unhandled 'error' event/.test(app.output())) row('app log', "has an Unhandled 'error' event");
  } finally {
    await app.stop();
    await pool.end().catch(() => {});
    await chClient.close().catch(() => {});
    await ch.stop({ force: true });
    rmSync(chDir, { recursive: true, force: true });
    cluster.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
