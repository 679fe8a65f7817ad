// PostgreSQL down: `npm start` waits for it (a logged retry) instead of exiting, and a running app answers
// 503 with Retry-After and a message while it is down (not a 500 and a stack trace per request), then serves
// again as soon as it is back. Its own PostgreSQL cluster, since the test stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../../scripts/app-process';
import { HttpSession, type Reply } from '../../scripts/http-session';
import { startPostgresCluster, type PostgresCluster } from '../../scripts/postgres-cluster';

let cluster: PostgresCluster;
let app: AppProcess | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = () => ({ DATABASE_URL: cluster.url, CLICKHOUSE_URL: 'http://127.0.0.1:1', SESSION_SECRET: 'down-test-secret-0123456789abcdefgh' });

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 120_000);

afterAll(async () => {
  await app?.stop();
  cluster?.destroy();
});

describe('PostgreSQL down', () => {
  it('the app started before PostgreSQL waits for it, saying so, and serves once it is up', async () => {
    await cluster.stop();
    let waiting: () => void = () => {};
    const saidWaiting = new Promise<void>((done) => (waiting = done));
    const starting = startAppProcess(env(), { timeoutMs: 90_000, onOutput: (out) => /not reachable/.test(out) && waiting() });
    let early: AppProcess | undefined;
    starting.then((a) => (early = a), () => {});
    await saidWaiting;
    await sleep(4000);
    expect(early).toBeUndefined(); // not serving yet, and not exited either (startAppProcess would reject)
    await cluster.start();
    app = await starting;
    expect(app.output()).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+\/epesi: not reachable \(.*ECONNREFUSED.*\); waiting/);
    expect(app.output()).not.toMatch(/postgres:\/\/postgres@/); // (no connection string in the log)
    const s = new HttpSession(app.url);
    expect((await s.login('acme', 'director')).status).toBe(200);
  }, 120_000);

  it('while PostgreSQL is down requests get 503 with Retry-After and a message; back to 200 within 5 s of its return', async () => {
    const s = new HttpSession(app!.url, 15_000);
    expect((await s.login('acme', 'director')).status).toBe(200);
    expect((await s.call('GET', '/api/deals?perPage=5')).status).toBe(200);
    const logBefore = app!.output().length;

    await cluster.stop();
    const down: Reply[] = [];
    const paths = ['/api/deals?perPage=5', '/api/companies?q=acme', '/admin/api/resources/contacts/actions/list', '/auth/me'];
    for (const path of paths) down.push(await s.call('GET', path));
    down.push(await s.call('POST', '/api/companies', { name: 'Written while down' }));
    down.push(await new HttpSession(app!.url).login('acme', 'agent'));
    for (const r of down) {
      expect(r.status, JSON.stringify(r.body)).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(r.body.error).toMatch(/database cannot be reached/);
    }
    const log = app!.output().slice(logBefore);
    // No 500 logged with its stack per request (`GET /path: Error ...`), no stack of the PostgreSQL error.
    expect(log).not.toMatch(/^(GET|POST) \//m);
    expect(log).not.toMatch(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${cluster.port}\\n\\s+at `));
    expect(log.match(/postgres unavailable/g)?.length ?? 0).toBeLessThanOrEqual(2);

    await cluster.start();
    const back = Date.now();
    let ok: Reply | undefined;
    while (Date.now() - back < 5000) {
      ok = await s.call('GET', '/api/deals?perPage=5');
      if (ok.status === 200) break;
      await sleep(100);
    }
    expect(ok?.status).toBe(200);
    expect(app!.alive()).toBe(true);
    // Nothing of the refused write was stored.
    const found = await s.call('GET', `/api/companies?q=${encodeURIComponent('Written while down')}`);
    expect(found.body.total).toBe(0);
  }, 120_000);
});
