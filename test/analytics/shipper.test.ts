// The outbox shipper on real PostgreSQL and ClickHouse: batches move exactly once, whatever fails between the
// ClickHouse insert and the dequeue; queued events wait while ClickHouse is unreachable; shipped rows leave
// PostgreSQL after the retention period, queued ones never.
import { describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { idRanges, Shipper } from '../../analytics/shipper';
import { DEMO_EVENTS_PER_TENANT } from '../../scripts/demo/engagement';
import { chCount, chRows, ingest, pending, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();

const count = (where = '1') => chCount(w.ch.client, `SELECT count() AS n FROM events WHERE ${where}`);
const distinctIds = () => chCount(w.ch.client, 'SELECT uniqExact(id) AS n FROM events');
const rollupCount = () => chCount(w.ch.client, 'SELECT countMerge(events) AS n FROM events_hourly');

describe('shipping', () => {
  it('ships the demo outbox (queued by the migration and the seed) with every column, then dequeues it', async () => {
    const queued = await pending(w.db);
    const demo = 2 * DEMO_EVENTS_PER_TENANT; // the demo events of both tenants
    expect(queued).toBe(demo);
    expect(await w.shipper.drain()).toBe(demo);
    expect(await pending(w.db)).toBe(0);
    expect(await count()).toBe(demo);
    expect(await distinctIds()).toBe(demo);
    expect(await rollupCount()).toBe(demo);

    const [pg] = (await w.db.pool.query(`SELECT * FROM events WHERE event_name = 'page.view' ORDER BY id LIMIT 1`)).rows;
    const [row] = await chRows<Record<string, any>>(
      w.ch.client,
      `SELECT *, toUnixTimestamp(ts) AS t FROM events WHERE id = ${Number(pg.id)}`,
    );
    expect(row).toMatchObject({
      tenant_id: pg.tenant_id,
      event: 'page.view',
      user_id: pg.user_id,
      distinct_id: `u:${pg.user_id}`,
      workspace_id: pg.workspace_id ?? 0,
      session_id: pg.session_id,
      url: pg.url,
      source: pg.source,
      user_agent: pg.user_agent,
      ip: pg.ip_address,
    });
    expect(row!.t).toBe(Math.floor(pg.timestamp.getTime() / 1000));
    const props = Object.fromEntries((row!.prop_keys as string[]).map((k, i) => [k, row!.prop_values[i]]));
    expect(props.path).toBe(pg.event_properties.path);
    expect(props.duration_ms).toBe(String(pg.event_properties.duration_ms));
    expect(props.referrer ?? '').toBe(pg.event_properties.referrer ?? '');
  });

  it('never inserts an event twice: after an attempt interrupted before the dequeue, what ClickHouse holds is only dequeued', async () => {
    const before = await count();
    const res = await ingest(w.base, w.keys.acme, { batch: Array.from({ length: 50 }, (_, i) => ({ event: 'crash.test', user: `v${i}` })) });
    expect(res.status).toBe(200);
    // A shipper that recorded its batch in flight, inserted part of it and died before dequeuing it.
    const { rows } = await w.db.pool.query(
      `SELECT e.id, floor(extract(epoch FROM e."timestamp"))::bigint AS ts FROM events_pending p JOIN events e ON e.id = p.event_id ORDER BY e.id`,
    );
    const ids = rows.map((r) => r.id as number);
    expect(ids.length).toBe(50);
    await w.db.pool.query('INSERT INTO events_in_flight (first_event_id, last_event_id) VALUES ($1, $2)', [ids[0], ids[49]]);
    await w.ch.client.insert({
      table: 'events',
      format: 'JSONEachRow',
      values: rows.slice(0, 30).map((r) => ({ id: r.id, tenant_id: w.acme.id, ts: Number(r.ts), event: 'crash.test', distinct_id: 'x' })),
    });
    const r = await w.shipper.shipOnce();
    expect(r).toMatchObject({ dequeued: 50, inserted: 20, alreadyShipped: 30 });
    expect(await pending(w.db)).toBe(0);
    expect(Number((await w.db.pool.query('SELECT count(*) AS n FROM events_in_flight')).rows[0].n)).toBe(0);
    expect(await count(`event = 'crash.test'`)).toBe(50);
    expect(await distinctIds()).toBe(before + 50);
    expect(await rollupCount()).toBe(before + 50);
    // Shipping again finds nothing.
    expect(await w.shipper.drain()).toBe(0);
    expect(await count()).toBe(before + 50);
  });

  it('tops the rollup up when an interrupted attempt left rows in the raw table but not in the hourly view', async () => {
    const before = await rollupCount();
    expect(before).toBe(await count());
    const res = await ingest(w.base, w.keys.globex, {
      batch: Array.from({ length: 40 }, (_, i) => ({ event: i % 2 ? 'lost.a' : 'lost.b', user: `u${i % 7}`, timestamp: new Date(Date.UTC(2025, 0, 1, i % 3)).toISOString() })),
    });
    expect(res.status).toBe(200);
    const { rows } = await w.db.pool.query(
      `SELECT e.id, e.tenant_id, e.event_name, floor(extract(epoch FROM e."timestamp"))::bigint AS ts, e.event_properties->>'$distinct_id' AS visitor
       FROM events_pending p JOIN events e ON e.id = p.event_id ORDER BY e.id`,
    );
    await w.db.pool.query('INSERT INTO events_in_flight (first_event_id, last_event_id) VALUES ($1, $2)', [rows[0].id, rows[rows.length - 1].id]);
    // The raw table got 25 of them, the view none (its part lost in the interruption).
    await w.ch.client.command({ query: 'DETACH TABLE events_hourly_mv' });
    await w.ch.client.insert({
      table: 'events',
      format: 'JSONEachRow',
      values: rows.slice(0, 25).map((r) => ({ id: r.id, tenant_id: r.tenant_id, ts: Number(r.ts), event: r.event_name, distinct_id: `v:${r.visitor}` })),
    });
    await w.ch.client.command({ query: 'ATTACH TABLE events_hourly_mv' });
    expect(await rollupCount()).toBe(before);
    const r = await w.shipper.shipOnce();
    expect(r).toMatchObject({ dequeued: 40, inserted: 15, alreadyShipped: 25 });
    expect(await count(`event IN ('lost.a', 'lost.b')`)).toBe(40);
    expect(await rollupCount()).toBe(before + 40);
    // Per group, the rollup equals the raw table (events and users).
    const cmp = await chRows<{ h: string; e: string; raw: string; rolled: string; ru: string; rr: string }>(
      w.ch.client,
      `SELECT h, e, raw, rolled, ru, rr FROM
         (SELECT toStartOfHour(ts) AS h, event AS e, count() AS raw, uniqIf(distinct_id, distinct_id != '') AS ru FROM events WHERE event IN ('lost.a', 'lost.b') GROUP BY h, e)
       ANY LEFT JOIN
         (SELECT hour AS h, event AS e, countMerge(events) AS rolled, uniqIfMerge(users) AS rr FROM events_hourly WHERE event IN ('lost.a', 'lost.b') GROUP BY h, e)
       USING (h, e) ORDER BY h, e`,
    );
    expect(cmp.length).toBe(6);
    for (const c of cmp) expect([Number(c.rolled), Number(c.rr)]).toEqual([Number(c.raw), Number(c.ru)]);
  });

  it('bounds batches by rows and ships them in id order', async () => {
    const res = await ingest(w.base, w.keys.globex, { batch: Array.from({ length: 250 }, (_, i) => ({ event: 'batch.test', properties: { i } })) });
    expect(res.status).toBe(200);
    const small = new Shipper(w.db.pool, w.ch.client, { maxRows: 100, log: () => {} });
    expect(await small.shipOnce()).toMatchObject({ dequeued: 100, inserted: 100, full: true });
    expect(await small.shipOnce()).toMatchObject({ dequeued: 100, inserted: 100, full: true });
    expect(await small.shipOnce()).toMatchObject({ dequeued: 50, inserted: 50, full: false });
    expect(await small.shipOnce()).toMatchObject({ dequeued: 0 });
    const shipped = await chRows<{ i: string }>(w.ch.client, `SELECT prop_values[indexOf(prop_keys, 'i')] AS i FROM events WHERE event = 'batch.test' ORDER BY id`);
    expect(shipped.map((r) => Number(r.i))).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('keeps events queued while ClickHouse is unreachable, and ships them when it answers', async () => {
    const down = createClient({ url: 'http://127.0.0.1:1', log: { level: ClickHouseLogLevel.OFF } });
    const logs: string[] = [];
    const blocked = new Shipper(w.db.pool, down, { log: (m) => logs.push(m) });
    expect((await ingest(w.base, w.keys.acme, { event: 'while.down' })).status).toBe(200);
    await expect(blocked.shipOnce()).rejects.toThrow();
    expect(await pending(w.db)).toBe(1);
    // The loop logs once and keeps trying.
    blocked.start();
    await new Promise((r) => setTimeout(r, 600));
    await blocked.stop();
    expect(logs.length).toBe(1);
    expect(logs[0]).toMatch(/events wait in PostgreSQL/);
    expect(await pending(w.db)).toBe(1);
    await down.close();
    expect(await w.shipper.drain()).toBe(1);
    expect(await count(`event = 'while.down'`)).toBe(1);
  });

  it('takes ids of events deleted before shipping off the queue', async () => {
    expect((await ingest(w.base, w.keys.acme, { batch: [{ event: 'gone' }, { event: 'kept' }] })).status).toBe(200);
    await w.db.pool.query(`DELETE FROM events WHERE event_name = 'gone'`);
    expect(await w.shipper.shipOnce()).toMatchObject({ dequeued: 2, inserted: 1 });
    expect(await pending(w.db)).toBe(0);
  });

  it('one shipper at a time: a second one waits for the lock', async () => {
    expect((await ingest(w.base, w.keys.acme, { event: 'locked' })).status).toBe(200);
    const holder = await w.db.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7140230)');
      expect(await w.shipper.shipOnce()).toMatchObject({ dequeued: 0 });
    } finally {
      await holder.query('SELECT pg_advisory_unlock(7140230)');
      holder.release();
    }
    expect(await w.shipper.shipOnce()).toMatchObject({ dequeued: 1 });
  });
});

describe('retention', () => {
  it('deletes shipped events older than the retention period; queued ones stay, however old', async () => {
    expect((await ingest(w.base, w.keys.acme, { event: 'old.unshipped' })).status).toBe(200);
    await w.db.pool.query(`UPDATE events SET created_at = now() - interval '30 days' WHERE event_name IN ('old.unshipped', 'crash.test')`);
    const old = async (where: string) => Number((await w.db.pool.query(`SELECT count(*) AS n FROM events WHERE created_at < now() - interval '7 days' AND ${where}`)).rows[0].n);
    // The demo's events of more than 7 days ago (its events span the 90 days before the load day) and the 50 aged above.
    const demoOld = await old(`event_name NOT IN ('old.unshipped', 'crash.test')`);
    expect(demoOld).toBeGreaterThan(0);
    expect(await old(`event_name <> 'old.unshipped'`)).toBe(demoOld + 50);
    const recent = Number((await w.db.pool.query(`SELECT count(*) AS n FROM events WHERE created_at >= now() - interval '7 days'`)).rows[0].n);
    expect(await w.shipper.purgeShipped(7, 400)).toBe(demoOld + 50); // in chunks of 400
    const left = (await w.db.pool.query(`SELECT event_name, count(*)::int AS n FROM events WHERE event_name IN ('old.unshipped', 'crash.test') GROUP BY 1`)).rows;
    expect(left).toEqual([{ event_name: 'old.unshipped', n: 1 }]);
    expect(Number((await w.db.pool.query(`SELECT count(*) AS n FROM events`)).rows[0].n)).toBe(recent + 1);
    // ClickHouse keeps them.
    expect(await count(`event = 'crash.test'`)).toBe(50);
  });
});

describe('idRanges', () => {
  it('compresses sorted ids into at most N covering ranges', () => {
    expect(idRanges([1, 2, 3, 7, 8, 20])).toEqual([[1, 3], [7, 8], [20, 20]]);
    expect(idRanges([1, 2, 3, 7, 8, 20], 2)).toEqual([[1, 8], [20, 20]]);
    expect(idRanges([])).toEqual([]);
    // 100k scattered ids: still at most 64 ranges, covering all of them. (No clock here: a timed test fails on a
    // loaded machine; the recovery's speed is bench:ingest's to show.)
    const scattered = Array.from({ length: 100_000 }, (_, i) => i * 3 + (i % 7 === 0 ? 1 : 0));
    const ranges = idRanges(scattered);
    expect(ranges.length).toBe(64);
    expect(scattered.every((id) => ranges.some(([a, b]) => id >= a && id <= b))).toBe(true);
  });
});
