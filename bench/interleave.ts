// Timing several systems against each other on a shared machine (2 cores, other people's tests running).
//
// Interleaved: each round runs every request of every system once per iteration, the systems in a rotating
// order, so a slow patch of the machine hits all of them alike instead of whichever was being timed then.
// Rounds repeated when disturbed: after each round, the CPU time the whole machine spent (/proc/stat) minus what
// our own processes spent (this process, the peer servers, our database's PostgreSQL backends; /proc/<pid>/stat)
// is what others took from us. A round where others used more than `quietShare` of one core is thrown away and
// run again (up to `maxRounds`, by default 10 more than needed); if too few rounds were quiet, the quietest are
// kept and the report says how busy the machine was during them.
import { readFileSync } from 'node:fs';

export interface Timing {
  p50: number;
  p95: number;
}

export interface Contender {
  /** Row (the request) and column (the system) of the result. */
  request: string;
  system: string;
  run: () => Promise<unknown>;
}

export interface RoundsOptions {
  samples: number;
  perRound: number;
  /** PIDs of our other processes (peer servers, PostgreSQL backends serving us), asked before and after each round. */
  ourPids: () => Promise<number[]>;
  quietShare?: number;
  maxRounds?: number;
  log?: (line: string) => void;
}

export interface RoundsReport {
  timings: Map<string, Timing>;
  kept: number;
  discarded: number;
  /** Others' CPU during the kept rounds, as a share of one core (mean). */
  othersShare: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds the machine spent busy (all cores, everything but idle and iowait). */
function machineBusy(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields as number[];
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / TICKS_PER_SECOND;
}

/** CPU seconds a process has used (0 when gone or not readable). */
function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // (the command name may hold spaces)
    return (Number(after[11]) + Number(after[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return 0;
  }
}

const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export const key = (request: string, system: string) => `${request}\u0000${system}`;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function interleavedRounds(contenders: Contender[], o: RoundsOptions): Promise<RoundsReport> {
  const quiet = o.quietShare ?? 0.1;
  const needed = Math.ceil(o.samples / o.perRound);
  const maxRounds = o.maxRounds ?? needed + 10;
  const rounds: { share: number; ms: Map<string, number[]> }[] = [];
  const systems = [...new Set(contenders.map((c) => c.system))];
  let tried = 0;
  while (rounds.filter((r) => r.share <= quiet).length < needed && tried < maxRounds) {
    tried++;
    const pidsBefore = await o.ourPids();
    const before = new Map(pidsBefore.map((pid) => [pid, processCpu(pid)]));
    const [busy0, own0, wall0] = [machineBusy(), ownCpu(), performance.now()];
    const ms = new Map<string, number[]>();
    for (let i = 0; i < o.perRound; i++) {
      for (const request of [...new Set(contenders.map((c) => c.request))]) {
        // Rotate which system goes first: none is always the one after another's cache misses.
        const order = systems.map((_, k) => systems[(k + i) % systems.length]!);
        for (const system of order) {
          const c = contenders.find((x) => x.request === request && x.system === system);
          if (!c) continue;
          const t0 = performance.now();
          await c.run();
          const k = key(request, system);
          ms.set(k, [...(ms.get(k) ?? []), performance.now() - t0]);
        }
      }
    }
    const wall = (performance.now() - wall0) / 1000;
    const pids = new Set([...pidsBefore, ...(await o.ourPids())]);
    const ours = ownCpu() - own0 + [...pids].reduce((sum, pid) => sum + processCpu(pid) - (before.get(pid) ?? 0), 0);
    const share = Math.max(0, machineBusy() - busy0 - ours) / wall;
    rounds.push({ share, ms });
    o.log?.(`round ${tried}: others used ${(share * 100).toFixed(0)}% of a core${share > quiet ? ' (disturbed, repeated)' : ''}`);
  }
  const kept = [...rounds].sort((a, b) => a.share - b.share).slice(0, needed);
  const timings = new Map<string, Timing>();
  for (const c of contenders) {
    const k = key(c.request, c.system);
    const all = kept.flatMap((r) => r.ms.get(k) ?? []).sort((a, b) => a - b);
    timings.set(k, { p50: percentile(all, 50), p95: percentile(all, 95) });
  }
  return {
    timings,
    kept: kept.length,
    discarded: rounds.length - kept.length,
    othersShare: kept.reduce((s, r) => s + r.share, 0) / Math.max(1, kept.length),
  };
}

