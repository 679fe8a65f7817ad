// The shipper's in-memory hand-off (analytics/hand-off.ts) on real PostgreSQL and ClickHouse: the ingest API
// hands committed batches to the shipper, which ships them without reading them back; PostgreSQL's queue stays
// the truth, so the PostgreSQL path and the hand-off never ship an event twice, a crash between the commit and
// the hand-off's shipment leaves the events queued for the PostgreSQL path, and a failed attempt hands its rows
// back to that path. Also: the TabSeparated rows round-trip exactly through ClickHouse.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseClient } from '../../analytics/clickhouse';
import { tsvLine, TSV_INSERT, type ShipRow } from '../../analytics/clickhouse-row';
import { acceptEvents, ingestLimits, parseBody, type IngestSender } from '../../analytics/ingest';
import { emitEvent } from '../../analytics/outbox';
import { Shipper } from '../../analytics/shipper';
import { ScopedData } from '../../domain/scoped-data';
import { chCount, chRows, ingest, pending, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld({ handOff: true });

const count = (where = '1') => chCount(w.ch.client, `SELECT count() AS n FROM events WHERE ${where}`);
const distinctIds = (where = '1') => chCount(w.ch.client, `SELECT uniqExact(id) AS n FROM events WHERE ${where}`);
const rollup = (where = '1') => chCount(w.ch.client, `SELECT countMerge(events) AS n FROM events_hourly WHERE ${where}`);
const inFlight = async () => Number((await w.db.pool.query('SELECT count(*) AS n FROM events_in_flight')).rows[0].n);

const batch = (event: string, n: number, extra: Record<string, unknown> = {}) => ({
  batch: Array.from({ length: n }, (_, i) => ({ event, user: `visitor-${i % 13}`, properties: { i, ...extra } })),
});

/** Every event named `event` is in ClickHouse exactly once: raw table (rows, distinct ids) and rollup. */
async function exactlyOnce(event: string, n: number) {
  const where = `event = '${event}'`;
  expect([await count(where), await distinctIds(where), await rollup(where)]).toEqual([n, n, n]);
}

describe('the hand-off', () => {
  it('ships the demo outbox through PostgreSQL, then handed-over batches without reading them back', async () => {
    await w.shipper.drain(); // the demo's events (written before the hand-off existed)
    expect((await ingest(w.base, w.keys.acme, batch('handed.a', 300))).status).toBe(200);
    expect((await ingest(w.base, w.keys.globex, batch('handed.a', 200))).status).toBe(200);
    expect(w.shipper.handOff.size).toBe(500);
    expect(await pending(w.db)).toBe(500);
    const r = await w.shipper.shipOnce();
    expect(r).toMatchObject({ dequeued: 500, inserted: 500, alreadyShipped: 0 });
    expect(w.shipper.handOff.size).toBe(0);
    expect(w.shipper.handOff.reservedCount).toBe(0);
    expect(await pending(w.db)).toBe(0);
    expect(await inFlight()).toBe(0);
    await exactlyOnce('handed.a', 500);
  });

  it('renders the same ClickHouse row as the PostgreSQL path, nested properties included', async () => {
    const event = {
      event: 'parity',
      user: 'visitor-Ω',
      timestamp: '2025-02-03T04:05:06.789Z',
      properties: { z: { b: 1, aa: [2, { y: null, x: 'é' }] }, a: 'tab\there', n: 1.5, t: true, empty: null },
      url: 'https://example.test/a?b=c',
      session: 's\\1',
      source: 'web',
    };
    // Once through the hand-off, once through PostgreSQL (a shipper without the hand-off reads it back).
    expect((await ingest(w.base, w.keys.acme, event, { 'user-agent': 'agent\t1' })).status).toBe(200);
    await w.shipper.shipOnce();
    w.shipper.handOff.close();
    try {
      expect((await ingest(w.base, w.keys.acme, event, { 'user-agent': 'agent\t1' })).status).toBe(200);
      expect(w.shipper.handOff.size).toBe(0);
      expect(await w.shipper.drain()).toBe(1);
    } finally {
      w.shipper.handOff.resume();
    }
    const rows = await chRows<Record<string, unknown>>(
      w.ch.client,
      `SELECT tenant_id, toUnixTimestamp(ts) AS t, event, user_id, distinct_id, workspace_id, session_id, url, source, user_agent, ip, prop_keys, prop_values
       FROM events WHERE event = 'parity' ORDER BY id`,
    );
    expect(rows.length).toBe(2);
    expect(rows[0]).toEqual(rows[1]);
    expect(rows[0]).toMatchObject({
      distinct_id: 'v:visitor-Ω',
      session_id: 's\\1',
      user_agent: 'agent\t1',
      prop_keys: ['a', 'empty', 'n', 't', 'z'],
      // Nested objects in jsonb's key order (shorter keys first), whichever path the row took.
      prop_values: ['tab\there', '', '1.5', 'true', '{"b":1,"aa":[2,{"x":"é","y":null}]}'],
    });
  });

  it('never ships an event both ways: the PostgreSQL path skips what the hand-off holds, while requests commit', async () => {
    // Domain events (PostgreSQL path only) interleaved with handed-over ingest batches, while the world's shipper
    // (hand-off first) and a second shipper (another app instance: PostgreSQL path only) take turns.
    const data = new ScopedData(w.db);
    const otherInstance = new Shipper(w.db.pool, w.ch.client, { flushIntervalMs: 0, log: () => {} });
    let stop = false;
    const shipping = (async () => {
      while (!stop) {
        await w.shipper.shipOnce();
        await otherInstance.shipOnce();
      }
    })();
    for (let b = 0; b < 20; b++) {
      await Promise.all([
        ingest(w.base, w.keys.acme, batch('both.ways', 250)),
        ingest(w.base, w.keys.globex, batch('both.ways', 250)),
        data.inTenant(w.acme.id, null, (tx) => emitEvent(tx, { event: 'both.ways', userId: null, workspaceId: null, properties: { b } })),
      ]).then((answers) => answers.slice(0, 2).forEach((a) => expect((a as { status: number }).status).toBe(200)));
    }
    stop = true;
    await shipping;
    await w.shipper.drain();
    expect(await pending(w.db)).toBe(0);
    expect(await inFlight()).toBe(0);
    await exactlyOnce('both.ways', 20 * 500 + 20);
    expect(w.shipper.handOff.reservedCount).toBe(0);
  });

  it('a crash after the commit, before the hand-off shipped: the events stay queued and the PostgreSQL path ships them once', async () => {
    expect((await ingest(w.base, w.keys.acme, batch('crashed.handoff', 400))).status).toBe(200);
    expect(w.shipper.handOff.size).toBe(400);
    // The process dies: its memory is gone. A new process's shipper finds the events in PostgreSQL's queue.
    const next = new Shipper(w.db.pool, w.ch.client, { log: () => {} });
    expect(await next.drain()).toBe(400);
    expect(await pending(w.db)).toBe(0);
    await exactlyOnce('crashed.handoff', 400);
    // Had the first process lived on (another instance shipped its events meanwhile), its hand-off ships nothing.
    expect(await w.shipper.shipOnce()).toMatchObject({ dequeued: 0, inserted: 0 });
    expect(w.shipper.handOff.reservedCount).toBe(0);
    await exactlyOnce('crashed.handoff', 400);
  });

  it('a failed ClickHouse insert hands the batch back to the PostgreSQL path, which ships it exactly once', async () => {
    const down = createClient({ url: 'http://127.0.0.1:1', log: { level: ClickHouseLogLevel.OFF } });
    let client: ClickHouseClient = down;
    const flaky = new Shipper(w.db.pool, () => client, { log: () => {} });
    flaky.handOff.resume();
    // An ingest request of an app whose shipper is `flaky`.
    const sender: IngestSender = { kind: 'key', tenantId: w.acme.id, keyId: 0, workspaceId: null };
    await acceptEvents(new ScopedData(w.db), sender, parseBody(batch('failed.insert', 300), sender, ingestLimits()), undefined, undefined, flaky.handOff);
    expect(flaky.handOff.size).toBe(300);
    await expect(flaky.shipOnce()).rejects.toThrow();
    expect(flaky.handOff.size).toBe(0);
    expect(flaky.handOff.reservedCount).toBe(0); // given back
    expect(await pending(w.db)).toBe(300);
    expect(await inFlight()).toBe(1); // the attempt's range: the PostgreSQL path checks ClickHouse first
    client = w.ch.client;
    expect(await flaky.drain()).toBe(300);
    expect(await inFlight()).toBe(0);
    await exactlyOnce('failed.insert', 300);
    await down.close();
  });

  it('a refused request reserves nothing', async () => {
    const res = await ingest(w.base, w.keys.acme, { batch: [{ event: 'ok' }, { event: 'bad', workspace: 999_999 }] });
    expect(res.status).toBe(400);
    expect(w.shipper.handOff.reservedCount).toBe(0);
    expect(w.shipper.handOff.size).toBe(0);
  });
});

describe('TabSeparated rows', () => {
  it('round-trip exactly through ClickHouse: tabs, newlines, backslashes, quotes, brackets, unicode', async () => {
    const nasty = ['tab\there', 'line\nbreak', 'cr\rlf', 'back\\slash', "it's", '"dq"', '[a,b]', "['x']", 'é 漢字 😀', '\\t not a tab', '', ' lead', 'nul\0byte', '\b\f'];
    const rows: ShipRow[] = nasty.map((text, i) => ({
      id: 9_000_000 + i,
      tenantId: 77,
      ts: 1_735_689_600 + i,
      event: `tsv ${text}`,
      userId: null,
      workspaceId: i,
      sessionId: text,
      url: text,
      source: text,
      userAgent: text,
      ip: text,
      properties: { [`k\t${i}`]: text, nested: { text }, $distinct_id: text },
      receivedAt: 1_735_689_600,
    }));
    const body = rows.map(tsvLine).join('');
    const result = await w.ch.client.exec({ query: TSV_INSERT, values: Readable.from([body]) });
    result.stream.destroy();
    const back = await chRows<Record<string, any>>(
      w.ch.client,
      `SELECT id, toUnixTimestamp(ts) AS t, event, distinct_id, workspace_id, session_id, url, source, user_agent, ip, prop_keys, prop_values
       FROM events WHERE tenant_id = 77 ORDER BY id`,
    );
    expect(back.length).toBe(nasty.length);
    back.forEach((r, i) => {
      const text = nasty[i]!;
      expect(r).toEqual({
        id: String(9_000_000 + i),
        t: 1_735_689_600 + i,
        event: `tsv ${text}`,
        distinct_id: `v:${text}`,
        workspace_id: i,
        session_id: text,
        url: text,
        source: text,
        user_agent: text,
        ip: text,
        prop_keys: [`k\t${i}`, 'nested'].sort(),
        prop_values: [`k\t${i}`, 'nested'].sort().map((k) => (k === 'nested' ? JSON.stringify({ text }) : text)),
      });
    });
  });
});
