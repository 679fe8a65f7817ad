// An in-place progress bar on stderr: `[#####.....] 45% 450000/1000000 deals 120k rows/s`.

export interface Progress {
  phase: string;
  done: number;
  total: number;
  /** Since the phase started. */
  elapsedMs: number;
  /** What is counted: rows (default, with a rate) or steps (no rate). */
  unit?: 'rows' | 'steps';
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '-';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
  if (perSecond >= 1e3) return `${Math.round(perSecond / 1e3)}k`;
  return String(Math.round(perSecond));
}

export function progressLine({ phase, done, total, elapsedMs, unit = 'rows' }: Progress, width = 30): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : NaN;
  const speed = unit === 'rows' ? ` ${formatRate(rate)} rows/s` : ` ${(elapsedMs / 1000).toFixed(1)} s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${done}/${total} ${phase}${speed}`;
}

/** A reporter that redraws at most every `intervalMs`, and always at the end of a phase (then a newline). */
export function stderrProgress(intervalMs = 100): (p: Progress) => void {
  let last = 0;
  const tty = process.stderr.isTTY;
  return (p) => {
    const end = p.done >= p.total;
    const now = Date.now();
    // Without a terminal, \r does not redraw: print a line per phase end only, and every 5 s.
    if (!end && now - last < (tty ? intervalMs : 5_000)) return;
    last = now;
    process.stderr.write(tty ? `\r${progressLine(p)}\x1b[K${end ? '\n' : ''}` : `${progressLine(p)}\n`);
  };
}
