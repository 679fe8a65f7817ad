// What the analytics pipeline (analytics/) needs beyond the seed: the tenants' ingest keys, and the queue of
// outbox events not yet shipped to ClickHouse.
import { sql } from 'drizzle-orm';
import { integer, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, rulesFor, secret, tenantId } from '../columns';
import { tenants, users, workspaces } from './organization';

/**
 * A tenant's key for the ingest API (`Authorization: Bearer <key>`). Only a SHA-256 hash of the secret is
 * stored, and only the server writes it: the secret is generated and shown once when the key is created
 * through POST /api/analytics/ingest-keys, or (re)generated for an existing key (analytics/ingest-keys.ts).
 * A key with no secret yet (created through the generic API) or a revoked one is refused. A key bound to a
 * workspace files its events under that workspace.
 */
export const ingestKeys = pgTable(
  'ingest_keys',
  {
    id: id(),
    name: text('name').notNull(),
    /** The key's first characters, so people can tell their keys apart ("epk_3fA9…"). */
    keyPrefix: text('key_prefix'),
    keyHash: secret(text('key_hash')),
    workspaceId: integer('workspace_id'),
    createdById: integer('created_by_id'),
    lastUsedAt: timestamp('last_used_at', { mode: 'date' }),
    revokedAt: timestamp('revoked_at', { mode: 'date' }),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('ingest_keys', t);
    return [
      ...r.tenant(tenants),
      // Like every workspace row, a workspace's keys keep it from being deleted (revoke or delete them first);
      // the key's author may leave, the key stays.
      ...r.ref(t.workspaceId, workspaces, 'restrict'),
      ...r.ref(t.createdById, users, 'set null'),
      r.check('name_not_blank', sql`length(btrim(${t.name})) > 0`),
      r.matches(t.keyHash, '^[0-9a-f]{64}$'),
      // Keys are looked up by hash across tenants (the key names no tenant).
      unique('ingest_keys_key_hash_key').on(t.keyHash),
    ];
  },
);

/**
 * The outbox's bookkeeping: the id of every `events` row not yet in ClickHouse. A statement trigger on
 * `events` (schema/derived-ddl.ts) adds the ids in the transaction that writes the events; the shipper
 * (analytics/shipper.ts) removes them once ClickHouse holds the rows. A narrow queue rather than a column on
 * `events`: marking a row shipped is then a delete of a 4-byte key, not an UPDATE rewriting the whole event
 * row and all of its indexes.
 */
export const eventsPending = pgTable('events_pending', {
  eventId: integer('event_id').primaryKey(),
});

/**
 * The shipper's batch in flight: the range of event ids it is inserting into ClickHouse, written (committed)
 * before the insert and removed with the dequeue. A range still here when a batch is read means an earlier
 * attempt may have left part of those events in ClickHouse (a crash, a failed insert): only then does the
 * shipper ask ClickHouse which it holds, and repair the rollup (analytics/shipper.ts). One row per attempt.
 */
export const eventsInFlight = pgTable(
  'events_in_flight',
  {
    firstEventId: integer('first_event_id').notNull(),
    lastEventId: integer('last_event_id').notNull(),
    startedAt: timestamp('started_at', { mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'events_in_flight_pkey', columns: [t.firstEventId, t.lastEventId] })],
);
