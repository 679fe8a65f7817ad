// DDL that follows from the schema but that drizzle-kit does not generate: the updated_at trigger, the
// database's own tenant wall (row-level security for an application role), the audit trigger and the
// analytics outbox triggers (domain events and the queue of unshipped events).
// Every statement is idempotent, so it is re-applied after the migrations on every run and always
// covers every current table.
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import * as schema from './index';
import { secretColumns } from './columns';

export const allTables: PgTable[] = Object.values(schema as Record<string, unknown>).filter(
  (v): v is PgTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v,
);

/** The role every request-scoped transaction runs as (`SET LOCAL ROLE`): neither owner nor superuser. */
export const APP_ROLE = 'epesi_app';
/** Transaction-local settings (`set_config(name, value, true)`) that carry who is asking. */
export const TENANT_SETTING = 'epesi.tenant_id';
export const USER_SETTING = 'epesi.user_id';
/** The sign-in session (sessions.sid) of the request, spared when its own user's password changes. */
export const SESSION_SETTING = 'epesi.session_id';

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
const NOT_AUDITED = new Set(['audit_log', 'sessions', 'events']);

/** Which column holds a table's tenant: tenant_id, or id for tenants itself; null for tables outside tenancy. */
function tenantColumn(table: PgTable): string | null {
  const { name, columns } = getTableConfig(table);
  if (name === 'tenants') return 'id';
  return columns.some((c) => c.name === 'tenant_id') ? 'tenant_id' : null;
}

const functions = [
  `CREATE OR REPLACE FUNCTION epesi_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN NEW.updated_at := now(); RETURN NEW; END $$`,
  // NULL when unset, and tenant_id = NULL matches nothing: a query that forgets the tenant sees no rows.
  // Not PARALLEL SAFE, on purpose: the planner counts the policy's tenant test and the query's own as two
  // independent filters, thinks a tenant's rows a hundred times rarer than they are, and then prefers parallel
  // plans whose workers cost ~10 ms to start for a search that takes 0.3 ms on one core.
  `CREATE OR REPLACE FUNCTION epesi_current_tenant() RETURNS integer LANGUAGE sql STABLE AS
   $$ SELECT nullif(current_setting('${TENANT_SETTING}', true), '')::integer $$`,
  `CREATE OR REPLACE FUNCTION epesi_audit() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     actor integer := nullif(current_setting('${USER_SETTING}', true), '')::integer;
     old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
     new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
     row_data jsonb := coalesce(new_row, old_row);
     tenant integer;
     secret text;
   BEGIN
     -- Changes made by the system (migrations, seeding) carry no actor and are not audit events.
     IF actor IS NULL THEN RETURN NULL; END IF;
     IF TG_OP = 'UPDATE' AND old_row = new_row THEN RETURN NULL; END IF;
     -- Secrets (the columns the schema marks secret(), TG_ARGV[1]) never reach the log; a changed one is
     -- recorded as "[changed]".
     FOREACH secret IN ARRAY string_to_array(TG_ARGV[1], ',') LOOP
       IF TG_OP = 'UPDATE' AND old_row->secret IS DISTINCT FROM new_row->secret THEN
         new_row := new_row || jsonb_build_object(secret, '[changed]');
       ELSE
         new_row := new_row - secret;
       END IF;
       old_row := old_row - secret;
     END LOOP;
     tenant := (row_data->>TG_ARGV[0])::integer;
     -- Rows removed with their whole tenant leave no trail: the trail goes with the tenant.
     IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = tenant) THEN RETURN NULL; END IF;
     INSERT INTO audit_log (tenant_id, actor_id, resource, record_id, action, before, after)
     VALUES (tenant, actor, TG_TABLE_NAME, (row_data->>'id')::integer,
             CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE lower(TG_OP) END, old_row, new_row);
     RETURN NULL;
   END $$`,
];

