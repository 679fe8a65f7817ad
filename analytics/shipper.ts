// The shipper: moves outbox events (PostgreSQL `events`, queued in `events_pending`) to ClickHouse in large
// batches, exactly once, and later removes shipped rows from PostgreSQL.
//
// One cycle, under a PostgreSQL advisory lock (one shipper at a time, however many app instances run):
//   1. a batch: rows this process's ingest requests committed and handed over in memory (analytics/hand-off.ts;
//      those still queued in PostgreSQL and in no range in flight), else the oldest queued ids the hand-off
//      does not hold, read back from PostgreSQL with their events' columns;
//   2. the batch's id range is recorded in events_in_flight (committed before anything reaches ClickHouse);
//   3. the batch is inserted in one INSERT, TabSeparated (analytics/clickhouse-row.ts; the raw table, and the
//      materialized views follow from it);
//   4. one transaction dequeues the ids and removes the in-flight range.
// A crash or error anywhere leaves the ids queued and the range in flight (and hands the batch back to the
// PostgreSQL path). ClickHouse writes are not transactional: the interrupted INSERT may have left all, some or
// none of the rows in the raw table, and each materialized view may or may not have seen them. So when a batch
// holds ids of a range still in flight, the shipper first waits for any ship INSERT still running in ClickHouse,
// then asks the raw table which of those ids it holds: it inserts only the others, and for the ones already
// there it tops the hourly rollup up to what the raw table holds. Nothing is lost, nothing counted twice, in
// the raw table or the rollup. Without a range in flight (every batch of a healthy shipper) no check is made:
// the normal path costs one INSERT into ClickHouse. With ClickHouse down, cycles fail and back off; events
// wait in PostgreSQL.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { clickhouseErrorCode, type ClickHouseClient } from './clickhouse';
import { migrateClickHouse } from './migrate';
import { tsvLine, TSV_INSERT, type ShipRow } from './clickhouse-row';
import { EventHandOff, type HandedBatch } from './hand-off';
import { str, uint } from './sql';

export interface ShipperOptions {
  /** Rows per ClickHouse insert at most (many small inserts overload ClickHouse; ~100k is its sweet spot). */
  maxRows?: number;
  /** Approximate bytes per insert at most (large properties make fewer rows per batch). */
  maxBytes?: number;
  /** A batch that is not full waits this long for more events: at most one small insert per interval. */
  flushIntervalMs?: number;
  /** Shipped rows older than this leave PostgreSQL (by created_at). */
  retentionDays?: number;
  /** How often the retention purge runs. */
  purgeEveryMs?: number;
  /** Longest back-off after failures (ClickHouse or PostgreSQL down). */
  maxBackoffMs?: number;
  /** Most events the ingest API may hand over in memory at once (analytics/hand-off.ts). */
  handOffCapacity?: number;
  /** Apply the ClickHouse migrations (analytics/migrations) before the first batch, retrying like a batch. */
  migrate?: boolean;
  log?: (message: string) => void;
}

export interface ShipResult {
  /** Ids taken off the queue (including those of events deleted before shipping). */
  dequeued: number;
  /** Rows inserted into ClickHouse. */
  inserted: number;
  /** Rows ClickHouse already held (an interrupted earlier attempt wrote them, but they were not dequeued). */
  alreadyShipped: number;
  /** The batch hit maxRows or maxBytes: more is probably waiting. */
  full: boolean;
}

/** Any fixed key: one shipper at a time per database. */
export const SHIPPER_LOCK = 7_140_230;
const QUERY_ID_PREFIX = 'epesi-ship-';

const DEFAULTS = {
  maxRows: 100_000,
  maxBytes: 128 * 1024 * 1024,
  flushIntervalMs: 1000,
  retentionDays: 7,
  purgeEveryMs: 10 * 60_000,
  maxBackoffMs: 30_000,
  handOffCapacity: 200_000,
  migrate: false,
};

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

