// PostgreSQL restarts under the app (a managed database's maintenance restart or failover): connections held
// in a transaction, in a read session and by the shipper lose their server. The app must not die, and must
// serve again once PostgreSQL is back. Its own PostgreSQL cluster, since the test restarts it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateClickHouse } from '../../analytics/migrate';
import { Shipper } from '../../analytics/shipper';
import { connect, type Database } from '../../domain/db';
import { ReadSession } from '../../domain/read-session';
import { startAppProcess, type AppProcess } from '../../scripts/app-process';
import { seedDemo } from '../../scripts/demo-data';
import { HttpSession, type Reply } from '../../scripts/http-session';
import { startPostgresCluster, type PostgresCluster } from '../../scripts/postgres-cluster';
import { useTestClickHouse } from '../harness';

const ch = useTestClickHouse();
let cluster: PostgresCluster;
let database: Database;
let app: AppProcess | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  cluster = await startPostgresCluster();
  database = connect(cluster.url);
  await seedDemo(database);
  await migrateClickHouse(ch.client);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await database?.close();
  cluster?.destroy();
});

/** Waits until `ok()` holds, up to `ms`. */
async function until(ok: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

describe('PostgreSQL restart (pg_ctl restart -m fast)', () => {
  it('connections held in a transaction, a read session and by the shipper fail cleanly; new work succeeds', async () => {
    const { rows: [acme] } = await database.pool.query<{ id: number }>(`SELECT id FROM tenants WHERE subdomain = 'acme'`);
    const { rows: [user] } = await database.pool.query<{ id: number }>('SELECT id FROM users WHERE tenant_id = $1 LIMIT 1', [acme!.id]);
    const held = await database.pool.connect();
    await held.query('BEGIN');
    const session = new ReadSession(database.reads!, acme!.id, user!.id);
    expect((await session.run((db) => db.execute(sql`SELECT 1 AS one`))).rows).toEqual([{ one: 1 }]);
    const shipper = new Shipper(database.pool, ch.client, { log: () => {}, flushIntervalMs: 50, maxBackoffMs: 500 });
    shipper.start();
    await sleep(200);

    await cluster.restart();
    await sleep(500);

    // The transaction's connection is gone: its next statement fails at once instead of crashing the process.
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(true);
    // The read session's next read runs on a new connection (reads are autocommit: nothing to lose).
    expect((await session.run((db) => db.execute(sql`SELECT 2 AS two`))).rows).toEqual([{ two: 2 }]);
    await session.close();
    expect((await database.pool.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
    // The shipper goes on: an event written now reaches ClickHouse.
    await database.pool.query(`INSERT INTO events (tenant_id, event_name, "timestamp") VALUES ($1, 'after.restart', now())`, [acme!.id]);
    expect(
      await until(async () => {
        const rs = await ch.client.query({ query: `SELECT count() AS n FROM events WHERE event = 'after.restart'`, format: 'JSONEachRow' });
        return Number((await rs.json<{ n: string }>())[0]!.n) === 1;
      }, 15_000),
    ).toBe(true);
    await shipper.stop();
  }, 60_000);

  it('the app process stays up through restarts during requests, and answers 200 again right after', async () => {
    app = await startAppProcess({ DATABASE_URL: cluster.url, CLICKHOUSE_URL: `${ch.url}/${ch.database}`, SESSION_SECRET: 'restart-test-secret-0123456789abcdef' });
    const users = ['director', 'manager', 'agent', 'admin'];
    const sessions = await Promise.all(
      users.map(async (login) => {
        const s = new HttpSession(app!.url, 20_000);
        expect((await s.login('acme', login)).status).toBe(200);
        return s;
      }),
    );
    const paths = ['/api/deals?perPage=20', '/api/companies?q=a', '/admin/api/resources/contacts/actions/list?perPage=20', '/api/activities?perPage=10'];
    let running = true;
    const replies: (Reply | { status: 0; ms: number; error: string })[] = [];
    const workers = sessions.map(async (s, i) => {
      for (let n = 0; running; n++) {
        const started = performance.now();
        await s.call('GET', paths[(i + n) % paths.length]!).then(
          (r) => replies.push(r),
          (err: Error) => replies.push({ status: 0, ms: performance.now() - started, error: err.message }),
        );
      }
    });
    await sleep(1500);
    for (let round = 0; round < 2; round++) {
      await cluster.restart();
      await sleep(1500);
    }
    running = false;
    await Promise.all(workers);

    expect(app.alive(), app.output().slice(-3000)).toBe(true);
    expect(app.output()).not.toMatch(/Unhandled 'error' event/);
    // The lost connections are reported in the JSON log, as one line per cause (domain/db.ts).
    expect(app.output()).toMatch(/^\{.*"msg":"postgres: a connection was lost \(.*\); the pool opens new ones"\}$/m);
    expect(app.output()).not.toMatch(/^postgres: a connection was lost/m);
    // Every request got an answer well within its time limit (none hung on a dead connection).
    expect(replies.filter((r) => r.status === 0)).toEqual([]);
    expect(Math.max(...replies.map((r) => r.ms))).toBeLessThan(10_000);
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThan(20);
    // After the restarts every kind of request succeeds again, in the same sessions.
    for (const [i, s] of sessions.entries()) expect((await s.call('GET', paths[i % paths.length]!)).status).toBe(200);
    expect((await sessions[0]!.call('POST', '/api/companies', { name: 'After the restart' })).status).toBe(201);
  }, 120_000);
});
