// The shipper's fast lane: an ingest request that committed its events to the outbox hands the same rows to the
// shipper in memory, so the shipper need not read them back from PostgreSQL (no SELECT, no jsonb to text to
// JSON). PostgreSQL's queue (events_pending) stays the durable truth: the shipper still records the batch in
// flight and dequeues it once ClickHouse has it, and after a crash the rows are still queued in PostgreSQL,
// where the shipper's PostgreSQL path finds them.
//
// No event may go both ways. A request reserves its ids here before its transaction commits (so before any
// other snapshot can see them queued), and the PostgreSQL path skips reserved ids. A rollback cancels the
// reservation; after the commit the rows join the queue. Ids leave the hand-off only when the shipper has
// dequeued them, or gives them back to the PostgreSQL path (a failed attempt, a stop). Bounded: a request
// that does not fit is not reserved, and the PostgreSQL path ships its events.

/** One committed request's rows, already rendered: a TabSeparated line per id, in the same order. */
export interface HandedBatch {
  ids: readonly number[];
  tsv: string;
}

export interface Reservation {
  /** After the commit: the rows (the reserved ids) join the shipper's queue. */
  committed(batch: HandedBatch): void;
  /** After a rollback: the ids are free again (nothing was written). */
  cancel(): void;
}

export class EventHandOff {
  /** Reserved ids: queued here, or belonging to a transaction not yet ended. */
  private readonly reserved = new Set<number>();
  // Rendered text rather than row objects: a few large strings are cheap to hold, millions of small objects
  // kept alive across requests are not (the garbage collector walks them again and again).
  private queue: HandedBatch[] = [];
  private queued = 0;
  /** Closed until its shipper runs: rows handed to no running shipper would only wait. */
  private open = false;

  constructor(
    /** Most ids reserved at once (rows held in memory, and ids the PostgreSQL path skips). */
    readonly capacity = 200_000,
  ) {}

  /** Reserves ids for rows about to be committed, or null when they do not fit (the PostgreSQL path ships them). */
  reserve(ids: readonly number[]): Reservation | null {
    if (!this.open || this.reserved.size + ids.length > this.capacity) return null;
    for (const id of ids) this.reserved.add(id);
    let ended = false;
    return {
      committed: (batch) => {
        if (ended) return;
        ended = true;
        if (!this.open) return this.release(ids);
        this.queue.push(batch);
        this.queued += batch.ids.length;
      },
      cancel: () => {
        if (ended) return;
        ended = true;
        this.release(ids);
      },
    };
  }

  /** Takes reservations (the shipper's loop runs). */
  resume(): void {
    this.open = true;
  }

  /** Ids reserved: queued here, or of transactions not ended yet. */
  get reservedCount(): number {
    return this.reserved.size;
  }

  /** Whether the PostgreSQL path must leave this id alone. */
  isReserved(id: number): boolean {
    return this.reserved.has(id);
  }

  /** Committed rows waiting in memory. */
  get size(): number {
    return this.queued;
  }

  /** The oldest queued requests, up to about maxRows rows (at least one request). */
  take(maxRows: number): HandedBatch[] {
    const out: HandedBatch[] = [];
    let rows = 0;
    while (this.queue.length && (rows === 0 || rows + this.queue[0]!.ids.length <= maxRows)) {
      const batch = this.queue.shift()!;
      this.queued -= batch.ids.length;
      rows += batch.ids.length;
      out.push(batch);
    }
    return out;
  }

  /** Ids done with (dequeued from PostgreSQL), or given back to the PostgreSQL path. */
  release(ids: Iterable<number>): void {
    for (const id of ids) this.reserved.delete(id);
  }

  /** No more reservations; queued rows are given back to the PostgreSQL path (they are queued there too). */
  close(): void {
    this.open = false;
    for (const batch of this.queue) this.release(batch.ids);
    this.queue = [];
    this.queued = 0;
  }
}
