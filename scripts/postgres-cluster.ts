// A private PostgreSQL 15 cluster (initdb into a temporary folder, its own port and socket folder) that a test
// or a benchmark can restart and stop at will without touching the machine's server. Run as root, the
// cluster's commands run as the `postgres` user (PostgreSQL refuses to run as root).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDatabase } from '../domain/migrate';
import { freePort } from './free-port';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  port: number;
  dir: string;
  /** The migrated application database's URL. */
  url: string;
  /** `pg_ctl restart -m fast`: every connection is terminated (57P01), then the server accepts again. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

function command(args: string[], asPostgres: boolean): [string, string[]] {
  const [cmd, ...rest] = args as [string, ...string[]];
  return asPostgres ? ['runuser', ['-u', 'postgres', '--', cmd, ...rest]] : [cmd, rest];
}

function run(args: string[], asPostgres: boolean): string {
  const [file, argv] = command(args, asPostgres);
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Asynchronous, so that a benchmark's load goes on while the server restarts. */
async function runAsync(args: string[], asPostgres: boolean): Promise<void> {
  const [file, argv] = command(args, asPostgres);
  await promisify(execFile)(file, argv, { encoding: 'utf8' });
}

/** A fresh cluster on a free port with database `epesi`, migrated as the test harness migrates its template. */
export async function startPostgresCluster(options: { migrate?: boolean; settings?: Record<string, string> } = {}): Promise<PostgresCluster> {
  const asPostgres = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'epesi-pg-'));
  if (asPostgres) chownSync(dir, Number(run(['id', '-u', 'postgres'], false)), Number(run(['id', '-g', 'postgres'], false)));
  const data = join(dir, 'data');
  const port = await freePort();
  run([`${BIN}/initdb`, '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], asPostgres);
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: `'${dir}'`,
    fsync: 'off',
    max_connections: '200',
    ...options.settings,
  };
  const opts = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  const ctlArgs = (...args: string[]) => [`${BIN}/pg_ctl`, '-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', ...args];
  const ctl = (...args: string[]) => runAsync(ctlArgs(...args), asPostgres);
  const start = () => ctl('start', '-o', opts);
  await start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE epesi');
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:${port}/epesi`;
  if (options.migrate !== false) await migrateDatabase(url);
  return {
    port,
    dir,
    url,
    restart: () => ctl('restart', '-m', 'fast', '-o', opts),
    stop: () => ctl('stop', '-m', 'fast'),
    start,
    destroy: () => {
      try {
        run(ctlArgs('stop', '-m', 'immediate'), asPostgres);
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
