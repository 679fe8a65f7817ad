// The app as a separate process, started the way production starts it, for tests and benchmarks that must see
// the process itself (does it stay up when its database restarts? its memory?).
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';

/**
 * How production starts the app. One constant, so that switching to the compiled production build is one edit.
 */
export const START_COMMAND: readonly string[] = ['node', '--max-semi-space-size=64', '--import', 'tsx', 'scripts/start.ts'];

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** SIGTERM (a graceful stop), resolved when it exited. */
  stop(): Promise<void>;
}

/** Starts the app and resolves once it prints its URL (it may first wait for PostgreSQL). */
export async function startAppProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number; /** Called with all output so far, on every chunk (to watch it start). */ onOutput?: (output: string) => void } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const [cmd, ...args] = START_COMMAND as [string, ...string[]];
  const child = spawn(cmd, args, {
    // (DEMO_DATA: the tests and the soak sign in as the demo users, which production loads only when asked)
    env: { ...process.env, NODE_ENV: 'production', DEMO_DATA: '1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (d: Buffer) => {
    output += d.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000); // a long run's log, kept bounded
    options.onOutput?.(output);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${options.timeoutMs ?? 60_000} ms:\n${output}`)), options.timeoutMs ?? 60_000);
    const poll = setInterval(() => {
      const m = /EpesiCRM back office: (http:\/\/\S+)/.exec(output);
      if (!m) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(m[1]!);
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
