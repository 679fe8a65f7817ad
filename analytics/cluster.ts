// Analytics on a ClickHouse cluster (CLICKHOUSE_CLUSTER): each table the migrations create with a MergeTree
// engine becomes `<name>_local` on every host of the cluster plus `<name>`, a Distributed table over the
// shards' `<name>_local`, sharded by tenant_id. The app keeps using the plain names: the shipper inserts into
// the Distributed `events` (which routes each row to its tenant's shard) and every dashboard query reads
// `events` and `events_hourly` as on one server. One tenant's rows all live on one shard, so the
// ReplacingMergeTree's dedup by event id, the rollup's materialized view (on each shard, over its own
// `events_local`) and the shipper's "which ids are already there" check all hold per shard as on one server.
//
// How the DDL reaches every host: the migrator connects to each host of the cluster itself and runs each
// statement there (analytics/migrate.ts). `ON CLUSTER` DDL would need ZooKeeper/Keeper's distributed DDL
// queue, which a cluster without replication (and 18.16 without ZooKeeper, as in the tests) does not have;
// one statement per host works on 18.16 and on current ClickHouse, with or without Keeper. The hosts come
// from the servers' own `system.clusters` (the remote_servers config the Distributed tables use, so the two
// cannot drift), each reached over HTTP at CLICKHOUSE_URL with its host name replaced.
import { connectClickHouse, type ClickHouseClient } from './clickhouse';
import { str } from './sql';

export interface ClickHouseCluster {
  /** A cluster of the servers' remote_servers config (CLICKHOUSE_CLUSTER). */
  name: string;
  /** Replicated*MergeTree engines, kept by ClickHouse Keeper (CLICKHOUSE_REPLICATED). */
  replicated: boolean;
  /** CLICKHOUSE_URL: every host is reached at it with its own host name (same scheme, port, credentials). */
  url: string;
}

export const LOCAL_SUFFIX = '_local';

