// Several app instances on one PostgreSQL database (and one ClickHouse), started as production starts them:
// the limits that protect users are shared (a guesser or a flood gains nothing by alternating instances), a
// session works on either, the shipper hands over when the instance shipping dies, and no event an instance
// acknowledged depends on that instance's memory. The limits are tested twice: counted in PostgreSQL (the
// default) and in Redis (REDIS_URL, a key prefix of this run's own).
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateClickHouse } from '../../analytics/migrate';
import { startAppProcess, type AppProcess } from '../../scripts/app-process';
import { demoIngestKey } from '../../scripts/demo/analytics';
import { seedDemo } from '../../scripts/demo-data';
import { HttpSession } from '../../scripts/http-session';
import { useTestClickHouse, useTestDatabase } from '../harness';

const db = useTestDatabase();
const ch = useTestClickHouse();
const REDIS_URL = 'redis://127.0.0.1:6379';
const SITE = 'http://localhost:3000'; // an allowed origin of the demo assistants
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Small limits, so that a burst is quick to use up: 5 widget requests a minute per key and address; 1,000 events
// per ingest key per 50 s (batches of at most 1,000); a signed-in user's 200 per 10 s (the default).
const LIMITS = { WIDGET_RATE_LIMIT: '5', INGEST_MAX_BATCH: '1000', INGEST_KEY_BURST: '1000', INGEST_KEY_RATE: '20' };

/**
 * A TCP proxy in front of ClickHouse, one per instance, that can hold what its instance sends: a shipper that
 * took the advisory lock then hangs in its INSERT, holding the lock, until it is killed.
 */
class HoldingProxy {
  private server!: Server;
  private holding = false;
  private readonly held: { from: Socket; to: Socket; chunks: Buffer[] }[] = [];
  heldText = '';
  constructor(private readonly upstream: URL) {}

