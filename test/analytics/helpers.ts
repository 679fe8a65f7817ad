// Shared setup of the analytics tests: the real app on a free port with a real ClickHouse database, the demo
// tenants, the ClickHouse schema migrated, and small HTTP helpers for ingest-key and session requests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../admin/app';
import { answerMalformedRequests } from '../../admin/http-errors';
import type { ClickHouseClient } from '../../analytics/clickhouse';
import { migrateClickHouse } from '../../analytics/migrate';
import { Shipper } from '../../analytics/shipper';
import { seedDemo } from '../../scripts/demo-data';
import { demoIngestKey } from '../../scripts/demo/analytics';
import { useTestClickHouse, useTestDatabase, type TestClickHouse, type TestDatabase } from '../harness';
import { demoTenant, type DemoTenant } from '../security/helpers';

export interface AnalyticsWorld {
  db: TestDatabase;
  ch: TestClickHouse;
  base: string;
  acme: DemoTenant;
  globex: DemoTenant;
  keys: { acme: string; globex: string };
  shipper: Shipper;
}

/**
 * Call at the top level of a test file. handOff: the app hands accepted batches to world.shipper in memory (as
 * `npm start` does; the tests call shipOnce/drain themselves).
 */
export function useAnalyticsWorld(options: { seed?: boolean; handOff?: boolean } = {}): AnalyticsWorld {
  const db = useTestDatabase();
  const ch = useTestClickHouse();
  const world = { db, ch } as AnalyticsWorld;
  let server: Server;
  beforeAll(async () => {
    if (options.seed !== false) await seedDemo(db);
    await migrateClickHouse(ch.client);
    world.shipper = new Shipper(db.pool, ch.client, { log: () => {} });
    if (options.handOff) world.shipper.handOff.resume();
    const handOff = options.handOff ? world.shipper.handOff : undefined;
    const { app } = createApp({ database: db, clickhouse: ch.client, sessionSecret: 'test-secret', handOff });
    server = await new Promise((done) => {
      const s = answerMalformedRequests(app.listen(0, '127.0.0.1', () => done(s)));
    });
    world.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (options.seed !== false) {
      world.acme = await demoTenant(db, 'acme');
      world.globex = await demoTenant(db, 'globex');
      world.keys = { acme: demoIngestKey('acme'), globex: demoIngestKey('globex') };
    }
  });
  afterAll(async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });
  return world;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** POST /ingest/v1/events with an ingest key. */
export async function ingest(base: string, key: string | null, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${base}/ingest/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function chRows<T = Record<string, unknown>>(client: ClickHouseClient, query: string): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow' });
  return rs.json<T>();
}

export async function chCount(client: ClickHouseClient, query: string): Promise<number> {
  const [row] = await chRows<{ n: string | number }>(client, query);
  return Number(row?.n ?? 0);
}

/** Events of one tenant in PostgreSQL (the outbox) and whether they are still queued. */
export async function pending(db: TestDatabase): Promise<number> {
  return Number((await db.pool.query('SELECT count(*) AS n FROM events_pending')).rows[0].n);
}
