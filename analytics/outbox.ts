// Writing into the analytics outbox: the PostgreSQL `events` table, inside the caller's transaction, so an
// event exists exactly when the change it describes (or the ingest request that carried it) committed.
// A statement trigger queues every new row for the shipper (schema/derived-ddl.ts, events_pending).
import { sql } from 'drizzle-orm';
import { LEAD_CONVERTED_EVENT, type ConversionContext, type LeadConversion } from '../domain/crm/convert-lead';
import type { Tx } from '../domain/scoped-data';
import { TENANT_SETTING, USER_SETTING } from '../schema/derived-ddl';

export interface OutboxEvent {
  /** e.g. 'lead.converted'. */
  event: string;
  /** Defaults to the transaction's user (the actor of ScopedData.inTenant). */
  userId?: number | null;
  /** Defaults to the user's workspace (null: tenant-wide). */
  workspaceId?: number | null;
  /** Defaults to now. */
  timestamp?: Date;
  source?: string | null;
  url?: string | null;
  userAgent?: string | null;
  ipAddress?: string | null;
  sessionId?: string | null;
  properties?: Record<string, unknown>;
  /** `properties` already serialized (the ingest API validates and inserts the same text). */
  propertiesJson?: string;
  /** The sender's id of the event: an event whose id the tenant's outbox already holds is skipped (a retry). */
  clientUuid?: string | null;
}

/**
 * One domain event, in the caller's transaction (a ScopedData.inTenant / transaction `tx`): the tenant is the
 * transaction's, the user defaults to its actor. If the transaction rolls back, the event was never emitted.
 *
 *   await emitEvent(tx, { event: 'lead.converted', properties: { lead_id, contact_id, deal_id } });
 */
export async function emitEvent(tx: Tx, e: OutboxEvent): Promise<void> {
  await insertEvents(tx, [e]);
}

const text = (v: string | null | undefined) => v ?? null;

/** Where the rows of insertEvents go, when the caller needs to know (the ingest API's hand-off to the shipper). */
export interface InsertPlacement {
  /** One id per event, reserved with reserveEventIds in the same transaction. */
  ids: readonly number[];
  /** created_at of every row, and the time of events without one. */
  now: Date;
}

/**
 * n fresh ids of `events`, taken from its sequence: the caller then knows each row's id before it commits
 * (a sequence never hands an id out twice, committed or not).
 */
export async function reserveEventIds(tx: Tx, n: number): Promise<number[]> {
  const { rows } = await tx.execute(sql`SELECT array_agg(nextval(pg_get_serial_sequence('events', 'id'))::int) AS ids FROM generate_series(1, ${n}::int)`);
  const ids = (rows[0] as { ids: number[] }).ids.map(Number);
  return ids.sort((a, b) => a - b);
}

/**
 * Many events in one statement (the ingest API's path): one INSERT over unnest()ed arrays, whatever the batch
 * size. Tenant and default user come from the transaction's settings, so rows cannot land in another tenant
 * (row-level security checks it as well). With a placement, row i gets ids[i] and created_at `now`.
 *
 * Events with a clientUuid the tenant's outbox already holds (a retried batch) are skipped: ON CONFLICT on
 * the unique (tenant, client uuid) index; a concurrent retry waits for the first attempt's commit, then skips.
 * Returns the ids written when some event carries a clientUuid (so the caller knows which were skipped),
 * else null (all were written).
 */
