// Tables the product needs beyond the seed: the audit trail, login sessions and the shared rate-limit counters.
import { bigint, bigserial, foreignKey, index, integer, json, jsonb, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
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
 * Counters of the limits that protect users (failed sign-ins per account and per address), shared by every
 * app instance on this database: rate-limiter-flexible's RateLimiterPostgres layout (domain/sign-in-limits.ts).
 * `expire` is epoch milliseconds.
 */
export const rateLimits = pgTable('rate_limits', {
  key: varchar('key', { length: 255 }).primaryKey(),
  points: integer('points').notNull().default(0),
  expire: bigint('expire', { mode: 'number' }),
});
