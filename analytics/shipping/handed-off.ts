// The hand-off path of a shipping cycle: rows committed by this process's ingest requests (analytics/hand-off.ts),
// not read back. Only those still queued in PostgreSQL and in no range in flight are shipped here (another
// shipper, or a failed attempt of this one, may have had them: the PostgreSQL path then sorts them out); the
// others go back to that path. These rows were never attempted before, so no ClickHouse check is needed:
// record the range, insert, dequeue.
import type pg from 'pg';
import type { HandedBatch } from '../hand-off';
import type { ShipContext, ShipResult } from './batch';

/** The lines of a handed-over batch whose ids are in `keep` (its lines are in the order of its ids). */
function onlyLines(batch: HandedBatch, keep: Set<number>): string {
  const lines = batch.tsv.split('\n');
  return batch.ids.flatMap((id, i) => (keep.has(id) ? [`${lines[i]}\n`] : [])).join('');
}

export async function shipHandedOff(conn: pg.PoolClient, ctx: ShipContext): Promise<ShipResult> {
  const { handOff, client, target } = ctx;
  const taken = handOff.take(ctx.maxRows);
  const takenIds = taken.flatMap((b) => b.ids);
  let mine: number[] = [];
  try {
    const { rows } = await conn.query<{ ids: number[] }>(
      `SELECT array(SELECT p.event_id FROM events_pending p WHERE p.event_id = ANY($1::int[])
         AND NOT EXISTS (SELECT 1 FROM events_in_flight f WHERE p.event_id BETWEEN f.first_event_id AND f.last_event_id)) AS ids`,
      [takenIds],
    );
    const shippable = new Set(rows[0]!.ids);
    mine = takenIds.filter((id) => shippable.has(id));
    handOff.release(takenIds.filter((id) => !shippable.has(id)));
    if (!mine.length) return { dequeued: 0, inserted: 0, alreadyShipped: 0, full: handOff.size > 0 };
    let [first, last] = [mine[0]!, mine[0]!];
    for (const id of mine) [first, last] = [Math.min(first, id), Math.max(last, id)];
    await conn.query('INSERT INTO events_in_flight (first_event_id, last_event_id) VALUES ($1, $2)', [first, last]);
    const body = mine.length === takenIds.length ? taken.map((b) => b.tsv) : taken.map((b) => onlyLines(b, shippable));
    await target.insert(client, body, first, last);
    await conn.query(
      `WITH done AS (DELETE FROM events_pending WHERE event_id = ANY($1::int[]))
       DELETE FROM events_in_flight WHERE first_event_id = $2 AND last_event_id = $3`,
      [mine, first, last],
    );
  } finally {
    // Dequeued, or (after a failure) given back to PostgreSQL's path, which checks ClickHouse first.
    handOff.release(mine);
  }
  return { dequeued: mine.length, inserted: mine.length, alreadyShipped: 0, full: handOff.size > 0 };
}
