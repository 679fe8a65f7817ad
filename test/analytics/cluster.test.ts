// Analytics on a ClickHouse cluster (CLICKHOUSE_CLUSTER): two clickhouse-server 18.16 processes as the two
// shards of a cluster (a remote_servers config naming both; no ZooKeeper, as there is no replication). The
// migrations create the local tables on both hosts and Distributed tables over them; the same outbox events
// are shipped to one server and to the cluster, and every dashboard query, through the app's own API, gives the
// same figures on both, for two tenants and two roles. Each tenant's rows sit on one shard, both shards hold
// rows, and a batch shipped again (the shipper's recovery after a crash) changes nothing, even when a shard's
// rollup lost rows.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../admin/app';
import { connectClickHouse, type ClickHouseClient } from '../../analytics/clickhouse';
import { clusterStatements, connectHost, shardedTables, type ClickHouseCluster } from '../../analytics/cluster';
import { migrateClickHouse, readMigrations } from '../../analytics/migrate';
import { QUERIES } from '../../analytics/queries';
import { Shipper } from '../../analytics/shipper';
import { startLocalClickHouse, type LocalClickHouse } from '../../scripts/clickhouse-local';
import { freePort } from '../../scripts/free-port';
import { Browser } from '../http/client';
import { makeFixture, toBody, WINDOW_FROM, WINDOW_TO } from './fixture';
import { chCount, chRows, ingest, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
const HOSTS = ['127.0.0.2', '127.0.0.3'];
const servers: LocalClickHouse[] = [];
const dirs: string[] = [];
let cluster: ClickHouseCluster;
let clusterClient: ClickHouseClient;
let clusterShipper: Shipper;
let clusterServer: Server;
let clusterBase: string;
const hostClients: ClickHouseClient[] = [];

const iso = (ms: number) => new Date(ms).toISOString();
const RANGE = `from=${iso(WINDOW_FROM)}&to=${iso(WINDOW_TO)}`;
const RAW_RANGE = `from=${iso(WINDOW_FROM + 1234_000)}&to=${iso(WINDOW_TO - 1000)}`;

/** Every dashboard query (each name of analytics/queries), with its rollup and raw variants where it has them. */
const PATHS = [
  `event-headlines?${RANGE}`,
  `trends?${RANGE}&interval=day`,
  `trends?${RAW_RANGE}&interval=week`,
  `trends?${RANGE}&interval=week&events=page.view,purchase&breakdown=plan&limit=2`,
  `top-events?${RANGE}`,
  `top-events?${RAW_RANGE}&limit=100`,
  `top-pages?${RANGE}`,
  `sessions?${RANGE}&interval=week`,
  `funnel?${RANGE}&steps=signup,activate,purchase&window=86400`,
  `retention?${RANGE}&interval=week&periods=4`,
  `retention?${RANGE}&interval=week&periods=4&layout=table`,
  `retention?${RANGE}&interval=week&periods=4&cohort=${iso(WINDOW_FROM).slice(0, 10)}`,
  `headlines?${RANGE}`,
  `pipeline?${RANGE}`,
  `lead-conversion?${RANGE}`,
  `activities?${RANGE}`,
];
const VIEWERS = [
  ['acme', 'admin'],
  ['acme', 'director'],
  ['globex', 'admin'],
] as const;

const browsers = new Map<string, Browser>();
async function answer(base: string, tenant: string, username: string, path: string) {
  const key = `${base} ${tenant}/${username}`;
  if (!browsers.has(key)) {
    const b = new Browser(base);
    expect((await b.login(tenant, username)).status).toBe(200);
    browsers.set(key, b);
  }
  const res = await browsers.get(key)!.call('GET', `/api/analytics/${path}`);
  return { status: res.status, body: res.body };
}

/** Every query for every viewer, on one server and on the cluster: the same answers, and some figures. */
async function expectSameFigures() {
  let events = 0;
  for (const [tenant, username] of VIEWERS) {
    for (const path of PATHS) {
      const [single, onCluster] = [await answer(w.base, tenant, username, path), await answer(clusterBase, tenant, username, path)];
      expect(onCluster, `${tenant}/${username} ${path}`).toEqual(single);
      if (username === 'admin') expect(single.status, `${tenant}/${username} ${path}`).toBe(200);
      if (path.startsWith('top-events') && single.status === 200) events += single.body.rows.reduce((s: number, r: { count: number }) => s + r.count, 0);
    }
  }
  expect(events).toBeGreaterThan(3000);
}

/** Rows per tenant in each shard's own table (not through the Distributed one). */
async function perShard(table: string, count = 'count()') {
  return Promise.all(
    hostClients.map(async (c) =>
      Object.fromEntries((await chRows<{ t: number; n: string }>(c, `SELECT tenant_id AS t, ${count} AS n FROM ${table} GROUP BY t`)).map((r) => [r.t, Number(r.n)])),
    ),
  );
}

/**
 * Queues the outbox events from `fromId` on again (all: 0), as a batch still in flight (what the shipper finds
 * after a crash) when `inFlight`. Returns how many were queued already (new events: this test's sign-ins).
 */
async function requeue(fromId: number, inFlight: boolean): Promise<number> {
  const queued = Number((await w.db.pool.query('SELECT count(*) AS n FROM events_pending')).rows[0].n);
  await w.db.pool.query('INSERT INTO events_pending (event_id) SELECT id FROM events WHERE id >= $1 ON CONFLICT DO NOTHING', [fromId]);
  if (inFlight) await w.db.pool.query('INSERT INTO events_in_flight (first_event_id, last_event_id) SELECT min(id), max(id) FROM events WHERE id >= $1', [fromId]);
  return queued;
}

beforeAll(async () => {
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  const clusters = { epesi_two_shards: HOSTS.map((host) => [{ host, port: tcpPort }]) };
  for (const host of HOSTS) {
    const dir = mkdtempSync(join(tmpdir(), 'epesi-shard-'));
    dirs.push(dir);
    servers.push(await startLocalClickHouse(dir, { host, httpPort, tcpPort, clusters }));
  }
  cluster = { name: 'epesi_two_shards', replicated: false, url: servers[0]!.url };
  // The app's database exists on the host CLICKHOUSE_URL names; the migrator creates it on the others.
  const root = connectClickHouse(servers[0]!.url);
  await root.command({ query: `CREATE DATABASE ${w.ch.database}` });
  await root.close();
  clusterClient = connectClickHouse(servers[0]!.url, w.ch.database);
  hostClients.push(...HOSTS.map((h) => connectHost(cluster, h, w.ch.database)));

  const users = (t: typeof w.acme) => Object.values(t.users).map((u) => ({ id: u.id, workspace: u.workspace_id }));
  for (const [key, events] of [
    [w.keys.acme, makeFixture(1, users(w.acme), w.acme.workspaces, 700)],
    [w.keys.globex, makeFixture(2, users(w.globex), w.globex.workspaces, 300)],
  ] as const) {
    for (let i = 0; i < events.length; i += 1000) expect((await ingest(w.base, key, { batch: events.slice(i, i + 1000).map(toBody) })).status).toBe(200);
  }
  // The same outbox events to one server, then again to the cluster.
  const single = new Shipper(w.db.pool, w.ch.client, { log: () => {} });
  await single.drain();
  await requeue(0, false);
  clusterShipper = new Shipper(w.db.pool, clusterClient, { cluster, log: () => {} });
  expect(await migrateClickHouse(clusterClient, { cluster })).toEqual(readMigrations().map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`));
  await clusterShipper.drain();

  const { app } = createApp({ database: w.db, clickhouse: clusterClient, sessionSecret: 'test-secret' });
  clusterServer = await new Promise((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  clusterBase = `http://127.0.0.1:${(clusterServer.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((done) => (clusterServer ? clusterServer.close(() => done()) : done()));
  for (const c of [clusterClient, ...hostClients]) await c?.close();
  for (const s of servers) await s.stop({ force: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('analytics on a two-shard ClickHouse cluster', () => {
  it('the migrations made local tables on both hosts and Distributed tables over them; again, they do nothing', async () => {
    for (const c of hostClients) {
      const tables = await chRows<{ name: string; engine: string }>(c, `SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND name NOT LIKE '.inner%' ORDER BY name`);
      expect(tables).toEqual([
        { name: 'analytics_migrations', engine: 'MergeTree' },
        { name: 'events', engine: 'Distributed' },
        { name: 'events_hourly', engine: 'Distributed' },
        { name: 'events_hourly_local', engine: 'AggregatingMergeTree' },
        { name: 'events_hourly_mv', engine: 'MaterializedView' },
        { name: 'events_local', engine: 'ReplacingMergeTree' },
      ]);
    }
    expect(await migrateClickHouse(clusterClient, { cluster })).toEqual([]);
  });

  it('each tenant lives on one shard, and both shards hold rows: raw events and the rollup', async () => {
    const total = await chCount(w.ch.client, 'SELECT count() AS n FROM events');
    expect(await chCount(clusterClient, 'SELECT count() AS n FROM events')).toBe(total);
    const raw = await perShard('events_local');
    const rollup = await perShard('events_hourly_local', 'countMerge(events)');
    expect(rollup).toEqual(raw);
    // tenant_id modulo the two shards' weights: acme and globex (ids 1 and 2) on different shards.
    const shardOf = (tenant: number) => raw.findIndex((s) => s[tenant] !== undefined);
    expect(shardOf(w.acme.id)).toBeGreaterThanOrEqual(0);
    expect(shardOf(w.globex.id)).toBeGreaterThanOrEqual(0);
    expect(shardOf(w.acme.id)).not.toBe(shardOf(w.globex.id));
    for (const shard of raw) expect(Object.keys(shard).length).toBeGreaterThan(0);
    expect(raw.map((s) => Object.keys(s).length).reduce((a, b) => a + b)).toBe(new Set(raw.flatMap((s) => Object.keys(s))).size);
    expect(raw.flatMap((s) => Object.values(s)).reduce((a, b) => a + b)).toBe(total);
  });

  it('every dashboard query gives the same figures on the cluster as on one server', async () => {
    const named = new Set(PATHS.map((p) => p.split('?')[0]));
    expect([...named].sort()).toEqual(Object.keys(QUERIES).sort());
    await expectSameFigures();
  }, 60_000);

  it('a batch shipped again (recovery of a batch in flight) changes no figure, and refills a shard rollup that lost rows', async () => {
    // The batch: globex's fixture events (ingested last) and the last 500 of acme's, so both shards.
    const { rows } = await w.db.pool.query('SELECT id FROM events WHERE tenant_id = $1 ORDER BY id DESC OFFSET 499 LIMIT 1', [w.acme.id]);
    const fromId = rows[0].id as number;
    const batch = Number((await w.db.pool.query('SELECT count(*) AS n FROM events WHERE id >= $1', [fromId])).rows[0].n);
    const before = { ...clusterShipper.stats };
    const shipped = await chCount(clusterClient, 'SELECT count() AS n FROM events');
    const fresh = await requeue(fromId, true);
    expect(await clusterShipper.drain()).toBe(fresh);
    expect(clusterShipper.stats.alreadyShipped - before.alreadyShipped).toBe(batch - fresh);
    expect(await chCount(clusterClient, 'SELECT count() AS n FROM events')).toBe(shipped + fresh);

    // The rollup of globex's shard loses the fixture's month (as a view's write interrupted by a crash would
    // lose them): shipping the batch again tops it up from that shard's raw events.
    const shard = (await perShard('events_local')).findIndex((s) => s[w.globex.id] !== undefined);
    await hostClients[shard]!.command({ query: `ALTER TABLE events_hourly_local DROP PARTITION ${new Date(WINDOW_FROM).toISOString().slice(0, 7).replace('-', '')}` });
    expect(await perShard('events_hourly_local', 'countMerge(events)')).not.toEqual(await perShard('events_local'));
    const queued = await requeue(fromId, true);
    expect(await clusterShipper.drain()).toBe(queued);
    expect(clusterShipper.stats.rollupRepaired - before.rollupRepaired).toBeGreaterThan(0);
    expect(await perShard('events_hourly_local', 'countMerge(events)')).toEqual(await perShard('events_local'));
    await expectSameFigures();
  }, 90_000);

  it('a migration that adds a column adds it on every shard and to the Distributed table; a mutation runs on the shards', async () => {
    const sharded = shardedTables(readMigrations().flatMap((m) => m.statements));
    const onEveryHost = async (statement: string) => {
      for (const c of hostClients) for (const query of clusterStatements(statement, sharded, { cluster: cluster.name, database: w.ch.database, replicated: false })) await c.command({ query });
    };
    await onEveryHost(`ALTER TABLE events ADD COLUMN migration_probe String DEFAULT 'added'`);
    try {
      expect(await chRows(clusterClient, `SELECT DISTINCT migration_probe AS v FROM events`)).toEqual([{ v: 'added' }]);
      for (const c of hostClients) expect(await chRows(c, `SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND name = 'migration_probe'`)).toEqual([{ n: '2' }]);
    } finally {
      await onEveryHost('ALTER TABLE events DROP COLUMN migration_probe');
    }
    expect(await chRows(clusterClient, `SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND name = 'migration_probe'`)).toEqual([{ n: '0' }]);
    expect(clusterStatements('ALTER TABLE events DELETE WHERE tenant_id = 0', sharded, { cluster: 'prod', database: 'epesi', replicated: false })).toEqual(['ALTER TABLE events_local DELETE WHERE tenant_id = 0']);
    await expectSameFigures();
  }, 60_000);

  it('with CLICKHOUSE_REPLICATED the local tables are Replicated*MergeTree on a Keeper path per shard, database and table', () => {
    const statements = readMigrations().flatMap((m) => m.statements);
    const sharded = shardedTables(statements);
    expect([...sharded].sort()).toEqual(['events', 'events_hourly']);
    const ddl = statements.flatMap((s) => clusterStatements(s, sharded, { cluster: 'prod', database: 'epesi', replicated: true })).join('\n');
    expect(ddl).toContain(`ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/epesi/events_local', '{replica}')`);
    expect(ddl).toContain(`ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/epesi/events_hourly_local', '{replica}')`);
    expect(ddl).toContain(`ENGINE = Distributed('prod', 'epesi', 'events_local', tenant_id)`);
    expect(ddl).toMatch(/MATERIALIZED VIEW IF NOT EXISTS events_hourly_mv TO events_hourly_local AS[\s\S]*FROM events_local/);
    // A statement without a cluster form stops the migration before any host changes.
    expect(() => clusterStatements('RENAME TABLE events TO events_old', sharded, { cluster: 'prod', database: 'epesi', replicated: false })).toThrow(/no cluster form/);
  });
});
