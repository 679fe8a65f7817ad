// A client that retries a batch (its answer was lost: a timeout, a restart) must not store it twice: events
// carry the sender's `uuid`, or the batch an Idempotency-Key, and the outbox keeps one row per id and tenant,
// so ClickHouse gets each event once. The retry is answered like the first attempt.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chCount, ingest, pending, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld({ handOff: true });

const inClickHouse = async (event: string) => {
  const where = `event = '${event}'`;
  return {
    rows: await chCount(w.ch.client, `SELECT count() AS n FROM events WHERE ${where}`),
    rollup: await chCount(w.ch.client, `SELECT countMerge(events) AS n FROM events_hourly WHERE ${where}`),
  };
};
const outbox = async (event: string) => Number((await w.db.pool.query('SELECT count(*) AS n FROM events WHERE event_name = $1', [event])).rows[0].n);
const withUuids = (event: string, n: number) => ({ batch: Array.from({ length: n }, (_, i) => ({ event, uuid: randomUUID(), properties: { seq: i } })) });
const plain = (event: string, n: number) => ({ batch: Array.from({ length: n }, (_, i) => ({ event, properties: { seq: i } })) });

describe('ingest retries', () => {
  it('a batch of events with uuids sent twice is stored once; the retry gets the same answer', async () => {
    await w.shipper.drain();
    const body = withUuids('retry.uuid', 500);
    const first = await ingest(w.base, w.keys.acme, body);
    const again = await ingest(w.base, w.keys.acme, body);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(first.body.accepted).toBe(500);
    expect(await outbox('retry.uuid')).toBe(500);
    await w.shipper.drain();
    expect(await inClickHouse('retry.uuid')).toEqual({ rows: 500, rollup: 500 });
    expect(await pending(w.db)).toBe(0);
  });

  it('the same batch under one Idempotency-Key, sent three times at once and once after, is stored once', async () => {
    const body = plain('retry.key', 1000);
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => ingest(w.base, w.keys.acme, body, { 'idempotency-key': key })));
    expect(answers.map((a) => [a.status, a.body.accepted])).toEqual([[200, 1000], [200, 1000], [200, 1000]]);
    await w.shipper.drain();
    expect((await ingest(w.base, w.keys.acme, body, { 'idempotency-key': key })).status).toBe(200);
    await w.shipper.drain();
    expect(await outbox('retry.key')).toBe(1000);
    expect(await inClickHouse('retry.key')).toEqual({ rows: 1000, rollup: 1000 });
    // Another key is another batch; no key at all is no promise.
    expect((await ingest(w.base, w.keys.acme, body, { 'idempotency-key': randomUUID() })).status).toBe(200);
    expect((await ingest(w.base, w.keys.acme, plain('retry.nokey', 10))).status).toBe(200);
    expect((await ingest(w.base, w.keys.acme, plain('retry.nokey', 10))).status).toBe(200);
    await w.shipper.drain();
    expect(await inClickHouse('retry.key')).toEqual({ rows: 2000, rollup: 2000 });
    expect((await inClickHouse('retry.nokey')).rows).toBe(20);
  });

  it('a retry that adds events stores only the new ones; the same uuid in another tenant is another event', async () => {
    const body = withUuids('retry.grow', 100);
    expect((await ingest(w.base, w.keys.acme, { batch: body.batch.slice(0, 60) })).status).toBe(200);
    const grown = await ingest(w.base, w.keys.acme, body);
    expect([grown.status, grown.body.accepted]).toEqual([200, 100]);
    expect((await ingest(w.base, w.keys.globex, body)).status).toBe(200);
    await w.shipper.drain();
    expect(await chCount(w.ch.client, `SELECT count() AS n FROM events WHERE event = 'retry.grow' AND tenant_id = ${w.acme.id}`)).toBe(100);
    expect(await chCount(w.ch.client, `SELECT count() AS n FROM events WHERE event = 'retry.grow' AND tenant_id = ${w.globex.id}`)).toBe(100);
  });

  it('a malformed uuid or Idempotency-Key is a 400 naming it, and nothing is written', async () => {
    const before = await outbox('retry.bad');
    const bad = await ingest(w.base, w.keys.acme, { batch: [{ event: 'retry.bad', uuid: 'not-a-uuid' }, { event: 'retry.bad', uuid: 42 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toMatchObject({ 'batch[0].uuid': expect.stringMatching(/UUID/), 'batch[1].uuid': expect.stringMatching(/UUID/) });
    const badKey = await ingest(w.base, w.keys.acme, plain('retry.bad', 2), { 'idempotency-key': 'has spaces in it' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error).toMatch(/Idempotency-Key/);
    expect(await outbox('retry.bad')).toBe(before);
  });
});