/** The lines of a handed-over batch whose ids are in `keep` (its lines are in the order of its ids). */
function onlyLines(batch: HandedBatch, keep: Set<number>): string {
  const lines = batch.tsv.split('\n');
  return batch.ids.flatMap((id, i) => (keep.has(id) ? [`${lines[i]}\n`] : [])).join('');
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each tenant's time span of these rows, as a condition the primary key (tenant_id, day) narrows. */
function spanOf(rows: ShipRow[], pad = 0): string {
  const spans = new Map<number, [number, number]>();
  for (const r of rows) {
    const t = r.ts;
    const s = spans.get(r.tenantId);
    spans.set(r.tenantId, s ? [Math.min(s[0], t), Math.max(s[1], t)] : [t, t]);
  }
  if (spans.size > 200) return '1';
  return [...spans]
    .map(([tenant, [a, b]]) => `(tenant_id = ${uint(tenant)} AND ts >= toDateTime(${uint(Math.max(0, a - pad))}) AND ts <= toDateTime(${uint(b + pad)}))`)
    .join(' OR ');
}

/** Sorted ids as at most `max` closed ranges (the closest runs merged): a short WHERE on ids. */
export function idRanges(sortedIds: readonly number[], max = 64): [number, number][] {
  const runs: [number, number][] = [];
  for (const id of sortedIds) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  if (runs.length <= max) return runs;
  // Close the (runs - max) smallest gaps between neighbouring runs, in one pass.
  const gaps = runs.slice(1).map((r, i) => ({ i, size: r[0] - runs[i]![1] }));
  const closed = new Set(gaps.sort((a, b) => a.size - b.size || a.i - b.i).slice(0, runs.length - max).map((g) => g.i));
  const merged: [number, number][] = [runs[0]!];
  for (let i = 1; i < runs.length; i++) {
    if (closed.has(i - 1)) merged[merged.length - 1]![1] = runs[i]![1];
    else merged.push(runs[i]!);
  }
  return merged;
}

export class Shipper {
  /** Running totals since this shipper was created (for logs and the health of the pipeline). */
  readonly stats = { batches: 0, inserted: 0, alreadyShipped: 0, rollupRepaired: 0, failures: 0 };
  /** For the ingest API (analytics/routes.ts): committed rows handed over in memory, taken while the loop runs. */
  readonly handOff: EventHandOff;
  private readonly options: typeof DEFAULTS & { log: (message: string) => void };
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastPurge = 0;
  private lastQueueRead = 0;
  private databases = new WeakMap<ClickHouseClient, string>();

  constructor(
    private readonly pool: pg.Pool,
    /** The ClickHouse client, or a function returning the current one (it may be replaced while running). */
    private readonly clickhouse: ClickHouseClient | (() => ClickHouseClient),
    options: ShipperOptions = {},
  ) {
    this.options = { ...DEFAULTS, log: (m) => console.warn(m), ...options };
    this.handOff = new EventHandOff(this.options.handOffCapacity);
  }

  private client(): ClickHouseClient {
    return typeof this.clickhouse === 'function' ? this.clickhouse() : this.clickhouse;
  }

  /** One batch (if any is queued and no other shipper holds the lock): rows handed over in memory first. */
  async shipOnce(): Promise<ShipResult> {
    const empty: ShipResult = { dequeued: 0, inserted: 0, alreadyShipped: 0, full: false };
    const conn = await this.pool.connect();
    let failed: Error | undefined;
    try {
      const { rows: lock } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SHIPPER_LOCK]);
      if (!lock[0]?.ok) return empty;
      let result = this.handOff.size ? await this.shipHandedOff(conn) : empty;
      // PostgreSQL's queue when nothing is handed over, and now and then while the hand-off is busy (events
      // of other writers, of requests past the hand-off's capacity, of attempts that failed).
      if (result.dequeued === 0 || Date.now() - this.lastQueueRead >= this.options.flushIntervalMs) {
        this.lastQueueRead = Date.now();
        const queued = await this.shipBatch(conn);
        result = {
          dequeued: result.dequeued + queued.dequeued,
          inserted: result.inserted + queued.inserted,
          alreadyShipped: result.alreadyShipped + queued.alreadyShipped,
          full: result.full || queued.full,
        };
      }
      await conn.query('SELECT pg_advisory_unlock($1)', [SHIPPER_LOCK]);
      return result;
    } catch (err) {
      failed = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      // After a failure the connection is closed, not reused: that also releases the lock, whatever failed.
      conn.release(failed);
    }
  }

  /**
   * The PostgreSQL path: the oldest queued ids the hand-off does not hold, read back with their events. Reads
   * as many ids more as the hand-off holds, so that those never hide the others.
   */
  private async shipBatch(conn: pg.PoolClient): Promise<ShipResult> {
    const { maxRows, maxBytes } = this.options;
    const limit = maxRows + this.handOff.reservedCount;
    const { rows: head } = await conn.query<{ ids: number[] }>(HEAD_SQL, [limit]);
    const queued = head[0]!.ids.filter((id) => !this.handOff.isReserved(id));
    if (!queued.length) return { dequeued: 0, inserted: 0, alreadyShipped: 0, full: false };
    const wanted = queued.slice(0, maxRows);
    const { rows } = await conn.query<OutboxRow>(ROWS_SQL, [wanted, maxBytes]);
    const ids = rows.map((r) => r.event_id);
    const full = head[0]!.ids.length >= limit || queued.length > ids.length;
    const present = rows.filter((r) => r.id !== null).map(shipRow);

    let toInsert = present;
    if (present.length) {
      const client = this.client();
      const { rows: open } = await conn.query<{ first_event_id: number; last_event_id: number }>('SELECT first_event_id, last_event_id FROM events_in_flight');
      const suspect = present.filter((r) => open.some((f) => r.id >= f.first_event_id && r.id <= f.last_event_id));
      if (suspect.length) {
        const there = await this.inClickHouse(client, suspect);
        if (there.size) {
          toInsert = present.filter((r) => !there.has(r.id));
          await this.topUpRollup(client, suspect.filter((r) => there.has(r.id)));
        }
      }
      if (toInsert.length) {
        await conn.query('INSERT INTO events_in_flight (first_event_id, last_event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          toInsert[0]!.id,
          toInsert[toInsert.length - 1]!.id,
        ]);
        await this.insert(client, tsvBody(toInsert), toInsert[0]!.id, toInsert[toInsert.length - 1]!.id);
      }
    }
    // The dequeue, and the end of every range in flight none of whose events is still queued.
    await conn.query(`WITH done AS (DELETE FROM events_pending WHERE event_id = ANY($1::int[]))
      DELETE FROM events_in_flight f WHERE NOT EXISTS (
        SELECT 1 FROM events_pending p WHERE p.event_id BETWEEN f.first_event_id AND f.last_event_id AND p.event_id <> ALL($1::int[]))`, [ids]);
    return this.count({ dequeued: ids.length, inserted: toInsert.length, alreadyShipped: present.length - toInsert.length, full });
  }

  /**
   * The hand-off path: rows committed by this process's ingest requests, not read back. Only those still queued
   * in PostgreSQL and in no range in flight are shipped here (another shipper, or a failed attempt of this one,
   * may have had them: PostgreSQL's path then sorts them out); the others go back to that path. These rows were
   * never attempted before, so no ClickHouse check is needed: record the range, insert, dequeue.
   */
  private async shipHandedOff(conn: pg.PoolClient): Promise<ShipResult> {
    const taken = this.handOff.take(this.options.maxRows);
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
      this.handOff.release(takenIds.filter((id) => !shippable.has(id)));
      if (!mine.length) return { dequeued: 0, inserted: 0, alreadyShipped: 0, full: this.handOff.size > 0 };
      let [first, last] = [mine[0]!, mine[0]!];
      for (const id of mine) [first, last] = [Math.min(first, id), Math.max(last, id)];
      await conn.query('INSERT INTO events_in_flight (first_event_id, last_event_id) VALUES ($1, $2)', [first, last]);
      const body = mine.length === takenIds.length ? taken.map((b) => b.tsv) : taken.map((b) => onlyLines(b, shippable));
      await this.insert(this.client(), body, first, last);
      await conn.query(
        `WITH done AS (DELETE FROM events_pending WHERE event_id = ANY($1::int[]))
         DELETE FROM events_in_flight WHERE first_event_id = $2 AND last_event_id = $3`,
        [mine, first, last],
      );
    } finally {
      // Dequeued, or (after a failure) given back to PostgreSQL's path, which checks ClickHouse first.
      this.handOff.release(mine);
    }
    return this.count({ dequeued: mine.length, inserted: mine.length, alreadyShipped: 0, full: this.handOff.size > 0 });
  }

  private count(result: ShipResult): ShipResult {
    this.stats.batches++;
    this.stats.inserted += result.inserted;
    this.stats.alreadyShipped += result.alreadyShipped;
    return result;
  }

  private async database(client: ClickHouseClient): Promise<string> {
    let name = this.databases.get(client);
    if (!name) {
      const rs = await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
      name = (await rs.json<{ db: string }>())[0]!.db;
      this.databases.set(client, name);
    }
    return name;
  }

  /** Waits until no ship INSERT runs in ClickHouse any more (that of a shipper that died mid-insert). */
  private async quiesce(client: ClickHouseClient): Promise<void> {
    const prefix = `${QUERY_ID_PREFIX}${await this.database(client)}-`;
    const running = `SELECT count() AS n FROM system.processes WHERE startsWith(query_id, ${str(prefix)})`;
    for (let waited = 0; ; waited += 200) {
      const rs = await client.query({ query: running, format: 'JSONEachRow' });
      if (Number((await rs.json<{ n: string }>())[0]?.n ?? 0) === 0) return;
      if (waited >= 60_000) {
        await client.command({ query: `KILL QUERY WHERE startsWith(query_id, ${str(prefix)}) SYNC` });
        return;
      }
      await sleep(200);
    }
  }

  /**
   * Which of these events the raw table holds (after any running ship INSERT ended). Narrowed by the primary
   * key: each tenant's time span of the rows asked about, then their id ranges.
   */
  private async inClickHouse(client: ClickHouseClient, rows: ShipRow[]): Promise<Set<number>> {
    await this.quiesce(client);
    const byTenant = spanOf(rows, 3600);
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    const byId = idRanges(ids).map(([a, b]) => (a === b ? `id = ${uint(a)}` : `(id >= ${uint(a)} AND id <= ${uint(b)})`)).join(' OR ');
    const rs = await client.query({ query: `SELECT DISTINCT id FROM events WHERE (${byTenant}) AND (${byId})`, format: 'JSONEachRow' });
    const wanted = new Set(ids);
    const found = new Set<number>();
    for (const r of await rs.json<{ id: string }>()) if (wanted.has(Number(r.id))) found.add(Number(r.id));
    return found;
  }

  /**
   * Events the raw table holds from an interrupted attempt may be missing from the hourly rollup (the view
   * writes after the table, and an interruption in between loses the view's part). Per rollup group they
   * touch, compare the raw table (distinct ids) with the rollup and add what is missing, from those events.
   * A group's events of one attempt reached the view all or none (one block per partition), so the missing
   * count is exactly some of these events.
   */
  private async topUpRollup(client: ClickHouseClient, rows: ShipRow[]): Promise<void> {
    const key = (t: number, hour: number, event: string, ws: number, user: number) => `${t}\u0000${hour}\u0000${event}\u0000${ws}\u0000${user}`;
    const groups = new Map<string, { key: string; tuple: string; rows: ShipRow[] }>();
    for (const r of rows) {
      const hour = Math.floor(r.ts / 3600) * 3600;
      const k = key(r.tenantId, hour, r.event, r.workspaceId ?? 0, r.userId ?? 0);
      const g = groups.get(k) ?? {
        key: k,
        tuple: `(${uint(r.tenantId)}, toDateTime(${uint(hour)}), ${str(r.event)}, ${uint(r.workspaceId ?? 0)}, ${uint(r.userId ?? 0)})`,
        rows: [],
      };
      g.rows.push(r);
      groups.set(k, g);
    }
    const settings = { max_query_size: '10000000' };
    const all = [...groups.values()];
    for (let i = 0; i < all.length; i += 500) {
      const chunk = all.slice(i, i + 500);
      const tuples = chunk.map((g) => g.tuple).join(', ');
      const span = spanOf(chunk.flatMap((g) => g.rows), 3600);
      const counts = async (query: string) => {
        const rs = await client.query({ query, format: 'JSONEachRow', clickhouse_settings: settings });
        const m = new Map<string, number>();
        for (const r of await rs.json<{ t: number; h: number; e: string; w: number; u: number; n: string }>()) m.set(key(r.t, Number(r.h), r.e, r.w, r.u), Number(r.n));
        return m;
      };
      const raw = await counts(`SELECT tenant_id AS t, toUnixTimestamp(toStartOfHour(ts)) AS h, event AS e, workspace_id AS w, user_id AS u, uniqExact(id) AS n
        FROM events WHERE (${span}) AND (tenant_id, toStartOfHour(ts), event, workspace_id, user_id) IN (${tuples}) GROUP BY t, h, e, w, u`);
      const rolled = await counts(`SELECT tenant_id AS t, toUnixTimestamp(hour) AS h, event AS e, workspace_id AS w, user_id AS u, countMerge(events) AS n
        FROM events_hourly WHERE (tenant_id, hour, event, workspace_id, user_id) IN (${tuples}) GROUP BY t, h, e, w, u`);
      const missing: ShipRow[] = [];
      for (const g of chunk) {
        const lack = (raw.get(g.key) ?? 0) - (rolled.get(g.key) ?? 0);
        if (lack > 0) missing.push(...g.rows.sort((a, b) => a.id - b.id).slice(0, lack));
      }
      for (let j = 0; j < missing.length; j += 5000) {
        const part = missing.slice(j, j + 5000);
        await client.command({
          query: `INSERT INTO events_hourly
            SELECT tenant_id, toStartOfHour(ts) AS hour, event, workspace_id, user_id, countState() AS events,
                   uniqIfState(distinct_id, distinct_id != '') AS users
            FROM (SELECT * FROM events FINAL WHERE (${spanOf(part)}) AND id IN (${part.map((r) => uint(r.id)).join(', ')}))
            GROUP BY tenant_id, hour, event, workspace_id, user_id`,
          clickhouse_settings: settings,
        });
        this.stats.rollupRepaired += part.length;
      }
    }
  }

  /** One INSERT of TabSeparated text (chunks of whole lines), named so that a later attempt can wait for it. */
  private async insert(client: ClickHouseClient, tsv: string[], first: number, last: number): Promise<void> {
    const queryId = `${QUERY_ID_PREFIX}${await this.database(client)}-${first}-${last}-${randomBytes(4).toString('hex')}`;
    const result = await client.exec({ query: TSV_INSERT, values: Readable.from(tsv), query_id: queryId });
    result.stream.destroy();
  }

  /** Ships until the queue is empty (tests, the benchmark, shutdown). Returns the rows inserted. */
  async drain(): Promise<number> {
    let inserted = 0;
    for (;;) {
      const r = await this.shipOnce();
      inserted += r.inserted;
      if (r.dequeued === 0) return inserted;
    }
  }

  /**
   * Deletes shipped events older than the retention period from PostgreSQL, in chunks (short transactions),
   * walking the table in id order from the oldest: it stops at the first chunk holding no old event, so it reads
   * the expired region and one chunk more, not the whole table. Queued (unshipped) events are never deleted.
   */
  async purgeShipped(retentionDays = this.options.retentionDays, chunk = 50_000): Promise<number> {
    let total = 0;
    let cursor = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ id: number; old: boolean }>(
        `SELECT id, created_at < now() - make_interval(days => $2) AS old FROM events WHERE id > $1 ORDER BY id LIMIT $3`,
        [cursor, retentionDays, chunk],
      );
      const old = rows.filter((r) => r.old).map((r) => r.id);
      if (old.length) {
        const { rowCount } = await this.pool.query(
          `DELETE FROM events e WHERE e.id = ANY($1::int[]) AND NOT EXISTS (SELECT 1 FROM events_pending p WHERE p.event_id = e.id)`,
          [old],
        );
        total += rowCount ?? 0;
      }
      if (!old.length || rows.length < chunk) return total;
      cursor = rows[rows.length - 1]!.id;
    }
  }

  /** Runs cycles until stop(): full batches back to back, otherwise one cycle per flush interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.handOff.resume();
    this.loop = this.run();
  }

  /** Ends the loop after the current cycle (bound: usable as a plain callback). What was handed over stays queued in PostgreSQL. */
  stop = async (): Promise<void> => {
    this.running = false;
    this.handOff.close();
    this.wake?.();
    await this.loop;
    this.loop = null;
  };

  private async pause(ms: number) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let lastError = '';
    let migrated = !this.options.migrate;
    while (this.running) {
      try {
        if (!migrated) {
          const applied = await migrateClickHouse(this.client());
          if (applied.length) this.options.log(`analytics: applied ClickHouse migrations ${applied.join(', ')}`);
          migrated = true;
        }
        const r = await this.shipOnce();
        if (failures) this.options.log(`analytics shipper: shipping again after ${failures} failed attempt(s)`);
        failures = 0;
        lastError = '';
        if (Date.now() - this.lastPurge >= this.options.purgeEveryMs) {
          this.lastPurge = Date.now();
          await this.purgeShipped();
        }
        if (!r.full) await this.pause(this.options.flushIntervalMs);
      } catch (err) {
        failures++;
        this.stats.failures++;
        const code = clickhouseErrorCode(err);
        const message = `${code === null ? '' : `ClickHouse code ${code}: `}${(err as Error).message.split('\n')[0]}`;
        // Log the first failure and any change of cause, not every retry.
        if (message !== lastError) this.options.log(`analytics shipper: ${message}; events wait in PostgreSQL, retrying`);
        lastError = message;
        await this.pause(Math.min(this.options.maxBackoffMs, 250 * 2 ** Math.min(failures, 10)));
      }
    }
  }
}

/** Starts the shipping loop (scripts/start.ts, when ClickHouse is configured). */
export function startShipper(
  pool: pg.Pool,
  clickhouse: ClickHouseClient | (() => ClickHouseClient),
  options: ShipperOptions = {},
): Shipper {
  const shipper = new Shipper(pool, clickhouse, options);
  shipper.start();
  return shipper;
}
