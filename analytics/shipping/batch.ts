// What one shipping path (queued.ts, handed-off.ts) is given and gives back.
import type { ClickHouseClient } from '../clickhouse';
import type { EventHandOff } from '../hand-off';
import type { ClickHouseTarget } from './clickhouse-target';

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

export const NOTHING_SHIPPED: ShipResult = { dequeued: 0, inserted: 0, alreadyShipped: 0, full: false };

export interface ShipContext {
  handOff: EventHandOff;
  maxRows: number;
  maxBytes: number;
  /** The ClickHouse client of this cycle (it may be replaced while the shipper runs). */
  client: ClickHouseClient;
  target: ClickHouseTarget;
}
