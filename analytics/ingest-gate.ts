// At most a few ingest transactions at once per process, the others waiting their turn here rather than in the
// PostgreSQL pool's queue. Ingest and the back office share that pool: with hundreds of batches queued for a
// connection, a back-office page waited behind all of them (seconds, under the soak's load), and requests
// timed out waiting. Past `maxWaiting`, a batch is refused at once with 429 and Retry-After (back-pressure:
// clients retry the same batch), never held until it times out. Hand-written: a counter and a FIFO.
import { DomainError } from '../domain/errors';

export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxRunning: number,
    readonly maxWaiting: number,
  ) {}

  /**
   * Runs `fn` when a slot is free. `wanted`: asked when the turn comes after a wait; false (the client hung up
   * meanwhile, e.g. its time limit passed) skips the work. Without that, clients that time out and retry keep
   * the server busy writing batches nobody waits for any more, and every retry times out in turn.
   */
  async run<T>(fn: () => Promise<T>, wanted: () => boolean = () => true): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) {
        throw Object.assign(new DomainError('too_many', 'The server is busy with other batches; nothing was accepted, retry in 1 s'), { retryAfter: 1 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (!wanted()) {
        this.pass();
        throw Object.assign(new DomainError('too_many', 'The client left before its batch\'s turn; nothing was accepted'), { retryAfter: 1 });
      }
    } else this.running++;
    try {
      return await fn();
    } finally {
      this.pass();
    }
  }

  /** A finished (or skipped) run's slot goes to the next waiting one, else frees up. */
  private pass(): void {
    const next = this.waiting.shift();
    if (next) next(); // (running stays the same)
    else this.running--;
  }
}
