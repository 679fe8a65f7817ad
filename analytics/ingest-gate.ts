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

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) {
        throw Object.assign(new DomainError('too_many', 'The server is busy with other batches; nothing was accepted, retry in 1 s'), { retryAfter: 1 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // (the slot passes on: running stays the same)
      else this.running--;
    }
  }
}
