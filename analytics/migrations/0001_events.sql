-- Raw events: one row per PostgreSQL outbox row, `id` being the outbox's events.id (the idempotency key).
-- Sorted for per-tenant time-range queries: (tenant, day, event name, id). ReplacingMergeTree keyed by id
-- (the last sort column): should a row ever arrive twice, merges keep one. The shipper (analytics/shipper.ts)
-- already inserts each id once; this is the second line of defence, not the first.
-- Times are UTC; 0 means "none" for user_id and workspace_id (no Nullable in hot columns).
-- Properties are flattened into parallel arrays of top-level keys and values (nested values as JSON text):
-- exact on every ClickHouse version, where 18.16 has no JSON functions beyond visitParam*.
CREATE TABLE IF NOT EXISTS events (
  id UInt64,
  tenant_id UInt32,
  ts DateTime('UTC'),
  event String,
  user_id UInt32,
  distinct_id String,
  workspace_id UInt32,
  session_id String,
  url String,
  source String,
  user_agent String,
  ip String,
  prop_keys Array(String),
  prop_values Array(String),
  received_at DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (tenant_id, toDate(ts), event, id);

-- Every event id ClickHouse holds, sorted by id: how the shipper asks "which of this batch is already here?"
-- in milliseconds, whatever the size of `events`.
CREATE TABLE IF NOT EXISTS event_ids (
  id UInt64
) ENGINE = ReplacingMergeTree
ORDER BY id;

CREATE MATERIALIZED VIEW IF NOT EXISTS event_ids_mv TO event_ids AS SELECT id FROM events;
