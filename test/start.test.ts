// The README's start command on a clean data folder: embedded PostgreSQL (no DATABASE_URL), a local
// ClickHouse from the installed package, migrations, demo data, and a server whose health and login work.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/free-port';
import { Browser } from './http/client';
import { useTestDatabase } from './harness';

const db = useTestDatabase();
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** Like Ctrl-C in a terminal: the signal goes to the whole process group (npm, node, clickhouse-server). */
const interrupt = (child: ChildProcess, signal: NodeJS.Signals = 'SIGINT') => {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
};

async function closed(url: string, withinMs = 30_000) {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    try {
      await fetch(`${url}/health`);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

afterAll(async () => {
  for (const child of children) interrupt(child, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm start` and resolves with its URL once it prints it. */
async function start(env: Record<string, string>, dataDir = mkdtempSync(join(tmpdir(), 'epesi-start-'))) {
  dirs.push(dataDir);
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...parentEnv } = process.env;
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...parentEnv, DATA_DIR: dataDir, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as in a terminal
  });
  children.push(child);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /EpesiCRM back office: (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return { url, child, dataDir, output: () => output };
}

describe('npm start', () => {
  it('with no DATABASE_URL serves the back office on embedded PostgreSQL with demo data, kept across restarts', async () => {
    const app = await start({});
    const health = (await (await fetch(`${app.url}/health`)).json()) as any;
    expect(health.postgres).toMatchObject({ ok: true, tenants: 2 });
    expect(health.clickhouse.ok).toBe(true); // the test machine has the Debian package
    // (the log is JSON lines: the password's quotes come escaped)
    expect(app.output()).toMatch(/Demo logins \(password \\?"demo1234\\?"\)/);
    expect(app.output()).toMatch(/wsadmin/);

    const browser = new Browser(app.url);
    const login = await browser.login('acme', 'director');
    expect(login.status).toBe(200);
    const deals = await browser.call('GET', '/api/deals?perPage=5');
    expect(deals.status).toBe(200);
    expect(deals.body.total).toBeGreaterThan(0);

    const created = await browser.call('POST', '/api/companies', { name: 'Survives a restart' });
    expect(created.status).toBe(201);

    interrupt(app.child);
    expect(await closed(app.url)).toBe(true);
    await new Promise((r) => setTimeout(r, 500)); // let PGlite release its data folder

    const again = await start({}, app.dataDir);
    expect(again.output()).not.toMatch(/Loaded the demo data/);
    const b2 = new Browser(again.url);
    await b2.login('acme', 'director');
    const found = await b2.call('GET', `/api/companies?q=${encodeURIComponent('Survives a restart')}`);
    expect(found.body.total).toBe(1);
  }, 120_000);

  it('with DATABASE_URL uses that server, migrating and seeding it only when empty', async () => {
    const app = await start({ DATABASE_URL: db.url, CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    const health = (await (await fetch(`${app.url}/health`)).json()) as any;
    expect(health.status).toBe('degraded'); // ClickHouse unreachable: analytics off, the rest works
    expect(health.postgres.ok).toBe(true);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM tenants');
    expect(rows[0].n).toBe(2);
    interrupt(app.child);
    expect(await closed(app.url)).toBe(true);

    const again = await start({ DATABASE_URL: db.url, CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(again.output()).not.toMatch(/Loaded the demo data/);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n).toBe(2);
  }, 120_000);
});
