// The shipper's side in ClickHouse: the named INSERT of a batch, and crash recovery. ClickHouse writes are
// not transactional: an interrupted INSERT may have left all, some or none of its rows in the raw table, and
// each materialized view may or may not have seen them. So before a batch that holds ids of a range still in
// flight, the shipper waits for any ship INSERT still running in ClickHouse (quiesce), asks the raw table
// which of those ids it holds (alreadyThere), inserts only the others, and tops the hourly rollup up to what
// the raw table holds for the ones already there (topUpRollup). Nothing lost, nothing counted twice.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '../clickhouse';
import { TSV_INSERT, type ShipRow } from '../clickhouse-row';
import { str, uint } from '../sql';

const QUERY_ID_PREFIX = 'epesi-ship-';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each tenant's time span of these rows, as a condition the primary key (tenant_id, day) narrows. */
function spanOf(rows: ShipRow[], pad = 0): string {
  const spans = new Map<number, [number, number]>();
  for (const r of rows) {
    const t = r.ts;
    const s = spans.get(r.tenantId);
    spans.set(r.tenantId, s ? [Math.min(s[0], t), Math.max(s[1], t)] : [t, t]);
  }
  if (spans.size > 200) return '1';
  return [...spans]
    .map(([tenant, [a, b]]) => `(tenant_id = ${uint(tenant)} AND ts >= toDateTime(${uint(Math.max(0, a - pad))}) AND ts <= toDateTime(${uint(b + pad)}))`)
    .join(' OR ');
}

/** Sorted ids as at most `max` closed ranges (the closest runs merged): a short WHERE on ids. */
export function idRanges(sortedIds: readonly number[], max = 64): [number, number][] {
  const runs: [number, number][] = [];
  for (const id of sortedIds) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  if (runs.length <= max) return runs;
  // Close the (runs - max) smallest gaps between neighbouring runs, in one pass.
  const gaps = runs.slice(1).map((r, i) => ({ i, size: r[0] - runs[i]![1] }));
  const closed = new Set(gaps.sort((a, b) => a.size - b.size || a.i - b.i).slice(0, runs.length - max).map((g) => g.i));
  const merged: [number, number][] = [runs[0]!];
  for (let i = 1; i < runs.length; i++) {
    if (closed.has(i - 1)) merged[merged.length - 1]![1] = runs[i]![1];
    else merged.push(runs[i]!);
  }
  return merged;
}

export class ClickHouseTarget {
  private databases = new WeakMap<ClickHouseClient, string>();

  constructor(
    private readonly stats: { rollupRepaired: number },
    /** On a cluster (CLICKHOUSE_CLUSTER) a ship INSERT also runs on the shards it sends rows to. */
    private readonly cluster?: string,
  ) {}

  private async database(client: ClickHouseClient): Promise<string> {
    let name = this.databases.get(client);
    if (!name) {
      const rs = await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
      name = (await rs.json<{ db: string }>())[0]!.db;
      this.databases.set(client, name);
    }
    return name;
  }

  /** One INSERT of TabSeparated text (chunks of whole lines), named so that a later attempt can wait for it. */
  async insert(client: ClickHouseClient, tsv: string[], first: number, last: number): Promise<void> {
    const queryId = `${QUERY_ID_PREFIX}${await this.database(client)}-${first}-${last}-${randomBytes(4).toString('hex')}`;
    const { stream } = await client.exec({ query: TSV_INSERT, values: Readable.from(tsv), query_id: queryId });
    // An INSERT answers nothing, but its response is read to the end: destroyed unread, it closes its socket
    // mid-response, and the client warns about that (once per insert) and cannot reuse the socket.
    for await (const _ of stream) {
      // (empty)
    }
  }

  /** Waits until no ship INSERT runs in ClickHouse any more (that of a shipper that died mid-insert). */
  private async quiesce(client: ClickHouseClient): Promise<void> {
    const prefix = `${QUERY_ID_PREFIX}${await this.database(client)}-`;
    // On a cluster, the parts a ship INSERT sent on to other shards run there under its initial_query_id.
    const processes = this.cluster ? `cluster(${str(this.cluster)}, system, processes)` : 'system.processes';
    const running = `SELECT count() AS n FROM ${processes} WHERE startsWith(initial_query_id, ${str(prefix)})`;
    for (let waited = 0; ; waited += 200) {
      const rs = await client.query({ query: running, format: 'JSONEachRow' });
      if (Number((await rs.json<{ n: string }>())[0]?.n ?? 0) === 0) return;
      if (waited >= 60_000) {
        // (Killing the initial INSERT cancels the parts it sent to other shards.)
        await client.command({ query: `KILL QUERY WHERE startsWith(query_id, ${str(prefix)}) SYNC` });
        return;
      }
      await sleep(200);
    }
  }

