// The ingest API's gate (analytics/ingest-gate.ts): at most N batches write at once, the next ones wait their
// turn in order, and past the waiting room a batch is refused at once with a 429-kind error and Retry-After
// rather than queued for a pool connection until it times out (which starved the back office under load).
import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from '../../analytics/ingest-gate';
import { DomainError } from '../../domain/errors';

const later = () => {
  let open: () => void = () => {};
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
};

describe('ingest gate', () => {
  it('runs at most maxRunning at once, the others in arrival order, and refuses past maxWaiting', async () => {
    const gate = new ConcurrencyGate(2, 2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const holds = Array.from({ length: 4 }, later);
    const runs = holds.map((h, i) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await h.p;
        running--;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1]);
    const refused = await gate.run(async () => 'never').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).kind).toBe('too_many');
    expect((refused as { retryAfter?: number }).retryAfter).toBe(1);
    holds[1]!.open();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2]);
    holds.forEach((h) => h.open());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(most).toBe(2);
    // Free again: a new run starts at once; a failing run gives its place back.
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });

  it('skips a waiting batch whose client left before its turn, and gives the slot to the next', async () => {
    const gate = new ConcurrencyGate(1, 5);
    const first = later();
    const ran: string[] = [];
    const a = gate.run(async () => {
      await first.p;
      ran.push('a');
    });
    const gone = gate.run(async () => void ran.push('gone'), () => false).catch((e: DomainError) => e.kind);
    const c = gate.run(async () => void ran.push('c'));
    first.open();
    await Promise.all([a, c]);
    expect(await gone).toBe('too_many');
    expect(ran).toEqual(['a', 'c']);
  });
});
