// REDIS_URL set and Redis unreachable (down, restarting, a network split): sign-in, the widget and ingest go on
// answering as before, never a 500 and never waiting for Redis; each limit is then counted in the instance's
// memory (domain/rate-limit.ts), so a guesser is still locked out; the log says why, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../domain/rate-limit';
import { demoIngestKey } from '../../scripts/demo/analytics';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from './client';

const db = useTestDatabase();
const warnings: string[] = [];
const log = { warn: (_: object, m: string) => void warnings.push(m), info: () => {} };
// Nothing listens on port 1.
const client = connectRedis('redis://127.0.0.1:1', log as never);
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  await seedDemo(db);
  app = await startApp(db, null, undefined, { kind: 'redis', client, prefix: 'redis-down-test:' });
});
afterAll(async () => {
  client.disconnect();
  await app?.close();
});

describe('Redis unreachable', () => {
  it('sign-ins work, and 5 failures still lock the account (counted in memory), each answer prompt', async () => {
    const started = Date.now();
    expect((await new Browser(app.base).login('acme', 'director')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await new Browser(app.base).login('acme', 'manager2', 'wrong')).status).toBe(401);
    const locked = await new Browser(app.base).login('acme', 'manager2');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    // Nothing was written to PostgreSQL's counters instead.
    expect((await db.pool.query('SELECT count(*)::int AS n FROM rate_limits')).rows[0].n).toBe(0);
  });

  it('ingest accepts events, and the log names the cause once', async () => {
    const b = new Browser(app.base);
    b.headers.authorization = `Bearer ${demoIngestKey('acme')}`;
    const res = await b.call('POST', '/ingest/v1/events', { event: 'redis.down' });
    expect(res).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(warnings.filter((w) => /^redis: unreachable/.test(w))).toHaveLength(1);
  });
});