// The analytics outbox (analytics/). Every change an actor makes to an audited table also writes a domain event
// into `events`, in the same transaction, so no write path needs code of its own: record.created / updated /
// deleted with {resource, record_id} (and the changed fields), plus deal.stage_changed when a deal moves.
// Every row written into `events`, by any path, is queued in `events_pending` until it is shipped.
const analyticsOutbox = [
  `CREATE OR REPLACE FUNCTION epesi_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     actor integer := nullif(current_setting('${USER_SETTING}', true), '')::integer;
     old_row jsonb;
     new_row jsonb;
     row_data jsonb;
     tenant integer;
     workspace integer;
     changed text[];
     props jsonb;
   BEGIN
     -- Like the audit trail: system changes (migrations, seeding, bulk loads) are not user activity.
     IF actor IS NULL THEN RETURN NULL; END IF;
     old_row := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
     new_row := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
     row_data := coalesce(new_row, old_row);
     tenant := (row_data->>TG_ARGV[0])::integer;
     IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = tenant) THEN RETURN NULL; END IF;
     IF TG_OP = 'UPDATE' THEN
       SELECT array_agg(n.key ORDER BY n.key) INTO changed FROM jsonb_each(new_row) n
       WHERE n.key <> 'updated_at' AND n.value IS DISTINCT FROM old_row->n.key;
       IF changed IS NULL THEN RETURN NULL; END IF;
     END IF;
     IF TG_TABLE_NAME <> 'workspaces' THEN workspace := (row_data->>'workspace_id')::integer; END IF;
     -- A row deleted along with its workspace (cascade): the event outlives the workspace, without the link.
     IF TG_OP = 'DELETE' AND workspace IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM workspaces WHERE tenant_id = tenant AND id = workspace) THEN
       workspace := NULL;
     END IF;
     props := jsonb_build_object('resource', TG_TABLE_NAME, 'record_id', (row_data->>'id')::integer);
     IF changed IS NOT NULL THEN props := props || jsonb_build_object('fields', to_jsonb(changed)); END IF;
     INSERT INTO events (event_name, user_id, workspace_id, source, event_properties, tenant_id)
     VALUES ('record.' || CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END,
             actor, workspace, 'backoffice', props, tenant);
     IF TG_TABLE_NAME = 'deals' AND TG_OP = 'UPDATE' AND old_row->'stage_id' IS DISTINCT FROM new_row->'stage_id' THEN
       INSERT INTO events (event_name, user_id, workspace_id, source, event_properties, tenant_id)
       VALUES ('deal.stage_changed', actor, workspace, 'backoffice', jsonb_build_object(
         'deal_id', (new_row->>'id')::integer,
         'from_stage_id', (old_row->>'stage_id')::integer,
         'to_stage_id', (new_row->>'stage_id')::integer,
         'pipeline_id', (SELECT sale_pipeline_id FROM sales_stages WHERE tenant_id = tenant AND id = (new_row->>'stage_id')::integer),
         'value', new_row->'value'), tenant);
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE OR REPLACE FUNCTION epesi_events_pending() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO events_pending (event_id) SELECT id FROM inserted_events;
     RETURN NULL;
   END $$`,
  // Once per statement (a transition table): a bulk insert of many events queues them in one insert.
  `CREATE OR REPLACE TRIGGER events_pending AFTER INSERT ON events REFERENCING NEW TABLE AS inserted_events
   FOR EACH STATEMENT EXECUTE FUNCTION epesi_events_pending()`,
];

const managerTree = [
  // The manager tree stays a tree: nobody ends up managing one of their own managers.
  `CREATE OR REPLACE FUNCTION epesi_users_no_manager_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF NEW.manager_id IS NOT NULL AND EXISTS (
       WITH RECURSIVE chain AS (
         SELECT id, manager_id FROM users WHERE id = NEW.manager_id AND tenant_id = NEW.tenant_id
         UNION SELECT u.id, u.manager_id FROM users u JOIN chain c ON u.id = c.manager_id AND u.tenant_id = NEW.tenant_id
       ) SELECT 1 FROM chain WHERE id = NEW.id
     ) THEN
       RAISE EXCEPTION 'a user cannot report to someone who reports to them' USING
         ERRCODE = 'check_violation', CONSTRAINT = 'users_manager_cycle', TABLE = 'users', COLUMN = 'manager_id';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE OR REPLACE TRIGGER users_no_manager_cycle BEFORE INSERT OR UPDATE OF manager_id ON users
   FOR EACH ROW EXECUTE FUNCTION epesi_users_no_manager_cycle()`,
];

// A password changed by any path ends every session of that user (sessions.sess->adminUser, admin/session.ts),
// except the one of the request that changed it. SECURITY DEFINER: the application role cannot touch sessions.
const passwordEndsSessions = [
  `CREATE OR REPLACE FUNCTION epesi_end_sessions_of_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
   BEGIN
     DELETE FROM sessions
     WHERE sess->'adminUser'->>'userId' = NEW.id::text AND sess->'adminUser'->>'tenantId' = NEW.tenant_id::text
       AND sid IS DISTINCT FROM nullif(current_setting('${SESSION_SETTING}', true), '');
     RETURN NULL;
   END $$`,
  `REVOKE ALL ON FUNCTION epesi_end_sessions_of_user() FROM PUBLIC`,
  `CREATE OR REPLACE TRIGGER users_password_ends_sessions AFTER UPDATE OF password ON users
   FOR EACH ROW WHEN (OLD.password IS DISTINCT FROM NEW.password) EXECUTE FUNCTION epesi_end_sessions_of_user()`,
];

