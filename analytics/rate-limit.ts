// Events per second per ingest key: a token bucket (steady rate plus a burst), in memory. One app instance or
// sticky routing per key; several instances would each allow the rate (or share buckets through Redis).
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    /** Tokens (events) added per second. */
    readonly ratePerSecond: number,
    /** Most tokens a bucket holds: the largest burst, and the largest batch that can ever pass. */
    readonly burst: number,
  ) {}

  /** Takes `n` tokens and returns 0, or takes none and returns the seconds until `n` would be available. */
  take(key: string, n: number, now = Date.now()): number {
    if (!Number.isFinite(this.ratePerSecond)) return 0;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 100_000) this.buckets.clear();
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    if (b.tokens >= n) {
      b.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((n - b.tokens) / this.ratePerSecond));
  }
}
