// The soak's clock: which fault window a moment falls in, and tallies of answers and latencies per phase.
export type Phase = 'steady' | 'ch-down' | 'pg-down' | 'after';
export const PHASES: readonly Phase[] = ['steady', 'ch-down', 'pg-down', 'after'];

export class Timeline {
  private readonly windows: { phase: Phase; from: number; to: number }[] = [];
  private firstFault = Infinity;

  /** A fault window opens now; the returned function closes it. */
  open(phase: 'ch-down' | 'pg-down'): () => void {
    const w = { phase, from: Date.now(), to: Infinity };
    this.windows.push(w);
    this.firstFault = Math.min(this.firstFault, w.from);
    return () => (w.to = Date.now());
  }

  /**
   * steady before the first fault, a fault's phase inside its window, `after` (recovered) otherwise. A request
   * from `t` to `until` that was still under way when a window opened was hit by that fault: its phase.
   */
  phaseAt(t: number, until = t): Phase {
    for (const w of this.windows) if (until >= w.from && t <= w.to) return w.phase;
    return t < this.firstFault ? 'steady' : 'after';
  }

  /** Milliseconds from the end of the last fault window closed before `t` (null: none closed before it). */
  sinceLastClose(t: number): number | null {
    const closed = this.windows.filter((w) => w.to <= t).map((w) => t - w.to);
    return closed.length ? Math.min(...closed) : null;
  }
}

export interface Counts {
  requests: number;
  ok: number;
  /** Status 5xx other than 503 with Retry-After. */
  bad5xx: number;
  /** 503 with Retry-After (the expected answer inside a fault window). */
  unavailable: number;
  /** No HTTP answer at all (refused, reset, timed out). */
  connectionErrors: number;
}

export class Tally {
  readonly byPhase = new Map<Phase, Counts>(PHASES.map((p) => [p, { requests: 0, ok: 0, bad5xx: 0, unavailable: 0, connectionErrors: 0 }]));
  constructor(private readonly timeline: Timeline) {}

  answer(startedAt: number, status: number, retryAfter: string | null): void {
    const phase = this.timeline.phaseAt(startedAt, Date.now());
    const c = this.byPhase.get(phase)!;
    c.requests++;
    if (status >= 200 && status < 300) c.ok++;
    else if (status === 503 && retryAfter) c.unavailable++;
    else if (status >= 500) c.bad5xx++;
    if (status >= 500 && (phase === 'steady' || phase === 'after')) this.outside.push(`${status} ${this.timeline.sinceLastClose(startedAt) ?? '-'} ms`);
  }

  /** Each 5xx outside the fault windows: its status and how long after the last window closed it was sent. */
  readonly outside: string[] = [];

  connectionError(startedAt: number): void {
    const c = this.byPhase.get(this.timeline.phaseAt(startedAt, Date.now()))!;
    c.requests++;
    c.connectionErrors++;
  }
}

export function percentiles(values: number[]): { p50: number; p95: number; p99: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
  return { p50: at(50), p95: at(95), p99: at(99), n: sorted.length };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
