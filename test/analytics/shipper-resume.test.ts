// ClickHouse down for a while, then back: the shipper's back-off is capped so it resumes within seconds (it
// waited up to 30 s), and it reads every INSERT's response, so the ClickHouse client has nothing to warn about
// (it warned once per insert that a response stream was destroyed unread). A dedicated clickhouse-server,
// SIGKILLed and restarted on the same ports by this test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient, type Logger } from '@clickhouse/client';
import { migrateClickHouse } from '../../analytics/migrate';
import { Shipper } from '../../analytics/shipper';
import { startLocalClickHouse, type LocalClickHouse } from '../../scripts/clickhouse-local';
import { chCount, ingest, pending, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
const dir = mkdtempSync(join(tmpdir(), 'epesi-ch-resume-'));
let server: LocalClickHouse | null = null;
afterAll(async () => {
  await server?.stop({ force: true });
  rmSync(dir, { recursive: true, force: true });
});

const warnings: string[] = [];
class Captured implements Logger {
  trace() {}
  debug() {}
  info() {}
  warn({ message }: { message: string }) {
    warnings.push(message);
  }
  error({ message }: { message: string }) {
    warnings.push(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const batch = (n: number, tag: string) => ({ batch: Array.from({ length: n }, (_, i) => ({ event: 'resume.test', properties: { tag, i } })) });

it('resumes shipping within 5 s of ClickHouse coming back, with no client warning about unread responses', { timeout: 180_000 }, async () => {
  server = await startLocalClickHouse(dir);
  const { httpPort, tcpPort } = server;
  const client = createClient({ url: server.url, log: { LoggerClass: Captured, level: ClickHouseLogLevel.WARN }, clickhouse_settings: { wait_end_of_query: 1 } });
  await migrateClickHouse(client);
  // A shipper with the default back-off (the app's own options).
  const shipper = new Shipper(w.db.pool, client, { log: () => {} });
  shipper.start();
  // Healthy: several inserts, none leaving a response unread.
  for (let i = 0; i < 5; i++) {
    expect((await ingest(w.base, w.keys.acme, batch(200, `up-${i}`))).status).toBe(200);
    await sleep(1200);
  }
  while ((await pending(w.db)) > 0) await sleep(100);
  expect(warnings.filter((m) => /fully read|destroy/i.test(m))).toEqual([]);

  // Down long enough for an uncapped back-off to grow past 15 s; the ingest API keeps accepting meanwhile.
  await server.stop({ force: true });
  for (let i = 0; i < 18; i++) {
    expect((await ingest(w.base, w.keys.acme, batch(100, `down-${i}`))).status).toBe(200);
    await sleep(1000);
  }
  expect(await pending(w.db)).toBeGreaterThan(0);

  server = await startLocalClickHouse(dir, { httpPort, tcpPort });
  const back = Date.now();
  while ((await pending(w.db)) > 0 && Date.now() - back < 30_000) await sleep(100);
  const resumedAfter = Date.now() - back;
  console.log(`shipper: caught up ${resumedAfter} ms after ClickHouse answered again`);
  expect(await pending(w.db)).toBe(0);
  expect(resumedAfter).toBeLessThan(5000);
  await shipper.stop();
  expect(await chCount(client, `SELECT count() AS n FROM events WHERE event = 'resume.test'`)).toBe(5 * 200 + 18 * 100);
  await client.close();
});