/** The shard of every row: one tenant's events, rollup and dedup stay on one shard. */
export const SHARDING_KEY = 'tenant_id';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain ClickHouse identifier: ${name}`);
  return name;
}

/** Every host of the cluster (each replica of each shard), as the server at `client` knows the cluster. */
export async function clusterHosts(client: ClickHouseClient, cluster: string): Promise<string[]> {
  const rs = await client.query({
    query: `SELECT host_name FROM system.clusters WHERE cluster = ${str(cluster)} ORDER BY shard_num, replica_num`,
    format: 'JSONEachRow',
  });
  const hosts = [...new Set((await rs.json<{ host_name: string }>()).map((r) => r.host_name))];
  if (!hosts.length) throw new Error(`ClickHouse cluster "${cluster}" (CLICKHOUSE_CLUSTER) is not in the remote_servers config of the server at CLICKHOUSE_URL`);
  return hosts;
}

/** A client of one host of the cluster, in `database` (none: the server's default). */
export function connectHost(cluster: ClickHouseCluster, host: string, database?: string): ClickHouseClient {
  const url = new URL(cluster.url);
  url.hostname = host.includes(':') ? `[${host}]` : host;
  return connectClickHouse(url.toString(), database, { quiet: true });
}

/**
 * The tables the migrations create with a MergeTree-family engine and a tenant_id column: on a cluster, each is
 * sharded. Any other table is created as it is on every host, holding what that host's views write into it
 * (0001's event_ids, an index of each shard's own ids, dropped again by 0003).
 */
export function shardedTables(statements: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const s of statements) {
    const m = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)[\s\S]*\bENGINE\s*=\s*\w*MergeTree\b/i.exec(s);
    if (m && new RegExp(`\\b${SHARDING_KEY}\\b`).test(s)) names.add(m[1]!);
  }
  return names;
}

/** `Replacing` in ReplacingMergeTree(args) → ReplicatedReplacingMergeTree('<Keeper path>', '{replica}', args). */
function localEngine(kind: string, args: string | undefined, database: string, table: string, replicated: boolean): string {
  if (!replicated) return `ENGINE = ${kind}MergeTree${args === undefined ? '' : `(${args})`}`;
  // {shard} and {replica} are each server's macros; the path names database and table, so that several
  // databases (or a re-created table) never share a Keeper path.
  const path = str(`/clickhouse/tables/{shard}/${database}/${table}`);
  return `ENGINE = Replicated${kind}MergeTree(${[path, `'{replica}'`, ...(args?.trim() ? [args] : [])].join(', ')})`;
}

/**
 * A migration statement as the statements each host of the cluster runs: CREATE TABLE, materialized views,
 * DROP TABLE and ALTER TABLE (columns on the local and Distributed tables, mutations on the local ones); any other is refused with the statement named, so that a new kind of migration gets a cluster form
 * (test/analytics/cluster.test.ts runs every migration on a cluster) instead of a silent single-shard table.
 */
export function clusterStatements(statement: string, sharded: ReadonlySet<string>, c: { cluster: string; database: string; replicated: boolean }): string[] {
  const local = (name: string) => `${name}${LOCAL_SUFFIX}`;
  const create = /^CREATE TABLE IF NOT EXISTS (\w+)\b/i.exec(statement);
  if (create && sharded.has(create[1]!)) {
    const name = create[1]!;
    const localTable = statement
      .replace(/^CREATE TABLE IF NOT EXISTS \w+/i, `CREATE TABLE IF NOT EXISTS ${local(name)}`)
      .replace(/\bENGINE\s*=\s*(\w*)MergeTree\b(?:\(([^)]*)\))?/i, (_, kind: string, args: string | undefined) =>
        localEngine(kind, args, c.database, local(name), c.replicated),
      );
    const distributed = `CREATE TABLE IF NOT EXISTS ${name} AS ${local(name)}
      ENGINE = Distributed(${str(identifier(c.cluster))}, ${str(identifier(c.database))}, ${str(local(name))}, ${SHARDING_KEY})`;
    return [localTable, distributed];
  }
  if (/^CREATE MATERIALIZED VIEW IF NOT EXISTS \w+ TO \w+/i.test(statement)) {
    // The view lives on each shard, from its local raw table to its local rollup.
    return [statement.replace(/\b(TO|FROM|JOIN)\s+(\w+)\b/gi, (all, keyword: string, name: string) => (sharded.has(name) ? `${keyword} ${local(name)}` : all))];
  }
  const drop = /^DROP TABLE IF EXISTS (\w+)\s*$/i.exec(statement);
  if (drop) return sharded.has(drop[1]!) ? [statement, `DROP TABLE IF EXISTS ${local(drop[1]!)}`] : [statement];
  if (create) return [statement];
  const alter = /^ALTER TABLE (\w+)\s+(\w+)/i.exec(statement);
  if (alter && !sharded.has(alter[1]!)) return [statement];
  if (alter) {
    const onLocal = statement.replace(/^ALTER TABLE \w+/i, `ALTER TABLE ${local(alter[1]!)}`);
    // A column changes on each shard's table and on the Distributed table that reads them (same columns);
    // anything else (a mutation, a partition) is data, which only the shards' tables hold.
    return /^(ADD|DROP|MODIFY|COMMENT|RENAME)$/i.test(alter[2]!) && /\bCOLUMN\b/i.test(statement) ? [onLocal, statement] : [onLocal];
  }
  throw new Error(`analytics migration statement has no cluster form yet (analytics/cluster.ts): ${statement.slice(0, 120)}`);
}

export async function currentDatabase(client: ClickHouseClient): Promise<string> {
  const rs = await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
  return identifier((await rs.json<{ db: string }>())[0]!.db);
}

/** `CREATE DATABASE IF NOT EXISTS` of the app's database on one host (a new host starts empty). */
export async function createDatabaseOn(cluster: ClickHouseCluster, host: string, database: string): Promise<void> {
  const root = connectHost(cluster, host);
  try {
    await root.command({ query: `CREATE DATABASE IF NOT EXISTS ${identifier(database)}` });
  } finally {
    await root.close();
  }
}