  /**
   * Which of these events the raw table holds (after any running ship INSERT ended). Narrowed by the primary
   * key: each tenant's time span of the rows asked about, then their id ranges.
   */
  async alreadyThere(client: ClickHouseClient, rows: ShipRow[]): Promise<Set<number>> {
    await this.quiesce(client);
    const byTenant = spanOf(rows, 3600);
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    const byId = idRanges(ids).map(([a, b]) => (a === b ? `id = ${uint(a)}` : `(id >= ${uint(a)} AND id <= ${uint(b)})`)).join(' OR ');
    const rs = await client.query({ query: `SELECT DISTINCT id FROM events WHERE (${byTenant}) AND (${byId})`, format: 'JSONEachRow' });
    const wanted = new Set(ids);
    const found = new Set<number>();
    for (const r of await rs.json<{ id: string }>()) if (wanted.has(Number(r.id))) found.add(Number(r.id));
    return found;
  }

  /**
   * Events the raw table holds from an interrupted attempt may be missing from the hourly rollup (the view
   * writes after the table, and an interruption in between loses the view's part). Per rollup group they
   * touch, compare the raw table (distinct ids) with the rollup and add what is missing, from those events.
   * A group's events of one attempt reached the view all or none (one block per partition), so the missing
   * count is exactly some of these events.
   */
  async topUpRollup(client: ClickHouseClient, rows: ShipRow[]): Promise<void> {
    const key = (t: number, hour: number, event: string, ws: number, user: number) => `${t}\u0000${hour}\u0000${event}\u0000${ws}\u0000${user}`;
    const groups = new Map<string, { key: string; tuple: string; rows: ShipRow[] }>();
    for (const r of rows) {
      const hour = Math.floor(r.ts / 3600) * 3600;
      const k = key(r.tenantId, hour, r.event, r.workspaceId ?? 0, r.userId ?? 0);
      const g = groups.get(k) ?? {
        key: k,
        tuple: `(${uint(r.tenantId)}, toDateTime(${uint(hour)}), ${str(r.event)}, ${uint(r.workspaceId ?? 0)}, ${uint(r.userId ?? 0)})`,
        rows: [],
      };
      g.rows.push(r);
      groups.set(k, g);
    }
    const settings = { max_query_size: '10000000' };
    const all = [...groups.values()];
    for (let i = 0; i < all.length; i += 500) {
      const chunk = all.slice(i, i + 500);
      const tuples = chunk.map((g) => g.tuple).join(', ');
      const span = spanOf(chunk.flatMap((g) => g.rows), 3600);
      const counts = async (query: string) => {
        const rs = await client.query({ query, format: 'JSONEachRow', clickhouse_settings: settings });
        const m = new Map<string, number>();
        for (const r of await rs.json<{ t: number; h: number; e: string; w: number; u: number; n: string }>()) m.set(key(r.t, Number(r.h), r.e, r.w, r.u), Number(r.n));
        return m;
      };
      const raw = await counts(`SELECT tenant_id AS t, toUnixTimestamp(toStartOfHour(ts)) AS h, event AS e, workspace_id AS w, user_id AS u, uniqExact(id) AS n
        FROM events WHERE (${span}) AND (tenant_id, toStartOfHour(ts), event, workspace_id, user_id) IN (${tuples}) GROUP BY t, h, e, w, u`);
      const rolled = await counts(`SELECT tenant_id AS t, toUnixTimestamp(hour) AS h, event AS e, workspace_id AS w, user_id AS u, countMerge(events) AS n
        FROM events_hourly WHERE (tenant_id, hour, event, workspace_id, user_id) IN (${tuples}) GROUP BY t, h, e, w, u`);
      const missing: ShipRow[] = [];
      for (const g of chunk) {
        const lack = (raw.get(g.key) ?? 0) - (rolled.get(g.key) ?? 0);
        if (lack > 0) missing.push(...g.rows.sort((a, b) => a.id - b.id).slice(0, lack));
      }
      for (let j = 0; j < missing.length; j += 5000) {
        const part = missing.slice(j, j + 5000);
        await client.command({
          query: `INSERT INTO events_hourly
            SELECT tenant_id, toStartOfHour(ts) AS hour, event, workspace_id, user_id, countState() AS events,
                   uniqIfState(distinct_id, distinct_id != '') AS users
            FROM (SELECT * FROM events FINAL WHERE (${spanOf(part)}) AND id IN (${part.map((r) => uint(r.id)).join(', ')}))
            GROUP BY tenant_id, hour, event, workspace_id, user_id`,
          clickhouse_settings: settings,
        });
        this.stats.rollupRepaired += part.length;
      }
    }
  }
}
