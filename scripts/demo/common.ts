// Shared pieces of the demo seed: the transaction type, the clock of the load day, batched inserts, and what one
// tenant's seeding has produced so far (later steps reference earlier rows by their RETURNING ids).
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../domain/db';
import type * as schema from '../../schema';
import type { Random } from '../random';
import type { TenantSpec } from './tenants';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Every demo timestamp is relative to this instant: the start (UTC) of the day the demo is loaded, so the
 * dashboards' recent ranges are full on any day, and two loads on the same day produce identical rows.
 * DEMO_DATE=YYYY-MM-DD loads the data of another day (to reproduce one).
 */
export function demoBaseDate(env: string | undefined = process.env.DEMO_DATE, now = Date.now()): Date {
  if (env !== undefined && env !== '') {
    const d = new Date(`${env}T00:00:00.000Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(env) || Number.isNaN(d.getTime())) throw new Error(`DEMO_DATE must be a date (YYYY-MM-DD), not ${env}`);
    return d;
  }
  return new Date(Math.floor(now / 86_400_000) * 86_400_000);
}
export const DEMO_BASE_DATE = demoBaseDate();
const MINUTE = 60_000;
export const DAY = 86_400_000;

/** `days` (fractional allowed) before the base date. */
export const daysAgo = (days: number) => new Date(DEMO_BASE_DATE.getTime() - Math.round(days * DAY));
export const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + Math.round(minutes * MINUTE));
/** A DATE column value: 'YYYY-MM-DD' (UTC). */
export const dateOnly = (d: Date) => d.toISOString().slice(0, 10);
/** A random instant between `from` and `to` days before the base date, whole seconds. */
export function between(rng: Random, fromDaysAgo: number, toDaysAgo: number): Date {
  const lo = Math.min(fromDaysAgo, toDaysAgo) * DAY;
  const hi = Math.max(fromDaysAgo, toDaysAgo) * DAY;
  const ms = lo + Math.floor(rng.next() * (hi - lo));
  return new Date(Math.floor((DEMO_BASE_DATE.getTime() - ms) / 1000) * 1000);
}

export const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const CHUNK = 1000;

/** Multi-row INSERT ... RETURNING, in chunks that stay far below PostgreSQL's 65535 bind parameters. */
export async function insertRows<T extends PgTable>(tx: Pick<Db, 'insert'>, table: T, rows: PgInsertValue<T>[]): Promise<T['$inferSelect'][]> {
  const out: T['$inferSelect'][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await tx.insert(table).values(rows.slice(i, i + CHUNK)).returning();
    out.push(...(inserted as T['$inferSelect'][]));
  }
  return out;
}

type Row<K extends keyof typeof schema> = (typeof schema)[K] extends PgTable ? (typeof schema)[K]['$inferSelect'] : never;

/** What has been inserted for one tenant so far. */
export interface TenantContext {
  tx: Tx;
  rng: Random;
  spec: TenantSpec;
  tenantId: number;
  createdAt: Date;
  workspaces: Row<'workspaces'>[];
  projects: Row<'projects'>[];
  roles: Row<'roles'>[];
  users: Row<'users'>[];
  /** users by username */
  user: Map<string, Row<'users'>>;
  companies: Row<'companies'>[];
  contacts: Row<'contacts'>[];
  products: Row<'products'>[];
  pipelines: Row<'salesPipelines'>[];
  stages: Row<'salesStages'>[];
  interestLevels: Row<'interestLevels'>[];
  deals: Row<'deals'>[];
}