// Sign-in takes "username or email", so each such text names at most one user of the tenant: nobody's email is
// another user's username, or the reverse (ignoring case, like the unique indexes). A unique index cannot span two
// columns of different rows, hence a trigger; the per-tenant advisory lock makes two concurrent writes take turns.
const loginNames = [
  `CREATE OR REPLACE FUNCTION epesi_users_login_unambiguous() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtext('epesi_users_login'), NEW.tenant_id);
     IF EXISTS (SELECT 1 FROM users WHERE tenant_id = NEW.tenant_id AND id IS DISTINCT FROM NEW.id
                AND lower(username) = lower(NEW.email)) THEN
       RAISE EXCEPTION 'email is another user''s username' USING
         ERRCODE = 'unique_violation', CONSTRAINT = 'users_email_is_username', TABLE = 'users', COLUMN = 'email';
     END IF;
     IF EXISTS (SELECT 1 FROM users WHERE tenant_id = NEW.tenant_id AND id IS DISTINCT FROM NEW.id
                AND lower(email) = lower(NEW.username)) THEN
       RAISE EXCEPTION 'username is another user''s email' USING
         ERRCODE = 'unique_violation', CONSTRAINT = 'users_username_is_email', TABLE = 'users', COLUMN = 'username';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE OR REPLACE TRIGGER users_login_unambiguous BEFORE INSERT OR UPDATE OF username, email ON users
   FOR EACH ROW EXECUTE FUNCTION epesi_users_login_unambiguous()`,
];

const appRole = [
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} NOLOGIN; END IF;
   EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created concurrently by another database
   END $$`,
  // The connecting (owner) account must be able to SET ROLE to it.
  `DO $$ BEGIN
     IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user); END IF;
   END $$`,
  `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`,
  `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`,
  // The trail is append-only for the application; tenants are created and removed by operators only.
  `REVOKE UPDATE, DELETE ON audit_log FROM ${APP_ROLE}`,
  `REVOKE INSERT, DELETE ON tenants FROM ${APP_ROLE}`,
  `REVOKE ALL ON sessions FROM ${APP_ROLE}`,
  // Counters of the limits that protect users: the server's, never the application role's to reset.
  `REVOKE ALL ON rate_limits FROM ${APP_ROLE}`,
  // The application only queues events (through the trigger above); the shipper, as the owner, dequeues them.
  `REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON events_pending FROM ${APP_ROLE}`,
  `REVOKE ALL ON events_in_flight FROM ${APP_ROLE}`,
];

// Whether a request's sign-in session still stands (not signed out, not ended by a password change, not
// expired), asked in the statement that sets a request's tenant: each instance keeps the sessions it has read
// (admin/session.ts), and this is what still ends one everywhere at once. '' (no session) stands. SECURITY
// DEFINER: the application role cannot read sessions; it learns only yes or no for a session id it holds.
const sessionStands = [
  `CREATE OR REPLACE FUNCTION epesi_session_stands(session_id text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
   $$ SELECT session_id = '' OR EXISTS (SELECT 1 FROM sessions WHERE sid = session_id AND expire > now()) $$`,
  `REVOKE ALL ON FUNCTION epesi_session_stands(text) FROM PUBLIC`,
  `GRANT EXECUTE ON FUNCTION epesi_session_stands(text) TO ${APP_ROLE}`,
];

export function derivedDdl(): string[] {
  const statements = [...functions, ...managerTree, ...passwordEndsSessions, ...loginNames, ...appRole, ...sessionStands, ...analyticsOutbox];
  for (const table of allTables) {
    const { name, columns } = getTableConfig(table);
    const t = quote(name);
    if (columns.some((c) => c.name === 'updated_at')) {
      statements.push(
        `CREATE OR REPLACE TRIGGER ${quote(`${name}_touch_updated_at`)} BEFORE UPDATE ON ${t}
         FOR EACH ROW EXECUTE FUNCTION epesi_touch_updated_at()`,
      );
    }
    const tenant = tenantColumn(table);
    if (!tenant) continue;
    statements.push(
      `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
      `DROP POLICY IF EXISTS tenant_isolation ON ${t}`,
      // (SELECT ...): the tenant is read once per statement (an InitPlan), not once per row a scan filters.
      `CREATE POLICY tenant_isolation ON ${t} USING (${quote(tenant)} = (SELECT epesi_current_tenant()))
       WITH CHECK (${quote(tenant)} = (SELECT epesi_current_tenant()))`,
    );
    if (!NOT_AUDITED.has(name)) {
      statements.push(
        `CREATE OR REPLACE TRIGGER ${quote(`${name}_audit`)} AFTER INSERT OR UPDATE OR DELETE ON ${t}
         FOR EACH ROW EXECUTE FUNCTION epesi_audit('${tenant}', '${secretColumns(table).join(',')}')`,
        `CREATE OR REPLACE TRIGGER ${quote(`${name}_record_event`)} AFTER INSERT OR UPDATE OR DELETE ON ${t}
         FOR EACH ROW EXECUTE FUNCTION epesi_record_event('${tenant}')`,
      );
    }
  }
  return statements;
}