  async start(): Promise<number> {
    this.server = createServer((from) => {
      const to = tcpConnect(Number(this.upstream.port), this.upstream.hostname);
      const pair = { from, to, chunks: [] as Buffer[] };
      this.held.push(pair);
      from.on('data', (d: Buffer) => {
        if (!this.holding) return void to.write(d);
        pair.chunks.push(d);
        this.heldText += d.toString('latin1');
      });
      to.pipe(from);
      const end = () => {
        from.destroy();
        to.destroy();
      };
      from.on('error', end).on('close', end);
      to.on('error', end).on('close', end);
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  hold() {
    this.holding = true;
  }

  release() {
    this.holding = false;
    for (const p of this.held) for (const c of p.chunks.splice(0)) if (!p.to.destroyed) p.to.write(c);
  }

  /**
   * Whether a shipper's request is held here: its instance holds the shipper's lock meanwhile. Only a shipper
   * that holds the lock talks to ClickHouse in this test, and its first request may not be its INSERT: a
   * shipper that never shipped asks for the database's name first (analytics/shipping/clickhouse-target.ts).
   */
  holdsShipperRequest(): boolean {
    return /INSERT(%20|\+| )INTO|currentDatabase/i.test(this.heldText); // (the query is in the URL)
  }

  close() {
    for (const p of this.held) p.from.destroy();
    this.server?.close();
  }
}

interface Instance {
  name: string;
  app: AppProcess;
  proxy?: HoldingProxy;
}

async function startInstances(names: string[], env: Record<string, string>, withClickHouse: boolean): Promise<Instance[]> {
  return Promise.all(
    names.map(async (name) => {
      let proxy: HoldingProxy | undefined;
      let clickhouseUrl = 'http://127.0.0.1:1'; // (no ClickHouse: the shipper waits, the limits do not care)
      if (withClickHouse) {
        proxy = new HoldingProxy(new URL(ch.url));
        clickhouseUrl = `http://127.0.0.1:${await proxy.start()}/${ch.database}`;
      }
      // (ADMIN_JS_SKIP_BUNDLE: the back office's pages are not opened here, and bundling their components
      // in every instance would take a core each for half a minute.)
      const app = await startAppProcess(
        { DATABASE_URL: db.url, CLICKHOUSE_URL: clickhouseUrl, SESSION_SECRET: 'two-instances-secret-0123456789abcdef', ADMIN_JS_SKIP_BUNDLE: 'true', ...LIMITS, ...env },
        { timeoutMs: 120_000 },
      );
      return { name, app, proxy };
    }),
  );
}

/** Stops them, and keeps each one's log in test-artifacts/ (to read after a failure). */
async function stopAll(instances: Instance[], run: string) {
  mkdirSync('test-artifacts', { recursive: true });
  for (const i of instances) writeFileSync(`test-artifacts/two-instances-${run}-${i.name}.log`, i.app.output());
  await Promise.all(instances.map((i) => i.app.stop()));
  for (const i of instances) i.proxy?.close();
}

async function kill(instance: Instance) {
  const exited = once(instance.app.child, 'exit');
  instance.app.child.kill('SIGKILL');
  await exited;
}

/** Events from one client address (X-Forwarded-For: production trusts the proxy on loopback). */
const client = (app: AppProcess, address: string) => new HttpSession(app.url, 30_000, { 'x-forwarded-for': address });
const randomAddress = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

const ingest = (s: HttpSession, key: string | null, name: string, count: number, from = 0) =>
  s.call('POST', '/ingest/v1/events', { batch: Array.from({ length: count }, (_, i) => ({ event: name, properties: { seq: from + i } })) }, key ? { authorization: `Bearer ${key}` } : {});

async function inClickHouse(event: string): Promise<{ rows: number; distinct: number }> {
  const rs = await ch.client.query({ query: `SELECT count() AS rows, uniqExact(id) AS distinct FROM events WHERE event = '${event}'`, format: 'JSONEachRow' });
  const [r] = await rs.json<{ rows: string; distinct: string }>();
  return { rows: Number(r!.rows), distinct: Number(r!.distinct) };
}

/** Seconds until ClickHouse holds `expected` distinct events named `event` (or the time limit). */
async function shipped(event: string, expected: number, limitMs = 20_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if ((await inClickHouse(event)).distinct >= expected) break;
    await sleep(200);
  }
  return (Date.now() - started) / 1000;
}

async function assistantKey(): Promise<string> {
  const { rows } = await db.pool.query<{ public_key: string }>(`SELECT public_key FROM assistants WHERE is_active AND $1 = ANY(allowed_origins) ORDER BY id LIMIT 1`, [SITE]);
  return rows[0]!.public_key;
}

async function newIngestKey(app: AppProcess): Promise<string> {
  const admin = new HttpSession(app.url);
  expect((await admin.login('acme', 'admin')).status).toBe(200);
  const created = await admin.call('POST', '/api/analytics/ingest-keys', { name: `two instances ${randomUUID()}` });
  expect(created.status).toBe(201);
  return created.body.key as string;
}

/** (a)-(c): sign-in failures, widget and ingest bursts counted on A refuse on B; A's session works on B. */
function sharedLimits(instances: () => [Instance, Instance], account: string) {
  it('a sign-in failure counted on A counts on B: the account is locked on both after the limit', { timeout: 90_000 }, async () => {
    const [a, b] = instances();
    const address = randomAddress();
    for (let i = 0; i < 5; i++) expect((await client(i % 2 ? b.app : a.app, address).login('acme', account, 'wrong')).status).toBe(401);
    for (const x of [b, a]) {
      const locked = await client(x.app, address).login('acme', account);
      expect(locked.status, x.name).toBe(429);
      expect(locked.body.error).toMatch(/Too many sign-in attempts/);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('widget and ingest bursts used up on A are refused on B with 429 and Retry-After', { timeout: 90_000 }, async () => {
    const [a, b] = instances();
    // The widget: 5 requests a minute per key and address.
    const key = await assistantKey();
    const address = randomAddress();
    const widget = (app: AppProcess) => client(app, address).call('GET', `/widget/v1/${key}/config`, undefined, { origin: SITE });
    for (let i = 0; i < 5; i++) expect((await widget(a.app)).status).toBe(200);
    const refused = await widget(b.app);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatch(/Too many requests/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // An ingest key: its burst of 1,000 events sent to A; B accepts not one more.
    const ingestKey = await newIngestKey(a.app);
    expect((await ingest(client(a.app, address), ingestKey, 'limits.burst', 1000)).status).toBe(200);
    const over = await ingest(client(b.app, address), ingestKey, 'limits.burst', 1);
    expect(over.status).toBe(429);
    expect(over.body.error).toMatch(/nothing was accepted/);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // A signed-in user's page views: 200 per 10 s, the same user on A then on B.
    const agentOnA = client(a.app, address);
    expect((await agentOnA.login('acme', 'agent')).status).toBe(200);
    expect((await ingest(agentOnA, null, 'limits.user', 200)).status).toBe(200);
    const agentOnB = client(b.app, address);
    agentOnB.cookie = agentOnA.cookie;
    expect((await ingest(agentOnB, null, 'limits.user', 1)).status).toBe(429);
  });

  it('a session created on A works on B with the same cookie', async () => {
    const [a, b] = instances();
    const onA = new HttpSession(a.app.url);
    expect((await onA.login('acme', 'director')).status).toBe(200);
    const onB = new HttpSession(b.app.url);
    onB.cookie = onA.cookie;
    const me = await onB.call('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toMatch(/director/);
    expect((await onB.call('GET', '/admin/api/resources/contacts/actions/list?perPage=5')).status).toBe(200);
    // Signing out on A ends it on B too, though B remembers the session (admin/session.ts).
    expect((await onA.call('POST', '/auth/logout', {})).status).toBe(204);
    expect((await onB.call('GET', '/auth/me')).status).toBe(401);
    const list = await fetch(`${b.app.url}/admin/api/resources/contacts/actions/list`, { headers: { cookie: onB.cookie }, redirect: 'manual' });
    expect(list.status).toBe(302);
  });
}

beforeAll(async () => {
  await seedDemo(db);
  await migrateClickHouse(ch.client); // (so the instances' shippers find nothing to migrate)
}, 120_000);

describe('two instances, limits in PostgreSQL; the shipper hands over', () => {
  let instances: Instance[] = [];
  beforeAll(async () => {
    instances = await startInstances(['A', 'B', 'C'], {}, true);
    all = [...instances];
  }, 180_000);
  let all: Instance[] = [];
  afterAll(() => stopAll(all, 'postgres'));

  sharedLimits(() => [instances[0]!, instances[1]!], 'manager2');

  it('the limits were counted in PostgreSQL', async () => {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE 'widget-key:%' OR key LIKE 'ingest-key:%'`);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it('the instance holding the shipper lock is SIGKILLed: another ships what every instance acknowledged, once', async () => {
    // Every instance's ClickHouse traffic held: whichever shipper takes the lock next hangs in its INSERT.
    await sleep(1000); // (each shipper's start-up look at the migrations has gone through)
    for (const i of instances) i.proxy!.hold();
    const key = demoIngestKey('acme');
    for (const [n, i] of instances.entries()) expect((await ingest(client(i.app, '10.0.0.1'), key, 'handover.d', 300, n * 300)).status).toBe(200);
    let holder: Instance | undefined;
    for (let t = 0; t < 100 && !holder; t++, await sleep(100)) holder = instances.find((i) => i.proxy!.holdsShipperRequest());
    expect(holder, 'a shipper tried to ship').toBeDefined();
    // While it holds the lock nobody else ships: all 900 acknowledged events wait in the outbox.
    await sleep(1500);
    const pending = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events_pending p JOIN events e ON e.id = p.event_id WHERE e.event_name = 'handover.d'`,
    );
    expect(pending.rows[0]!.n).toBe(900);

    await kill(holder!);
    for (const i of instances) if (i !== holder) i.proxy!.release();
    const seconds = await shipped('handover.d', 900);
    await sleep(1000); // (a doubled insert would show by now)
    expect(await inClickHouse('handover.d')).toEqual({ rows: 900, distinct: 900 });
    expect(seconds).toBeLessThan(10);
    console.log(`shipper hand-over: ${holder!.name} SIGKILLed holding the lock; the others shipped its 900 events in ${seconds.toFixed(1)} s`);
    instances = instances.filter((i) => i !== holder);
  }, 60_000);

  it('events acknowledged by an instance killed right after never depended on its memory', async () => {
    const [a, b] = instances as [Instance, Instance];
    for (const i of instances) i.proxy!.release(); // (held still if the hand-over above failed)
    const key = demoIngestKey('globex');
    // 5 batches acknowledged by A (handed to its shipper in memory as well), then SIGKILL at once.
    for (let n = 0; n < 5; n++) expect((await ingest(client(a.app, '10.0.0.2'), key, 'handover.e', 200, n * 200)).status).toBe(200);
    await kill(a);
    const seconds = await shipped('handover.e', 1000);
    await sleep(1000);
    expect(await inClickHouse('handover.e')).toEqual({ rows: 1000, distinct: 1000 });
    expect(seconds).toBeLessThan(10);
    expect(b.app.alive()).toBe(true);
    instances = [b];
  }, 60_000);

  it('every instance logged JSON lines only (no plain-text warning such as express-session\'s MemoryStore)', () => {
    for (const i of all) {
      const plain = i.app.output().split('\n').filter((line) => line.trim() && !/^\{.*\}$/.test(line));
      expect(plain, i.name).toEqual([]);
    }
  });
});

describe('two instances, limits in Redis (REDIS_URL)', () => {
  const prefix = `epesi-test-${randomUUID()}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  let instances: Instance[] = [];
  beforeAll(async () => {
    instances = await startInstances(['A', 'B'], { REDIS_URL, REDIS_KEY_PREFIX: prefix }, false);
  }, 180_000);
  afterAll(async () => {
    await stopAll(instances, 'redis');
    const keys = await redis.keys(`${prefix}*`).catch(() => []);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  sharedLimits(() => [instances[0]!, instances[1]!], 'agent3');

  it('the limits were counted in Redis under this run\'s prefix, none in PostgreSQL', async () => {
    const keys = await redis.keys(`${prefix}*`);
    for (const name of ['signin-account', 'widget-key', 'widget-ip', 'ingest-key', 'ingest-user']) expect(keys.some((k) => k.startsWith(`${prefix}${name}:`)), name).toBe(true);
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE 'signin-account:%' AND points > 0 AND expire > $1`, [Date.now()]);
    expect(rows[0]!.n).toBe(1); // (manager2's, from the PostgreSQL run: agent3's is in Redis)
  });
});
