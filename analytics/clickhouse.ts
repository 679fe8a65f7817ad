// The ClickHouse client every analytics module uses, configured for both 18.16 (tests) and current servers.
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';

export type { ClickHouseClient };

export function connectClickHouse(url: string, database?: string, options: { quiet?: boolean } = {}): ClickHouseClient {
  return createClient({
    url,
    database,
    // quiet: no console line per failed request (callers that handle and report failures themselves).
    ...(options.quiet && { log: { level: ClickHouseLogLevel.OFF } }),
    request_timeout: 60_000,
    // Without it an error in the middle of a streamed result is silently lost (18.16): see shared notes.
    // insert_distributed_sync: an INSERT into a Distributed table (CLICKHOUSE_CLUSTER) answers once every shard
    // has its rows, not when they are queued on the receiving server's disk, so an INSERT that succeeded is
    // stored, as on one server (what the shipper's exactly-once relies on). No effect on other tables.
    clickhouse_settings: { wait_end_of_query: 1, insert_distributed_sync: 1 },
  });
}

/** ClickHouse errors arrive as plain Errors whose text starts "Code: N"; this extracts N. */
export function clickhouseErrorCode(err: unknown): number | null {
  const match = /Code: (\d+)/.exec(err instanceof Error ? err.message : String(err));
  return match ? Number(match[1]) : null;
}

export interface ClickHouseStatus {
  ok: boolean;
  version?: string;
  error?: string;
}

export async function clickhouseStatus(client: ClickHouseClient | null, hint?: string): Promise<ClickHouseStatus> {
  if (!client) return { ok: false, error: hint ?? 'not configured' };
  try {
    const rs = await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
    const [row] = await rs.json<{ version: string }>();
    return { ok: true, version: row?.version };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0] };
  }
}
