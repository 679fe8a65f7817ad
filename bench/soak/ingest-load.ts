// A steady stream of events to the ingest API, as SDKs send it: batches on a fixed schedule, each event with a
// unique sequence number, each batch with an Idempotency-Key. A batch not answered 200 is sent again, the
// same, until it is; and now and then a batch answered 200 is sent again anyway (a client whose answer was lost
// on the way). Acknowledged sequence ranges are kept, to count what ClickHouse lost or doubled at the end.
import { randomUUID } from 'node:crypto';
import { sleep, type Tally } from './timeline';

export interface IngestLoadOptions {
  base: string;
  keys: readonly string[];
  eventsPerSecond: number;
  batchSize: number;
  /** Share of acknowledged batches sent once more as if the answer had been lost. */
  resendShare: number;
  /** Most batches in the air at once (retrying ones included). */
  maxInFlight: number;
}

export class IngestLoad {
  /** Acknowledged [first, last] sequence numbers, one range per batch. */
  readonly acked: [number, number][] = [];
  ackedEvents = 0;
  resent = 0;
  /** Batches not sent because maxInFlight were still waiting for their answer. */
  skippedEvents = 0;
  private seq = 0;
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  /** Batches still unanswered this long after stop() are given up (not acknowledged: not counted as lost). */
  private abandoned = false;
  abandonedEvents = 0;

  constructor(
    private readonly o: IngestLoadOptions,
    private readonly tally: Tally,
  ) {}

  start(): void {
    const perTick = Math.max(1, Math.round(this.o.eventsPerSecond / 10));
    let key = 0;
    this.timer = setInterval(() => {
      // One tick: a tenth of a second's events, in batches, alternating the tenants' keys.
      for (let left = perTick; left > 0; left -= this.o.batchSize) {
        const n = Math.min(left, this.o.batchSize);
        if (this.inFlight.size >= this.o.maxInFlight) {
          this.skippedEvents += n;
          continue;
        }
        const first = this.seq;
        this.seq += n;
        const p = this.send(this.o.keys[key++ % this.o.keys.length]!, first, n).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      }
    }, 100);
  }

  async stop(giveUpAfterMs = 120_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const giveUp = setTimeout(() => (this.abandoned = true), giveUpAfterMs);
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
    clearTimeout(giveUp);
  }

  private async send(key: string, first: number, n: number): Promise<void> {
    const body = JSON.stringify({
      batch: Array.from({ length: n }, (_, i) => ({ event: 'soak.event', user: `visitor-${(first + i) % 5000}`, properties: { seq: first + i, page: `/p/${(first + i) % 40}` } })),
    });
    const idempotencyKey = randomUUID();
    let resend = Math.random() < this.o.resendShare;
    for (let attempt = 0; ; attempt++) {
      const startedAt = Date.now();
      try {
        const res = await fetch(`${this.o.base}/ingest/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        this.tally.answer(startedAt, res.status, res.headers.get('retry-after'));
        if (res.status === 200) {
          if (resend) {
            // As if this answer never arrived: the client sends the same batch again.
            resend = false;
            this.resent++;
            continue;
          }
          this.acked.push([first, first + n - 1]);
          this.ackedEvents += n;
          return;
        }
      } catch {
        this.tally.connectionError(startedAt);
      }
      if (this.abandoned) {
        this.abandonedEvents += n;
        return;
      }
      // Back off as SDKs do (0.5 s doubling to 8 s, jittered): a crowd retrying at once would keep the server busy.
      await sleep(Math.min(8000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}
