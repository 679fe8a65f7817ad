// The shipper: moves outbox events (PostgreSQL `events`, queued in `events_pending`) to ClickHouse in large
// batches, exactly once, and later removes shipped rows from PostgreSQL.
//
// One cycle, under a PostgreSQL advisory lock (one shipper at a time, however many app instances run):
//   1. one statement reads the oldest queued ids (up to maxRows / about maxBytes) and renders their rows as
//      ClickHouse JSONEachRow lines in PostgreSQL itself (Node only forwards the text);
//   2. ClickHouse is asked which of these ids it already holds (event_ids, sorted by id: milliseconds);
//   3. the rest is inserted in one INSERT;
//   4. the ids are dequeued.
// A crash or error anywhere leaves the ids queued; the next cycle re-reads them and step 2 drops those
// ClickHouse already has (a crash between 3 and 4, or an insert that failed after writing some of its blocks),
// so nothing is lost and nothing is inserted twice. Before step 2 the shipper waits for any ship INSERT still
// running in ClickHouse (a shipper that died mid-insert), so its rows are counted by the check.
// With ClickHouse down, cycles fail and back off; events wait in PostgreSQL and ship when it returns.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { clickhouseErrorCode, type ClickHouseClient } from './clickhouse';
import { migrateClickHouse } from './migrate';
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
  /** Apply the ClickHouse migrations (analytics/migrations) before the first batch, retrying like a batch. */
  migrate?: boolean;
  log?: (message: string) => void;
}

export interface ShipResult {
  /** Ids taken off the queue (including those of events deleted before shipping). */
  dequeued: number;
  /** Rows inserted into ClickHouse. */
  inserted: number;
  /** Rows ClickHouse already held (a previous cycle inserted them but did not dequeue them). */
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
  migrate: false,
};

const epoch = (column: string) => `greatest(0, least(4294967295, floor(extract(epoch FROM ${column}))))::bigint`;

/**
 * The batch, rendered by PostgreSQL: the queued ids (oldest first) and one JSONEachRow line per event still
 * present. One statement, so ids and lines come from the same snapshot. Properties become parallel arrays of
 * top-level keys and values (strings as they are, other values as JSON text, null as '').
 */
const BATCH_SQL = `
WITH head AS (
  SELECT event_id FROM events_pending ORDER BY event_id LIMIT $1
), sized AS (
  SELECT h.event_id,
         sum(CASE WHEN e.id IS NULL THEN 8 ELSE 300 + pg_column_size(e.event_properties) + coalesce(octet_length(e.url), 0)
               + coalesce(octet_length(e.user_agent), 0) + octet_length(e.event_name) END) OVER (ORDER BY h.event_id) AS running
  FROM head h LEFT JOIN events e ON e.id = h.event_id
), batch AS (
  SELECT event_id FROM sized WHERE running <= $2 OR event_id = (SELECT min(event_id) FROM head)
)
SELECT (SELECT array_agg(event_id ORDER BY event_id) FROM batch) AS ids,
       (SELECT count(*) FROM head)::int AS head,
       (SELECT count(*) FROM batch b JOIN events e ON e.id = b.event_id)::int AS rows,
       (SELECT string_agg(json_build_object(
          'id', e.id,
          'tenant_id', e.tenant_id,
          'ts', ${epoch('e."timestamp"')},
          'event', e.event_name,
          'user_id', coalesce(e.user_id, 0),
          'distinct_id', CASE WHEN e.user_id IS NOT NULL THEN 'u:' || e.user_id
                              WHEN e.event_properties ? '$distinct_id' THEN 'v:' || (e.event_properties->>'$distinct_id')
                              ELSE '' END,
          'workspace_id', coalesce(e.workspace_id, 0),
          'session_id', coalesce(e.session_id, ''),
          'url', coalesce(e.url, ''),
          'source', coalesce(e.source, ''),
          'user_agent', coalesce(e.user_agent, ''),
          'ip', coalesce(e.ip_address, ''),
          'prop_keys', coalesce(p.keys, '[]'::json),
          'prop_values', coalesce(p.vals, '[]'::json),
          'received_at', ${epoch('e.created_at')}
        )::text, E'\\n' ORDER BY e.id)
        FROM batch b JOIN events e ON e.id = b.event_id
        LEFT JOIN LATERAL (
          SELECT json_agg(k.key ORDER BY k.key) AS keys,
                 json_agg(CASE jsonb_typeof(k.value) WHEN 'string' THEN k.value #>> '{}' WHEN 'null' THEN '' ELSE k.value::text END
                          ORDER BY k.key) AS vals
          FROM jsonb_each(e.event_properties) k WHERE k.key <> '$distinct_id'
        ) p ON true) AS body`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sorted ids as at most `max` closed ranges (the closest runs merged): a cheap WHERE for event_ids. */
export function idRanges(sortedIds: readonly number[], max = 64): [number, number][] {
  const runs: [number, number][] = [];
  for (const id of sortedIds) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  while (runs.length > max) {
    // Merge the pair of neighbours with the smallest gap.
    let best = 0;
    for (let i = 1; i < runs.length - 1; i++) if (runs[i + 1]![0] - runs[i]![1] < runs[best + 1]![0] - runs[best]![1]) best = i;
    runs.splice(best, 2, [runs[best]![0], runs[best + 1]![1]]);
  }
  return runs;
}

