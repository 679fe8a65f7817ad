// Behavioural events. In PostgreSQL this table is the analytics outbox: rows are written in the same
// transaction as the change they describe and shipped to ClickHouse (analytics/).
import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    /**
     * The sender's id of the event (the ingest API's `uuid`, or one derived from the batch's Idempotency-Key):
     * a retried batch is not stored twice. Unique per tenant while the row is kept (the shipper's retention).
     */
    clientUuid: uuid('client_uuid'),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('events', t);
    return [
      ...r.tenant(tenants),
      // History outlives its user and workspace: keep the event, forget the link. Most ingested events are
      // anonymous and tenant-wide (NULL user and workspace): sparse indexes cost those rows nothing, and still
      // serve the SET NULL of a deleted user or workspace and the scoped reads by user or workspace.
      ...r.ref(t.userId, users, 'set null', { sparse: true }),
      ...r.ref(t.workspaceId, workspaces, 'set null', { sparse: true }),
      r.check('event_name_not_blank', sql`length(btrim(${t.eventName})) > 0`),
      r.check('event_properties_object', sql`jsonb_typeof(${t.eventProperties}) = 'object'`),
      r.listIndex('time', t.timestamp.desc()),
      // Sparse: events sent without an id cost the index nothing.
      uniqueIndex('events_tenant_client_uuid_key').on(t.tenantId, t.clientUuid).where(sql`${t.clientUuid} IS NOT NULL`),
      // No index on event_properties: property queries run in ClickHouse (analytics/), and a GIN entry per
      // key and value made every outbox insert several times dearer.
    ];
  },
);
