// Behavioural events. In PostgreSQL this table is the analytics outbox: rows are written in the same
// transaction as the change they describe and shipped to ClickHouse (analytics/).
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id, rulesFor, tenantId } from '../columns';
import { tenants, users, workspaces } from './organization';

export const events = pgTable(
  'events',
  {
    id: id(),
    eventName: text('event_name').notNull(),
    userId: integer('user_id'),
    workspaceId: integer('workspace_id'),
    timestamp: timestamp('timestamp', { mode: 'date' }).notNull().defaultNow(),
    source: text('source'),
    url: text('url'),
    userAgent: text('user_agent'),
    ipAddress: text('ip_address'),
    sessionId: text('session_id'),
    eventProperties: jsonb('event_properties').$type<Record<string, unknown>>().notNull().default({}),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('events', t);
    return [
      ...r.tenant(tenants),
      // History outlives its user and workspace: keep the event, forget the link.
      ...r.ref(t.userId, users, 'set null'),
      ...r.ref(t.workspaceId, workspaces, 'set null'),
      r.check('event_name_not_blank', sql`length(btrim(${t.eventName})) > 0`),
      r.check('event_properties_object', sql`jsonb_typeof(${t.eventProperties}) = 'object'`),
      r.listIndex('time', t.timestamp.desc()),
      index('events_event_properties_gin').using('gin', t.eventProperties.op('jsonb_path_ops')),
    ];
  },
);
