-- The dashboards' rollup: events and unique users per tenant, hour, event name, workspace and user. Kept by a
-- materialized view as events are inserted; read with countMerge / uniqIfMerge. Workspace and user stay in the
-- key so that workspace- and team-scoped viewers can be answered from the rollup too.
CREATE TABLE IF NOT EXISTS events_hourly (
  tenant_id UInt32,
  hour DateTime('UTC'),
  event String,
  workspace_id UInt32,
  user_id UInt32,
  events AggregateFunction(count),
  users AggregateFunction(uniqIf, String, UInt8)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, event, workspace_id, user_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hourly_mv TO events_hourly AS
SELECT
  tenant_id,
  toStartOfHour(ts) AS hour,
  event,
  workspace_id,
  user_id,
  countState() AS events,
  uniqIfState(distinct_id, distinct_id != '') AS users
FROM events
GROUP BY tenant_id, hour, event, workspace_id, user_id;
