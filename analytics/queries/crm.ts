// What the CRM reports share. They read PostgreSQL (the CRM's current state is the source of truth, not the
// event stream) through the scoped data layer: one transaction as the application role in the actor's tenant
// (row-level security applies), each table limited by the actor's CASL scope compiled to SQL (ScopedData.scope),
// so a team-scoped manager's figures are their team's and a workspace member's their workspace's.
import { sql, type SQL } from 'drizzle-orm';
import { resourceOf } from '../../domain/resources';
import type { Actor, ScopedData, Tx } from '../../domain/scoped-data';
import type { TimeRange } from '../params';

export interface CrmFilter {
  /** Rows created in [from, to); undefined: all rows (current state). */
  range?: TimeRange;
  workspace?: number | null;
}

/** Scope of `read` on a table for the actor, plus the report's workspace and creation-time filters. */
export function scoped(data: ScopedData, actor: Actor, table: string, f: CrmFilter = {}): SQL {
  const r = resourceOf(table);
  if (!r) throw new Error(`no resource ${table}`);
  const parts: SQL[] = [data.scope(actor, 'read', r)];
  const t = sql.identifier(table);
  if (f.workspace !== undefined) parts.push(f.workspace === null ? sql`${t}.workspace_id IS NULL` : sql`${t}.workspace_id = ${f.workspace}`);
  if (f.range) parts.push(sql`${t}.created_at >= ${f.range.from.toISOString()}::timestamptz AT TIME ZONE 'UTC' AND ${t}.created_at < ${f.range.to.toISOString()}::timestamptz AT TIME ZONE 'UTC'`);
  return sql.join(parts.map((p) => sql`(${p})`), sql` AND `);
}

export async function inActorTenant<T>(data: ScopedData, actor: Actor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return data.inTenant(actor.principal.tenantId, actor.principal.userId, fn);
}

export async function select<T>(tx: Tx, query: SQL): Promise<T[]> {
  return (await tx.execute(query)).rows as T[];
}

/**
 * The tenant's currency, for money figures. The schema keeps no currency per tenant or per deal; products carry
 * one, so it is the currency of most of the tenant's products (USD when it has none). Deal values are summed
 * as they are: the demo tenants price everything in one currency.
 */
export async function tenantCurrency(tx: Tx): Promise<string> {
  const [row] = await select<{ currency: string }>(tx, sql`SELECT currency FROM products GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1`);
  return row?.currency ?? 'USD';
}

/** A DATE column within [from, to): the day's midnight (UTC) falls in the range. */
export function dateIn(column: SQL, range: TimeRange): SQL {
  return sql`(${column})::timestamp >= ${range.from.toISOString()}::timestamptz AT TIME ZONE 'UTC' AND (${column})::timestamp < ${range.to.toISOString()}::timestamptz AT TIME ZONE 'UTC'`;
}
