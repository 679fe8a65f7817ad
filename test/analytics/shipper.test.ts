// The outbox shipper on real PostgreSQL and ClickHouse: batches move exactly once, whatever fails between the
// ClickHouse insert and the dequeue; queued events wait while ClickHouse is unreachable; shipped rows leave
// PostgreSQL after the retention period, queued ones never.
import { describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { idRanges, Shipper } from '../../analytics/shipper';
import { chCount, chRows, ingest, pending, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();

const count = (where = '1') => chCount(w.ch.client, `SELECT count() AS n FROM events WHERE ${where}`);
const distinctIds = () => chCount(w.ch.client, 'SELECT uniqExact(id) AS n FROM events');
const rollupCount = () => chCount(w.ch.client, 'SELECT countMerge(events) AS n FROM events_hourly');

describe('shipping', () => {
  it('ships the demo outbox (queued by the migration and the seed) with every column, then dequeues it', async () => {
    const queued = await pending(w.db);
    expect(queued).toBe(1000); // 500 demo events per tenant
    expect(await w.shipper.drain()).toBe(1000);
    expect(await pending(w.db)).toBe(0);
    expect(await count()).toBe(1000);
    expect(await distinctIds()).toBe(1000);
    expect(await rollupCount()).toBe(1000);

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

  it('never inserts an event twice: a batch ClickHouse already holds (crash before the dequeue) is only dequeued', async () => {
    const before = await count();
    const res = await ingest(w.base, w.keys.acme, { batch: Array.from({ length: 50 }, (_, i) => ({ event: 'crash.test', user: `v${i}` })) });
    expect(res.status).toBe(200);
    // A shipper that inserted the batch and died before dequeuing it: insert the same rows directly.
    const { rows } = await w.db.pool.query('SELECT event_id FROM events_pending ORDER BY event_id');
    const ids = rows.map((r) => r.event_id as number);
    expect(ids.length).toBe(50);
    const half = ids.slice(0, 30);
    await w.ch.client.insert({
      table: 'events',
      format: 'JSONEachRow',
      values: half.map((id) => ({ id, tenant_id: w.acme.id, ts: Math.floor(Date.now() / 1000), event: 'crash.test', distinct_id: 'x' })),
    });
    const r = await w.shipper.shipOnce();
    expect(r).toMatchObject({ dequeued: 50, inserted: 20, alreadyShipped: 30 });
    expect(await pending(w.db)).toBe(0);
    expect(await count(`event = 'crash.test'`)).toBe(50);
    expect(await distinctIds()).toBe(before + 50);
    // Shipping again finds nothing.
    expect(await w.shipper.drain()).toBe(0);
    expect(await count()).toBe(before + 50);
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
    const demoEvents = Number((await w.db.pool.query(`SELECT count(*) AS n FROM events WHERE created_at < now() - interval '7 days' AND event_name <> 'old.unshipped'`)).rows[0].n);
    expect(demoEvents).toBe(1050); // the demo's 1000 (created in the demo's past) and the 50 aged above
    const recent = Number((await w.db.pool.query(`SELECT count(*) AS n FROM events WHERE created_at >= now() - interval '7 days'`)).rows[0].n);
    expect(await w.shipper.purgeShipped(7, 400)).toBe(1050); // in chunks of 400
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
  });
});