export class Shipper {
  /** Running totals since this shipper was created (for logs and the health of the pipeline). */
  readonly stats = { batches: 0, inserted: 0, alreadyShipped: 0, failures: 0 };
  private readonly options: typeof DEFAULTS & { log: (message: string) => void };
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastPurge = 0;
  private databases = new WeakMap<ClickHouseClient, string>();

  constructor(
    private readonly pool: pg.Pool,
    /** The ClickHouse client, or a function returning the current one (it may be replaced while running). */
    private readonly clickhouse: ClickHouseClient | (() => ClickHouseClient),
    options: ShipperOptions = {},
  ) {
    this.options = { ...DEFAULTS, log: (m) => console.warn(m), ...options };
  }

  private client(): ClickHouseClient {
    return typeof this.clickhouse === 'function' ? this.clickhouse() : this.clickhouse;
  }

  /** One batch (if any is queued and no other shipper holds the lock). */
  async shipOnce(): Promise<ShipResult> {
    const empty: ShipResult = { dequeued: 0, inserted: 0, alreadyShipped: 0, full: false };
    const conn = await this.pool.connect();
    let failed: Error | undefined;
    try {
      const { rows: lock } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SHIPPER_LOCK]);
      if (!lock[0]?.ok) return empty;
      const result = await this.shipBatch(conn);
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

  private async shipBatch(conn: pg.PoolClient): Promise<ShipResult> {
    const { maxRows, maxBytes } = this.options;
    const { rows } = await conn.query<{ ids: number[] | null; head: number; rows: number; body: string | null }>(BATCH_SQL, [maxRows, maxBytes]);
    const batch = rows[0]!;
    const ids = batch.ids ?? [];
    if (!ids.length) return { dequeued: 0, inserted: 0, alreadyShipped: 0, full: false };
    const full = batch.head >= maxRows || ids.length < batch.head;

    let body = batch.body ?? '';
    let alreadyShipped = 0;
    if (body) {
      const client = this.client();
      const present = await this.alreadyInClickHouse(client, ids);
      if (present.size) {
        const lines = body.split('\n').filter((line) => !present.has(Number(/^\{"id" : (\d+)/.exec(line)?.[1])));
        alreadyShipped = batch.rows - lines.length;
        body = lines.join('\n');
      }
      if (body) await this.insert(client, body, ids);
    }
    await conn.query('DELETE FROM events_pending WHERE event_id = ANY($1::int[])', [ids]);
    this.stats.batches++;
    this.stats.inserted += batch.rows - alreadyShipped;
    this.stats.alreadyShipped += alreadyShipped;
    return { dequeued: ids.length, inserted: batch.rows - alreadyShipped, alreadyShipped, full };
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

  /** The ids of this batch ClickHouse already holds, after any ship insert still running there has ended. */
  private async alreadyInClickHouse(client: ClickHouseClient, ids: number[]): Promise<Set<number>> {
    const prefix = `${QUERY_ID_PREFIX}${await this.database(client)}-`;
    const running = `SELECT count() AS n FROM system.processes WHERE startsWith(query_id, ${str(prefix)})`;
    for (let waited = 0; ; waited += 200) {
      const rs = await client.query({ query: running, format: 'JSONEachRow' });
      if (Number((await rs.json<{ n: string }>())[0]?.n ?? 0) === 0) break;
      if (waited >= 60_000) {
        // A ship insert of a dead shipper that will not end: stop it, then count what it wrote.
        await client.command({ query: `KILL QUERY WHERE startsWith(query_id, ${str(prefix)}) SYNC` });
        break;
      }
      await sleep(200);
    }
    const where = idRanges(ids)
      .map(([a, b]) => (a === b ? `id = ${uint(a)}` : `(id >= ${uint(a)} AND id <= ${uint(b)})`))
      .join(' OR ');
    const rs = await client.query({ query: `SELECT DISTINCT id FROM event_ids WHERE ${where}`, format: 'JSONEachRow' });
    const wanted = new Set(ids);
    const present = new Set<number>();
    for (const r of await rs.json<{ id: string }>()) if (wanted.has(Number(r.id))) present.add(Number(r.id));
    return present;
  }

  private async insert(client: ClickHouseClient, body: string, ids: number[]): Promise<void> {
    const queryId = `${QUERY_ID_PREFIX}${await this.database(client)}-${ids[0]}-${ids[ids.length - 1]}-${randomBytes(4).toString('hex')}`;
    const result = await client.exec({
      query: 'INSERT INTO events FORMAT JSONEachRow',
      values: Readable.from([body]),
      query_id: queryId,
    });
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
   * Deletes shipped events older than the retention period from PostgreSQL, in chunks (short transactions).
   * Queued (unshipped) events are never deleted, however old.
   */
  async purgeShipped(retentionDays = this.options.retentionDays, chunk = 50_000): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM events WHERE id IN (
           SELECT e.id FROM events e
           WHERE e.created_at < now() - make_interval(days => $1)
             AND NOT EXISTS (SELECT 1 FROM events_pending p WHERE p.event_id = e.id)
           LIMIT $2)`,
        [retentionDays, chunk],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < chunk) return total;
    }
  }

  /** Runs cycles until stop(): full batches back to back, otherwise one cycle per flush interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Ends the loop after the current cycle (bound: usable as a plain callback). */
  stop = async (): Promise<void> => {
    this.running = false;
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
