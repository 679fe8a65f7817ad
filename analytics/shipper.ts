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
//
// This file is the loop (cycles, back-off, start/stop); the parts live under analytics/shipping/: queued.ts
// (the PostgreSQL path), handed-off.ts (the hand-off path), clickhouse-target.ts (the INSERT and the crash
// recovery), purge.ts (retention).
import type pg from 'pg';
import { clickhouseErrorCode, type ClickHouseClient } from './clickhouse';
import type { ClickHouseCluster } from './cluster';
import { migrateClickHouse } from './migrate';
import { EventHandOff } from './hand-off';
import { NOTHING_SHIPPED, type ShipContext, type ShipResult } from './shipping/batch';
import { ClickHouseTarget } from './shipping/clickhouse-target';
import { shipHandedOff } from './shipping/handed-off';
import { purgeShipped } from './shipping/purge';
import { shipQueued } from './shipping/queued';

export type { ShipResult } from './shipping/batch';
export { idRanges } from './shipping/clickhouse-target';

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
  /** A ClickHouse cluster (CLICKHOUSE_CLUSTER): migrations on each of its hosts, waits on each of its shards. */
  cluster?: ClickHouseCluster;
  log?: (message: string) => void;
}

/** Any fixed key: one shipper at a time per database. */
export const SHIPPER_LOCK = 7_140_230;

const DEFAULTS = {
  maxRows: 100_000,
  maxBytes: 128 * 1024 * 1024,
  flushIntervalMs: 1000,
  retentionDays: 7,
  purgeEveryMs: 10 * 60_000,
  // Short: events wait in PostgreSQL meanwhile, and a retry is one cheap failed connection. The shipper resumes
  // within 2 s of ClickHouse's (or PostgreSQL's) return.
  maxBackoffMs: 2_000,
  handOffCapacity: 200_000,
  migrate: false,
};

export class Shipper {
  /** Running totals since this shipper was created (for logs and the health of the pipeline). */
  readonly stats = { batches: 0, inserted: 0, alreadyShipped: 0, rollupRepaired: 0, failures: 0 };
  /** For the ingest API (analytics/routes.ts): committed rows handed over in memory, taken while the loop runs. */
  readonly handOff: EventHandOff;
  private readonly options: typeof DEFAULTS & Pick<ShipperOptions, 'cluster'> & { log: (message: string) => void };
  private readonly target: ClickHouseTarget;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastPurge = 0;
  private lastQueueRead = 0;

  constructor(
    private readonly pool: pg.Pool,
    /** The ClickHouse client, or a function returning the current one (it may be replaced while running). */
    private readonly clickhouse: ClickHouseClient | (() => ClickHouseClient),
    options: ShipperOptions = {},
  ) {
    this.options = { ...DEFAULTS, log: (m) => console.warn(m), ...options };
    this.handOff = new EventHandOff(this.options.handOffCapacity);
    this.target = new ClickHouseTarget(this.stats, this.options.cluster?.name);
  }

  private client(): ClickHouseClient {
    return typeof this.clickhouse === 'function' ? this.clickhouse() : this.clickhouse;
  }

  /** One batch (if any is queued and no other shipper holds the lock): rows handed over in memory first. */
  async shipOnce(): Promise<ShipResult> {
    const conn = await this.pool.connect();
    let failed: Error | undefined;
    try {
      const { rows: lock } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SHIPPER_LOCK]);
      if (!lock[0]?.ok) return NOTHING_SHIPPED;
      const ctx: ShipContext = { handOff: this.handOff, maxRows: this.options.maxRows, maxBytes: this.options.maxBytes, client: this.client(), target: this.target };
      let result = this.handOff.size ? this.count(await shipHandedOff(conn, ctx)) : NOTHING_SHIPPED;
      // PostgreSQL's queue when nothing is handed over, and now and then while the hand-off is busy (events
      // of other writers, of requests past the hand-off's capacity, of attempts that failed).
      if (result.dequeued === 0 || Date.now() - this.lastQueueRead >= this.options.flushIntervalMs) {
        this.lastQueueRead = Date.now();
        const queued = await shipQueued(conn, ctx);
        this.count(queued);
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

  /** Adds a path's batch to the totals (a path that dequeued nothing shipped no batch). */
  private count(result: ShipResult): ShipResult {
    if (!result.dequeued) return result;
    this.stats.batches++;
    this.stats.inserted += result.inserted;
    this.stats.alreadyShipped += result.alreadyShipped;
    return result;
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

  /** Deletes shipped events older than the retention period from PostgreSQL (shipping/purge.ts). */
  purgeShipped(retentionDays = this.options.retentionDays, chunk = 50_000): Promise<number> {
    return purgeShipped(this.pool, retentionDays, chunk);
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
          const applied = await migrateClickHouse(this.client(), { cluster: this.options.cluster });
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
