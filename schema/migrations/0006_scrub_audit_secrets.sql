-- The audit trigger used to strip users.password only: ingest keys' key_hash stood in before/after values,
-- readable in the audit log, its CSV export and the back office. The trigger (schema/derived-ddl.ts) now strips
-- every column the schema marks secret(); this removes the hashes already written, keeping "[changed]" where one
-- was changed, as the trigger now records it.
UPDATE audit_log SET
  after = CASE
    WHEN after IS NULL THEN NULL
    WHEN action = 'update' AND before->'key_hash' IS DISTINCT FROM after->'key_hash' THEN after || '{"key_hash": "[changed]"}'
    ELSE after - 'key_hash'
  END,
  before = before - 'key_hash'
WHERE resource = 'ingest_keys' AND (before ? 'key_hash' OR after ? 'key_hash');