export async function insertEvents(tx: Tx, events: readonly OutboxEvent[], placement?: InsertPlacement): Promise<number[] | null> {
  if (!events.length) return null;
  if (placement && placement.ids.length !== events.length) throw new Error('insertEvents: one reserved id per event');
  const now = placement?.now ?? new Date();
  const col = <T>(f: (e: OutboxEvent) => T) => events.map(f);
  const names = col((e) => e.event);
  const userIds = col((e) => e.userId ?? null);
  const defaultUser = col((e) => e.userId === undefined);
  const workspaces = col((e) => e.workspaceId ?? null);
  const defaultWorkspace = col((e) => e.workspaceId === undefined);
  const times = col((e) => (e.timestamp ?? now).toISOString());
  const sources = col((e) => text(e.source));
  const urls = col((e) => text(e.url));
  const agents = col((e) => text(e.userAgent));
  const ips = col((e) => text(e.ipAddress));
  const sessions = col((e) => text(e.sessionId));
  const props = col((e) => e.propertiesJson ?? JSON.stringify(e.properties ?? {}));
  const uuids = col((e) => e.clientUuid ?? null);
  const deduped = uuids.some((u) => u !== null);
  const ids = placement ? sql.param(placement.ids) : sql`NULL`;
  const placed = placement ? sql`, id, created_at` : sql``;
  const placedValues = placement ? sql`, y.id, ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'` : sql``;
  const { rows } = await tx.execute(sql`
    INSERT INTO events (event_name, user_id, workspace_id, "timestamp", source, url, user_agent, ip_address, session_id, event_properties, client_uuid, tenant_id${placed})
    SELECT y.name, y.user_id,
           CASE WHEN y.default_workspace THEN (SELECT u.workspace_id FROM users u WHERE u.id = y.user_id) ELSE y.workspace_id END,
           y.ts AT TIME ZONE 'UTC', y.source, y.url, y.agent, y.ip, y.session, y.props, y.client_uuid,
           nullif(current_setting(${TENANT_SETTING}, true), '')::integer${placedValues}
    FROM (
      SELECT x.*, CASE WHEN x.default_user THEN nullif(current_setting(${USER_SETTING}, true), '')::integer ELSE x.given_user END AS user_id
      FROM unnest(${sql.param(names)}::text[], ${sql.param(userIds)}::integer[], ${sql.param(defaultUser)}::boolean[], ${sql.param(workspaces)}::integer[],
                  ${sql.param(defaultWorkspace)}::boolean[], ${sql.param(times)}::timestamptz[], ${sql.param(sources)}::text[], ${sql.param(urls)}::text[],
                  ${sql.param(agents)}::text[], ${sql.param(ips)}::text[], ${sql.param(sessions)}::text[], ${sql.param(props)}::jsonb[], ${ids}::integer[],
                  ${deduped ? sql.param(uuids) : sql`NULL`}::uuid[])
        AS x(name, given_user, default_user, workspace_id, default_workspace, ts, source, url, agent, ip, session, props, id, client_uuid)
    ) y
    ${deduped ? sql`ON CONFLICT DO NOTHING RETURNING id` : sql``}`);
  return deduped ? rows.map((r) => Number((r as { id: number }).id)) : null;
}

/** The 'user.login' event of a password sign-in (domain/auth.ts), passed to the Authenticator as `onLogin` by admin/app.ts. */
export async function emitLogin(tx: Tx, login: { ip: string }): Promise<void> {
  await emitEvent(tx, { event: 'user.login', source: 'backoffice', ipAddress: login.ip, properties: { method: 'password' } });
}

/**
 * The 'lead.converted' event of a lead conversion (domain/crm/convert-lead.ts), emitted inside the conversion's
 * transaction through its `onConverted` hook: admin/app.ts passes it to crmRoutes as `onLeadConverted`.
 */
export async function emitLeadConverted(conversion: LeadConversion, context: Pick<ConversionContext, 'tx'>): Promise<void> {
  const { lead, contact, company, deal } = conversion;
  await emitEvent(context.tx, {
    event: LEAD_CONVERTED_EVENT,
    workspaceId: (lead.workspace_id as number | null | undefined) ?? null,
    properties: {
      lead_id: lead.id,
      contact_id: contact.id,
      company_id: company?.id ?? null,
      deal_id: deal?.id ?? null,
      deal_value: deal?.value ?? null,
      lead_source: lead.source ?? null,
    },
  });
}
