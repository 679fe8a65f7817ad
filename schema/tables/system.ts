// Tables the product needs beyond the seed: the audit trail, login sessions, the principals' access version and
// the shared rate-limit counters.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, foreignKey, index, integer, json, jsonb, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { rulesFor } from '../columns';
import { tenants } from './organization';

/**
 * One row per create, update and delete, written by a trigger (schema/derived-ddl.ts) in the same
 * transaction as the change, so no path can change data without leaving its trace. Secrets are left out.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: integer('tenant_id').notNull(),
    actorId: integer('actor_id'),
    resource: text('resource').notNull(),
    recordId: integer('record_id').notNull(),
    action: text('action', { enum: ['create', 'update', 'delete'] }).notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    at: timestamp('at', { mode: 'date' }).notNull().defaultNow(),
  },
  (t) => {
    const r = rulesFor('audit_log', { id: t.id, tenantId: t.tenantId });
    return [
      // The trail outlives users (no FK on actor_id) but not its tenant.
      foreignKey({ name: 'audit_log_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
      r.oneOf(t.action),
      index('audit_log_record_idx').on(t.tenantId, t.resource, t.recordId, t.at),
      index('audit_log_tenant_at_idx').on(t.tenantId, t.at.desc()),
    ];
  },
);

/** express-session rows (connect-pg-simple's layout). */
export const sessions = pgTable(
  'sessions',
  {
    sid: varchar('sid').primaryKey(),
    sess: json('sess').notNull(),
    expire: timestamp('expire', { precision: 6, mode: 'date' }).notNull(),
  },
  (t) => [index('sessions_expire_idx').on(t.expire)],
);

/**
 * One counter that every transaction changing what a principal is made of (a user's role, manager, workspace,
 * username or tenant; a role's level or permissions; users or roles added or removed) increments, by the
 * triggers of schema/access-version.ts, visibly at its commit. A principal cached with the counter it was
 * loaded at (domain/principal-cache.ts) is reused while the counter is unchanged. One row, for every tenant:
 * such changes are rare, and a change anywhere reloads every principal once.
 */
export const accessVersion = pgTable(
  'access_version',
  {
    id: boolean('id').primaryKey().default(true),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('access_version_one_row', sql`${t.id}`)],
);

/**
 * Counters of the limits that protect users (failed sign-ins, widget requests, ingest events), shared by every
 * app instance on this database: rate-limiter-flexible's RateLimiterPostgres layout (domain/rate-limit.ts).
 * `expire` is epoch milliseconds.
 */
export const rateLimits = pgTable('rate_limits', {
  key: varchar('key', { length: 255 }).primaryKey(),
  points: integer('points').notNull().default(0),
  expire: bigint('expire', { mode: 'number' }),
});
