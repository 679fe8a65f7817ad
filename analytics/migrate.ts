// The ClickHouse schema, under versioned migrations: analytics/migrations/NNNN_name.sql, applied in order, each
// recorded in `analytics_migrations` in the client's database. The SQL is written for 18.16 and current
// ClickHouse alike (no TTL, codecs, skip indexes or LowCardinality), and every statement is idempotent
// (IF NOT EXISTS), so two instances migrating at once, or a migration interrupted halfway, are harmless.
// On a cluster (CLICKHOUSE_CLUSTER) each host gets the statements' cluster form (analytics/cluster.ts) and
// its own `analytics_migrations`: a host added later gets every migration the next time the app starts.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { ClickHouseClient } from './clickhouse';
import { clusterHosts, clusterStatements, connectHost, createDatabaseOn, currentDatabase, shardedTables, type ClickHouseCluster } from './cluster';
import { str, uint } from './sql';

export const clickhouseMigrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface ClickHouseMigration {
  version: number;
  name: string;
  statements: string[];
}

/** Statements of a migration file: `--` comments dropped, split at semicolons that end a line. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readMigrations(folder = clickhouseMigrationsFolder): ClickHouseMigration[] {
  return readdirSync(folder)
    .map((file) => /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: Number(m[1]), name: m[2]!, statements: splitStatements(readFileSync(join(folder, m[0]), 'utf8')) }))
    .sort((a, b) => a.version - b.version);
}

export interface MigrateOptions {
  folder?: string;
  /** Every host of this cluster, sharded tables behind Distributed ones (CLICKHOUSE_CLUSTER). */
  cluster?: ClickHouseCluster;
}

/** Applies the migrations not applied yet; returns the names of those it applied (on any host). */
export async function migrateClickHouse(client: ClickHouseClient, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = readMigrations(options.folder);
  const cluster = options.cluster;
  if (!cluster) return migrateServer(client, migrations);
  const database = await currentDatabase(client);
  const sharded = shardedTables(migrations.flatMap((m) => m.statements));
  const c = { cluster: cluster.name, database, replicated: cluster.replicated };
  // Every statement's cluster form first: a statement without one stops the migration before any host changes.
  const forHosts = migrations.map((m) => ({ ...m, statements: m.statements.flatMap((s) => clusterStatements(s, sharded, c)) }));
  const done = new Set<string>();
  for (const host of await clusterHosts(client, cluster.name)) {
    await createDatabaseOn(cluster, host, database);
    const hostClient = connectHost(cluster, host, database);
    try {
      for (const name of await migrateServer(hostClient, forHosts)) done.add(name);
    } catch (err) {
      throw new Error(`ClickHouse host ${host} of cluster ${cluster.name}: ${(err as Error).message}`);
    } finally {
      await hostClient.close();
    }
  }
  return [...done].sort();
}

async function migrateServer(client: ClickHouseClient, migrations: ClickHouseMigration[]): Promise<string[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS analytics_migrations (version UInt32, name String, applied_at DateTime)
            ENGINE = MergeTree ORDER BY version`,
  });
  const rs = await client.query({ query: 'SELECT DISTINCT version FROM analytics_migrations', format: 'JSONEachRow' });
  const applied = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)));
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    for (const statement of m.statements) await client.command({ query: statement });
    await client.command({
      query: `INSERT INTO analytics_migrations (version, name, applied_at) VALUES (${uint(m.version)}, ${str(m.name)}, now())`,
    });
    done.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
  }
  return done;
}
