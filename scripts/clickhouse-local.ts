// Starts a private clickhouse-server from the installed Debian package: its own config, data folder and
// free ports, so it never touches a system instance. Used by `npm start` (data under ./data) and by tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';

export const INSTALL_HINT =
  'ClickHouse is not installed: run `apt-get install -y clickhouse-server clickhouse-client` (Debian), ' +
  'or set CLICKHOUSE_URL to a running server. Everything but analytics works without it.';

export interface LocalClickHouse {
  url: string;
  httpPort: number;
  tcpPort: number;
  /** Graceful (SIGTERM, flushes) by default; `{ force: true }` for throwaway test instances. */
  stop(options?: { force?: boolean }): Promise<void>;
}

export function clickhouseBinary(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v clickhouse-server || command -v clickhouse'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim().split('\n')[0]! : null;
}

/** A cluster for the servers' remote_servers config: its shards, each a list of replicas (host and TCP port). */
export type RemoteServers = Record<string, { host: string; port: number }[][]>;

function remoteServersXml(clusters: RemoteServers): string {
  const replica = (r: { host: string; port: number }) => `<replica><host>${r.host}</host><port>${r.port}</port></replica>`;
  const cluster = ([name, shards]: [string, { host: string; port: number }[][]]) =>
    `<${name}>${shards.map((replicas) => `<shard>${replicas.map(replica).join('')}</shard>`).join('')}</${name}>`;
  return Object.keys(clusters).length ? `<remote_servers>${Object.entries(clusters).map(cluster).join('')}</remote_servers>` : '';
}

function config(dir: string, httpPort: number, tcpPort: number, host: string, clusters: RemoteServers): string {
  // The keys 18.16 needs to start at all (logger, mark_cache_size, a default profile); see shared notes.
  return `<yandex>
  <listen_host>${host}</listen_host>${remoteServersXml(clusters)}
  <http_port>${httpPort}</http_port><tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/</path><tmp_path>${dir}/tmp/</tmp_path><user_files_path>${dir}/user_files/</user_files_path>
  <logger><console>1</console><level>warning</level></logger>
  <mark_cache_size>268435456</mark_cache_size><timezone>UTC</timezone>
  <profiles><default>
    <allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type>
    <date_time_input_format>best_effort</date_time_input_format>
  </default></profiles>
  <users><default><password/><networks><ip>127.0.0.0/8</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default/></quotas>
</yandex>
`;
}

async function waitForPing(url: string, child: { exitCode: number | null }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`clickhouse-server did not answer on ${url} within ${timeoutMs} ms`);
}

export interface LocalClickHouseOptions {
  /** The same ports again to restart a server where its clients expect it (fault tests); free ones by default. */
  httpPort?: number;
  tcpPort?: number;
  /**
   * The loopback address to listen on (127.0.0.1 by default). Shards of a local cluster each take their own
   * (127.0.0.2, 127.0.0.3...) on the same ports, as the hosts of a real cluster do.
   */
  host?: string;
  /** Clusters of the remote_servers config (for Distributed tables): test/analytics/cluster.test.ts. */
  clusters?: RemoteServers;
}

export async function startLocalClickHouse(dataDir: string, options: LocalClickHouseOptions = {}): Promise<LocalClickHouse> {
  const binary = clickhouseBinary();
  if (!binary) throw new Error(INSTALL_HINT);
  const dir = resolve(dataDir);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const [httpPort, tcpPort] = [options.httpPort ?? (await freePort()), options.tcpPort ?? (await freePort())];
  const configFile = join(dir, 'config.xml');
  const host = options.host ?? '127.0.0.1';
  writeFileSync(configFile, config(dir, httpPort, tcpPort, host, options.clusters ?? {}));
  const args = binary.endsWith('clickhouse') ? ['server', `--config-file=${configFile}`] : [`--config-file=${configFile}`];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://${host}:${httpPort}`;
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  try {
    await waitForPing(url, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    url,
    httpPort,
    tcpPort,
    stop: ({ force = false } = {}) =>
      new Promise<void>((done) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null) return done();
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          done();
        });
        child.kill(force ? 'SIGKILL' : 'SIGTERM');
      }),
  };
}
