// ClickHouse killed in the middle of ingesting and shipping, restarted on the same data: every event accepted by
// the ingest API is in ClickHouse exactly once (raw table, id index and rollup), none lost, none doubled. A
// dedicated clickhouse-server (not the run's shared one) is started, SIGKILLed and restarted by this test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connectClickHouse, type ClickHouseClient } from '../../analytics/clickhouse';
import { migrateClickHouse } from '../../analytics/migrate';
import { Shipper } from '../../analytics/shipper';
import { startLocalClickHouse, type LocalClickHouse } from '../../scripts/clickhouse-local';
import { chCount, chRows, ingest, pending, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
const dir = mkdtempSync(join(tmpdir(), 'epesi-ch-crash-'));
let server: LocalClickHouse | null = null;
let client: ClickHouseClient | null = null;
afterAll(async () => {
  await client?.close();
  await server?.stop({ force: true });
  rmSync(dir, { recursive: true, force: true });
});

const BATCHES = 60;
const PER_BATCH = 500;

it('counts every event exactly once after ClickHouse is killed mid-ingest and restarted', { timeout: 180_000 }, async () => {
  server = await startLocalClickHouse(dir);
  client = connectClickHouse(server.url, undefined, { quiet: true });
  await migrateClickHouse(client);
  // The demo outbox ships along; only the events of this test are counted below.
  const logs: string[] = [];
  const shipper = new Shipper(w.db.pool, () => client!, { maxRows: 4000, flushIntervalMs: 20, maxBackoffMs: 300, log: (m) => logs.push(m) });
  shipper.start();

  let sent = 0;
  const send = async (b: number) => {
    const batch = Array.from({ length: PER_BATCH }, (_, i) => ({
      event: i % 3 ? 'crash.view' : 'crash.click',
      user: `visitor-${(b * PER_BATCH + i) % 997}`,
      timestamp: new Date(Date.UTC(2025, 5, 1) + (b * PER_BATCH + i) * 1000).toISOString(),
      properties: { batch: b, i },
    }));
    const res = await ingest(w.base, w.keys.acme, { batch });
    expect(res.status).toBe(200);
    sent += PER_BATCH;
  };

  // A third of the traffic with ClickHouse up...
  for (let b = 0; b < BATCHES / 3; b++) await send(b);
  // ...then kill it, preferably while a ship INSERT is running in it.
  const monitor = connectClickHouse(server.url, undefined, { quiet: true });
  let caughtMidInsert = false;
  for (let i = 0; i < 400 && !caughtMidInsert; i++) {
    const sending = send(BATCHES / 3 + i); // keep traffic flowing while watching
    const running = await chRows<{ n: string }>(monitor, `SELECT count() AS n FROM system.processes WHERE startsWith(query_id, 'epesi-ship-')`).catch(() => [{ n: '0' }]);
    caughtMidInsert = Number(running[0]?.n) > 0;
    await sending;
    if (sent >= (2 * BATCHES * PER_BATCH) / 3) break;
  }
  await server.stop({ force: true }); // SIGKILL
  await monitor.close().catch(() => {});
  const killedAt = sent;

  // The rest of the traffic with ClickHouse down: accepted into the outbox, waiting.
  while (sent < BATCHES * PER_BATCH) await send(sent / PER_BATCH);
  await new Promise((r) => setTimeout(r, 500));
  expect(await pending(w.db)).toBeGreaterThan(0);
  expect(logs.some((m) => /events wait in PostgreSQL/.test(m))).toBe(true);

  // Restart on the same data folder (new ports): the shipper picks up the new client and catches up.
  server = await startLocalClickHouse(dir);
  const old = client;
  client = connectClickHouse(server.url, undefined, { quiet: true });
  await old.close().catch(() => {});
  const deadline = Date.now() + 120_000;
  while ((await pending(w.db)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await shipper.stop();
  expect(await pending(w.db)).toBe(0);

  const total = BATCHES * PER_BATCH;
  const mine = `event IN ('crash.view', 'crash.click')`;
  expect(await chCount(client, `SELECT count() AS n FROM events WHERE ${mine}`)).toBe(total);
  expect(await chCount(client, `SELECT uniqExact(id) AS n FROM events WHERE ${mine}`)).toBe(total);
  expect(await chCount(client, `SELECT count() AS n FROM events FINAL WHERE ${mine}`)).toBe(total);
  expect(await chCount(client, `SELECT countMerge(events) AS n FROM events_hourly WHERE event IN ('crash.view', 'crash.click')`)).toBe(total);
  const all = await chCount(client, 'SELECT count() AS n FROM events');
  expect(await chCount(client, 'SELECT uniqExact(id) AS n FROM events')).toBe(all);
  expect(await chCount(client, 'SELECT countMerge(events) AS n FROM events_hourly')).toBe(all);
  expect(Number((await w.db.pool.query('SELECT count(*) AS n FROM events_in_flight')).rows[0].n)).toBe(0);
  // Every (batch, i) exactly once.
  const perBatch = await chRows<{ b: string; n: string; u: string }>(
    client,
    `SELECT prop_values[indexOf(prop_keys, 'batch')] AS b, count() AS n, uniqExact(prop_values[indexOf(prop_keys, 'i')]) AS u FROM events WHERE ${mine} GROUP BY b`,
  );
  expect(perBatch.length).toBe(BATCHES);
  for (const r of perBatch) expect([Number(r.n), Number(r.u)]).toEqual([PER_BATCH, PER_BATCH]);
  console.log(
    `crash test: killed after ${killedAt} of ${total} events were accepted (${caughtMidInsert ? 'during' : 'not during'} a ship insert); ` +
      `shipper: ${JSON.stringify(shipper.stats)}`,
  );
});
