// The PostgreSQL path of a shipping cycle: the oldest queued ids the hand-off does not hold, read back from
// PostgreSQL with their events' columns. Events of other writers, of requests past the hand-off's capacity and
// of attempts that failed go this way; a batch holding ids of a range still in flight is checked against
// ClickHouse first (clickhouse-target.ts).
import type pg from 'pg';
import { tsvLine, type ShipRow } from '../clickhouse-row';
import { NOTHING_SHIPPED, type ShipContext, type ShipResult } from './batch';

const epoch = (column: string) => `greatest(0, least(4294967295, floor(extract(epoch FROM ${column}))))::bigint`;

/** The oldest queued ids (the PostgreSQL path then skips those the hand-off holds). */
const HEAD_SQL = 'SELECT array(SELECT event_id FROM events_pending ORDER BY event_id LIMIT $1) AS ids';

/**
 * The rows of these queued ids (in id order, up to about $2 bytes, at least one), each with its event's columns,
 * or NULLs when the event was deleted before shipping. Times as epoch seconds and properties as JSON text, so
 * Node does no date work the row does not need.
 */
const ROWS_SQL = `
WITH head AS (
  SELECT unnest($1::int[]) AS event_id
), sized AS (
  SELECT h.event_id,
         sum(CASE WHEN e.id IS NULL THEN 8 ELSE 300 + pg_column_size(e.event_properties) + coalesce(octet_length(e.url), 0)
               + coalesce(octet_length(e.user_agent), 0) + octet_length(e.event_name) END) OVER (ORDER BY h.event_id) AS running
  FROM head h LEFT JOIN events e ON e.id = h.event_id
)
SELECT s.event_id, e.id, e.tenant_id, ${epoch('e."timestamp"')} AS ts, e.event_name, e.user_id, e.workspace_id, e.session_id,
       e.url, e.source, e.user_agent, e.ip_address, e.event_properties::text AS properties, ${epoch('e.created_at')} AS received_at
FROM sized s LEFT JOIN events e ON e.id = s.event_id
WHERE s.running <= $2 OR s.event_id = (SELECT min(event_id) FROM head)
ORDER BY s.event_id`;

interface OutboxRow {
  event_id: number;
  id: number | null;
  tenant_id: number;
  ts: string;
  event_name: string;
  user_id: number | null;
  workspace_id: number | null;
  session_id: string | null;
  url: string | null;
  source: string | null;
  user_agent: string | null;
  ip_address: string | null;
  properties: string;
  received_at: string;
}

/** A present outbox row as the ClickHouse row (clickhouse-row.ts). */
function shipRow(r: OutboxRow): ShipRow {
  return {
    id: r.id!,
    tenantId: r.tenant_id,
    ts: Number(r.ts),
    event: r.event_name,
    userId: r.user_id,
    workspaceId: r.workspace_id,
    sessionId: r.session_id,
    url: r.url,
    source: r.source,
    userAgent: r.user_agent,
    ip: r.ip_address,
    properties: JSON.parse(r.properties) as Record<string, unknown>,
    receivedAt: Number(r.received_at),
  };
}

/** The rows as one TabSeparated body, in chunks (one string of 100k rows would be built and copied twice). */
function tsvBody(rows: readonly ShipRow[]): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < rows.length; i += 2000) {
    let chunk = '';
    for (let j = i; j < Math.min(rows.length, i + 2000); j++) chunk += tsvLine(rows[j]!);
    chunks.push(chunk);
  }
  return chunks;
}

/**
 * One batch of the PostgreSQL path. Reads as many ids more as the hand-off holds, so that those never hide
 * the others.
 */
export async function shipQueued(conn: pg.PoolClient, ctx: ShipContext): Promise<ShipResult> {
  const { maxRows, maxBytes, handOff, client, target } = ctx;
  const limit = maxRows + handOff.reservedCount;
  const { rows: head } = await conn.query<{ ids: number[] }>(HEAD_SQL, [limit]);
  const queued = head[0]!.ids.filter((id) => !handOff.isReserved(id));
  if (!queued.length) return NOTHING_SHIPPED;
  const wanted = queued.slice(0, maxRows);
  const { rows } = await conn.query<OutboxRow>(ROWS_SQL, [wanted, maxBytes]);
  const ids = rows.map((r) => r.event_id);
  const full = head[0]!.ids.length >= limit || queued.length > ids.length;
  const present = rows.filter((r) => r.id !== null).map(shipRow);

  let toInsert = present;
  if (present.length) {
    const { rows: open } = await conn.query<{ first_event_id: number; last_event_id: number }>('SELECT first_event_id, last_event_id FROM events_in_flight');
    const suspect = present.filter((r) => open.some((f) => r.id >= f.first_event_id && r.id <= f.last_event_id));
    if (suspect.length) {
      const there = await target.alreadyThere(client, suspect);
      if (there.size) {
        toInsert = present.filter((r) => !there.has(r.id));
        await target.topUpRollup(client, suspect.filter((r) => there.has(r.id)));
      }
    }
    if (toInsert.length) {
      await conn.query('INSERT INTO events_in_flight (first_event_id, last_event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        toInsert[0]!.id,
        toInsert[toInsert.length - 1]!.id,
      ]);
      await target.insert(client, tsvBody(toInsert), toInsert[0]!.id, toInsert[toInsert.length - 1]!.id);
    }
  }
  // The dequeue, and the end of every range in flight none of whose events is still queued.
  await conn.query(`WITH done AS (DELETE FROM events_pending WHERE event_id = ANY($1::int[]))
    DELETE FROM events_in_flight f WHERE NOT EXISTS (
      SELECT 1 FROM events_pending p WHERE p.event_id BETWEEN f.first_event_id AND f.last_event_id AND p.event_id <> ALL($1::int[]))`, [ids]);
  return { dequeued: ids.length, inserted: toInsert.length, alreadyShipped: present.length - toInsert.length, full };
}
