// The ingest API, PostHog-like:
//
//   POST /ingest/v1/events     one event   {"event": "page.view", "user": 12, "timestamp": "...", "properties": {...},
//                                           "url": "...", "session": "...", "source": "web", "workspace": 3}
//                              or a batch  {"batch": [event, event, ...]}
//   Authorization: Bearer epk_...  (an ingest key of the tenant), or the back office's session cookie.
//
// Fields: `event` (required, the event name); `user` a CRM user id (integer) or any visitor id (string);
// `timestamp` ISO 8601 or epoch milliseconds (default: now); `properties` a JSON object; `url`, `session`,
// `source` strings; `workspace` a workspace id; `uuid` the sender's id of the event (as PostHog's). Unknown
// fields are refused (typos are not silently lost).
//
// Retries are safe: an event whose `uuid` the tenant's outbox already holds is not stored again, and a batch
// sent with an `Idempotency-Key` header gives each event without a uuid one derived from the key and the
// event's position. The retry is answered like the first attempt (200, same count). Ids are remembered as long
// as PostgreSQL keeps the events (the shipper's retention, 7 days by default).
// With a session, events are the signed-in user's own (e.g. page.view from the browser), in their workspace.
//
// All or nothing: a batch with one invalid event is refused whole (400, every bad field of every bad event
// named, up to 20), and nothing is written. Clients retry whole batches, so a partial acceptance would turn
// each retry into duplicates. An accepted request is committed to the PostgreSQL outbox before the answer
// (200 {"accepted": n}); ClickHouse gets it from there (analytics/shipper.ts).
// 413 past the body limit or the batch size limit; 429 (Retry-After) past the per-key rate, nothing written.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { sql } from 'drizzle-orm';
import { invalid } from '../domain/errors';
import { JSON_MAX_DEPTH, jsonProblem } from '../domain/limits';
import type { ScopedData } from '../domain/scoped-data';
import { tsvLine, type ShipRow } from './clickhouse-row';
import type { EventHandOff, HandedBatch, Reservation } from './hand-off';
import { ConcurrencyGate } from './ingest-gate';
import { insertEvents, reserveEventIds, type OutboxEvent } from './outbox';

export interface IngestLimits {
  /** Request body, bytes (413 past it). */
  maxBodyBytes: number;
  /** Events per request (413 past it). */
  maxBatch: number;
  /** One event's properties as JSON, bytes. */
  maxPropertiesBytes: number;
  /** Per ingest key: events per second, and the burst (at least maxBatch). */
  keyRatePerSecond: number;
  keyBurst: number;
  /** Per signed-in user sending through the session. */
  sessionRatePerSecond: number;
  sessionBurst: number;
  /** Ingest transactions at once in this process, and batches waiting for one (429 past that). */
  maxWriters: number;
  maxWaiting: number;
}

/**
 * The defaults with what is set (undefined: the default). The app passes INGEST_MAX_BODY_BYTES, INGEST_MAX_BATCH,
 * INGEST_KEY_RATE, INGEST_KEY_BURST, INGEST_USER_RATE, INGEST_USER_BURST, INGEST_MAX_WRITERS and INGEST_MAX_WAITING from its configuration (domain/config.ts).
 */
export function ingestLimits(overrides: Partial<IngestLimits> = {}): IngestLimits {
  const set = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<IngestLimits>;
  const maxBatch = set.maxBatch ?? 50_000;
  return {
    maxBodyBytes: 20 * 1024 * 1024,
    maxPropertiesBytes: 32 * 1024,
    keyRatePerSecond: 20_000,
    sessionRatePerSecond: 20,
    sessionBurst: 200,
    maxWriters: 3,
    maxWaiting: 200,
    ...set,
    maxBatch,
    keyBurst: Math.max(maxBatch, set.keyBurst ?? 100_000),
  };
}

export const EVENT_FIELDS = ['event', 'user', 'timestamp', 'properties', 'url', 'session', 'source', 'workspace', 'uuid'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Printable ASCII, as the IETF draft on the Idempotency-Key header expects of a key (a UUID, usually).
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const RESERVED_PROPERTY = '$distinct_id';
const MIN_TIME = Date.UTC(2000, 0, 1);
const MAX_FUTURE_MS = 60 * 60_000;
const MAX_ERRORS = 20;
// ISO 8601 date-time with a zone (Z or ±hh:mm): a string Date.parse would read in the server's local time is refused.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Who is sending: an ingest key of a tenant, or a signed-in user. */
export type IngestSender =
  | { kind: 'key'; tenantId: number; keyId: number; workspaceId: number | null }
  | { kind: 'session'; tenantId: number; userId: number; workspaceId: number | null };

export interface ValidEvent extends OutboxEvent {
  /** A CRM user id the event names, to be checked against the tenant's users. */
  crmUser?: number;
  /** A workspace id the event names, to be checked against the tenant's workspaces. */
  workspaceRef?: number;
}

type Errors = Record<string, string>;

/** A request beyond the size limits: answered 413. */
export class IngestTooLarge extends Error {}

function text(value: unknown, max: number): string | null | Error {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return new Error('must be a string');
  if (value.length > max) return new Error(`must be at most ${max} characters`);
  return value;
}

/** One event, or the messages of its bad fields (keyed by field path). */
function validateEvent(raw: unknown, path: string, sender: IngestSender, limits: IngestLimits, now: number, errors: Errors): ValidEvent | null {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const before = Object.keys(errors).length;
  const fail = (field: string, message: string) => {
    errors[at(field)] = message;
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors[path || 'body'] = 'must be a JSON object with at least an "event" field';
    return null;
  }
  const e = raw as Record<string, unknown>;
  for (const k of Object.keys(e)) if (!(EVENT_FIELDS as readonly string[]).includes(k)) fail(k, `unknown field (an event has: ${EVENT_FIELDS.join(', ')})`);

  const out: ValidEvent = { event: '' };
  if (typeof e.event !== 'string' || !e.event.trim()) fail('event', 'is required: the event name, e.g. "page.view"');
  else if (e.event.length > 200) fail('event', 'must be at most 200 characters');
  else if (CONTROL.test(e.event)) fail('event', 'must not contain control characters');
  else out.event = e.event.trim();

  if (e.timestamp !== undefined && e.timestamp !== null) {
    let ms = NaN;
    if (typeof e.timestamp === 'number') ms = e.timestamp;
    else if (typeof e.timestamp === 'string' && ISO.test(e.timestamp)) ms = Date.parse(e.timestamp);
    if (!Number.isFinite(ms)) fail('timestamp', 'must be an ISO 8601 date-time with a time zone (2026-01-31T12:00:00Z) or epoch milliseconds');
    else if (ms < MIN_TIME) fail('timestamp', 'is before 2000-01-01');
    else if (ms > now + MAX_FUTURE_MS) fail('timestamp', 'is more than an hour in the future (check the sender\'s clock)');
    else out.timestamp = new Date(ms);
  }

  let properties: Record<string, unknown> = {};
  if (e.properties !== undefined && e.properties !== null) {
    if (typeof e.properties !== 'object' || Array.isArray(e.properties)) fail('properties', 'must be a JSON object');
    else {
      properties = e.properties as Record<string, unknown>;
      if (RESERVED_PROPERTY in properties) fail(`properties.${RESERVED_PROPERTY}`, 'is reserved: send the visitor id as "user"');
      // (Nested 3,000 deep, the properties failed in PostgreSQL's jsonb parser: a 500.)
      const problem = jsonProblem(properties, JSON_MAX_DEPTH, limits.maxPropertiesBytes + 250);
      if (problem) fail('properties', problem);
    }
  }

  const user = e.user;
  if (sender.kind === 'session') {
    if (user !== undefined && user !== null && user !== sender.userId) fail('user', 'a signed-in browser sends its own events only: leave "user" out');
    out.userId = sender.userId;
  } else if (typeof user === 'number') {
    if (!Number.isSafeInteger(user) || user < 1 || user > 2_147_483_647) fail('user', 'must be a CRM user id (a positive whole number) or a visitor id (a string)');
    else {
      out.userId = user;
      out.crmUser = user;
    }
  } else if (typeof user === 'string') {
    if (!user.trim() || user.length > 200) fail('user', 'a visitor id must be 1 to 200 characters');
    else {
      out.userId = null;
      properties = { ...properties, [RESERVED_PROPERTY]: user };
    }
  } else if (user !== undefined && user !== null) fail('user', 'must be a CRM user id (a whole number) or a visitor id (a string)');
  else out.userId = null;

  const ws = e.workspace;
  if (sender.kind === 'session') {
    if (ws !== undefined && ws !== null && ws !== sender.workspaceId) fail('workspace', 'is set by your session: leave it out');
    out.workspaceId = sender.workspaceId;
  } else if (ws !== undefined && ws !== null) {
    if (typeof ws !== 'number' || !Number.isSafeInteger(ws) || ws < 1) fail('workspace', 'must be a workspace id (a positive whole number)');
    else if (sender.workspaceId !== null && ws !== sender.workspaceId) fail('workspace', `this key files its events under workspace #${sender.workspaceId}`);
    else {
      out.workspaceId = ws;
      out.workspaceRef = ws;
    }
  } else out.workspaceId = sender.workspaceId;

  if (e.uuid !== undefined && e.uuid !== null) {
    if (typeof e.uuid !== 'string' || !UUID.test(e.uuid)) fail('uuid', 'must be a UUID (8-4-4-4-12 hexadecimal digits): the event\'s id, the same on every retry');
    else out.clientUuid = e.uuid.toLowerCase();
  }

  for (const [field, max] of [['url', 2048], ['session', 200], ['source', 50]] as const) {
    const v = text(e[field], max);
    if (v instanceof Error) fail(field, v.message);
    else if (field === 'url') out.url = v;
    else if (field === 'session') out.sessionId = v;
    else out.source = v ?? (sender.kind === 'session' ? 'web' : 'api');
  }
  out.properties = properties;
  // Serialized once: the size check and the insert share it.
  out.propertiesJson = JSON.stringify(properties);
  if (out.propertiesJson.length > limits.maxPropertiesBytes + 250) fail('properties', `must be at most ${limits.maxPropertiesBytes} bytes as JSON`);
  return Object.keys(errors).length === before ? out : null;
}

/** Error entries in event order (batch[2] before batch[10]), then by field. */
function ordered(errors: Errors): [string, string][] {
  const index = (k: string) => Number(/^batch\[(\d+)\]/.exec(k)?.[1] ?? -1);
  return Object.entries(errors).sort(([a], [b]) => index(a) - index(b));
}

function refuse(errors: Errors, count: number): never {
  const entries = ordered(errors);
  const bad = new Set(entries.map(([k]) => /^batch\[(\d+)\]/.exec(k)?.[1] ?? k)).size;
  const listed = entries.slice(0, MAX_ERRORS).map(([k, v]) => `${k}: ${v}`).join('; ');
  const more = entries.length > MAX_ERRORS ? ` (and ${entries.length - MAX_ERRORS} more)` : '';
  const what = count > 1 ? `${bad} of ${count} events are invalid, so none was accepted` : 'The event is invalid and was not accepted';
  throw invalid(`${what}: ${listed}${more}`, Object.fromEntries(entries.slice(0, MAX_ERRORS)));
}

/** A request body read: its events (null where invalid) and the messages of every bad field so far. */
export interface ParsedBody {
  events: (ValidEvent | null)[];
  errors: Errors;
  /** {"batch": [...]} (fields named batch[i].field) rather than one event (named field). */
  batch: boolean;
}

/**
 * The events of a request body, each valid or null, with a message per bad field (by path). Only a body that is
 * no event at all fails here; bad events are refused by acceptEvents, together with bad references.
 */
export function parseBody(body: unknown, sender: IngestSender, limits: IngestLimits, now = Date.now()): ParsedBody {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('Send a JSON object: one event ({"event": ...}) or a batch ({"batch": [...]}), with Content-Type: application/json');
  }
  const b = body as Record<string, unknown>;
  const errors: Errors = {};
  if (!('batch' in b)) return { events: [validateEvent(b, '', sender, limits, now, errors)], errors, batch: false };
  const extra = Object.keys(b).filter((k) => k !== 'batch');
  if (extra.length) throw invalid(`${extra[0]}: unknown field next to "batch" (a batch body is {"batch": [...]})`, { [extra[0]!]: 'unknown field' });
  if (!Array.isArray(b.batch) || b.batch.length === 0) throw invalid('batch: must be a non-empty list of events', { batch: 'must be a non-empty list' });
  if (b.batch.length > limits.maxBatch) {
    throw new IngestTooLarge(`batch: at most ${limits.maxBatch} events per request (got ${b.batch.length}): split it`);
  }
  return { events: b.batch.map((e, i) => validateEvent(e, `batch[${i}]`, sender, limits, now, errors)), errors, batch: true };
}

/** All valid, or a DomainError naming every bad field (no reference checks: see acceptEvents). */
export function validateBody(body: unknown, sender: IngestSender, limits: IngestLimits, now = Date.now()): ValidEvent[] {
  const parsed = parseBody(body, sender, limits, now);
  if (Object.keys(parsed.errors).length) refuse(parsed.errors, parsed.events.length);
  return parsed.events as ValidEvent[];
}

/** The ClickHouse rows of these events (TabSeparated), as PostgreSQL holds them: what the shipper inserts. */
function renderForClickHouse(events: readonly ValidEvent[], ids: readonly number[], tenantId: number, now: Date): string {
  const receivedAt = seconds(now);
  let tsv = '';
  events.forEach((e, i) => (tsv += tsvLine(shipRow(e, ids[i]!, tenantId, receivedAt))));
  return tsv;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** The gate of ingest transactions of this process, from its limits (maxWriters, maxWaiting). */
export const writerGate = (limits: Pick<IngestLimits, 'maxWriters' | 'maxWaiting'>) => new ConcurrencyGate(limits.maxWriters, limits.maxWaiting);
const defaultWriters = writerGate(ingestLimits());

/** The Idempotency-Key header, checked (400 if malformed), or null. */
function idempotencyKey(req?: Pick<Request, 'headers'>): string | null {
  const raw = req?.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0]! : raw;
  if (!IDEMPOTENCY_KEY.test(key)) throw invalid('Idempotency-Key: must be 1 to 200 printable characters (a UUID, say), the same on every retry of the batch', { 'Idempotency-Key': 'is malformed' });
  return key;
}

/** Event i's id under a batch's Idempotency-Key: a UUID (version 8, "custom") from a SHA-256 of both. */
function derivedUuid(key: string, i: number): string {
  const h = createHash('sha256').update(`${key}\u0000${i}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function shipRow(e: ValidEvent, id: number, tenantId: number, receivedAt: number): ShipRow {
  return {
    id,
    tenantId,
    ts: e.timestamp ? seconds(e.timestamp) : receivedAt,
    event: e.event,
    userId: e.userId ?? null,
    workspaceId: e.workspaceId ?? null,
    sessionId: e.sessionId ?? null,
    url: e.url ?? null,
    source: e.source ?? null,
    userAgent: e.userAgent ?? null,
    ip: e.ipAddress ?? null,
    properties: e.properties ?? {},
    receivedAt,
  };
}

/**
 * Writes the events into the outbox in one transaction of the sender's tenant, after checking the users and
 * workspaces they name exist there. Any bad field, or bad reference, of any event refuses the whole request
 * with every message (nothing is written). `admit` runs once everything is valid, before the write (the rate
 * limit: it may throw, and nothing is written then either). With a hand-off, the committed rows also go to the
 * shipper in memory (analytics/hand-off.ts); PostgreSQL's queue holds them all the same.
 */
export async function acceptEvents(
  data: ScopedData,
  sender: IngestSender,
  parsed: ParsedBody,
  req?: Pick<Request, 'headers' | 'ip'> & { socket?: { destroyed: boolean } },
  admit?: (count: number) => Promise<void>,
  handOff?: EventHandOff,
  writers: ConcurrencyGate = defaultWriters,
): Promise<number> {
  const userAgent = req?.headers['user-agent']?.slice(0, 1000) ?? null;
  const ip = req?.ip ?? null;
  const actor = sender.kind === 'session' ? sender.userId : null;
  const { events } = parsed;
  const errors: Errors = { ...parsed.errors };
  const key = idempotencyKey(req);
  if (key) events.forEach((e, i) => e && !e.clientUuid && (e.clientUuid = derivedUuid(key, i)));
  const handed: { reservation: Reservation | null; render: () => HandedBatch } = { reservation: null, render: () => ({ ids: [], tsv: '' }) };
  try {
    await writers.run(() => data.inTenant(sender.tenantId, actor, async (tx) => {
      const valid = events.filter((e): e is ValidEvent => e !== null);
      const users = [...new Set(valid.flatMap((e) => (e.crmUser === undefined ? [] : [e.crmUser])))];
      const workspaces = [...new Set(valid.flatMap((e) => (e.workspaceRef === undefined ? [] : [e.workspaceRef])))];
      const existing = async (table: 'users' | 'workspaces', ids: number[]) => {
        if (!ids.length) return new Set<number>();
        const { rows } = await tx.execute(sql`SELECT id FROM ${sql.identifier(table)} WHERE id = ANY(${sql.param(ids)}::int[])`);
        return new Set(rows.map((r) => Number((r as { id: number }).id)));
      };
      const [knownUsers, knownWorkspaces] = [await existing('users', users), await existing('workspaces', workspaces)];
      const path = (i: number) => (parsed.batch ? `batch[${i}].` : '');
      events.forEach((e, i) => {
        if (!e) return;
        if (e.crmUser !== undefined && !knownUsers.has(e.crmUser)) errors[`${path(i)}user`] = `no user #${e.crmUser} in this organization (send a visitor id as a string)`;
        if (e.workspaceRef !== undefined && !knownWorkspaces.has(e.workspaceRef)) errors[`${path(i)}workspace`] = `no workspace #${e.workspaceRef} in this organization`;
      });
      if (Object.keys(errors).length) refuse(errors, events.length);
      await admit?.(valid.length);
      for (const e of valid) {
        e.userAgent = userAgent;
        e.ipAddress = ip;
      }
      // (The hand-off needs every column as the row will hold it: no user or workspace left to the database's defaults.)
      if (!handOff || valid.some((e) => e.userId === undefined || e.workspaceId === undefined)) {
        await insertEvents(tx, valid);
        return;
      }
      // Ids known before the commit, reserved in the hand-off before the commit too: from the moment the rows
      // are visible in PostgreSQL's queue, its path knows to leave them to the hand-off.
      const placement = { ids: await reserveEventIds(tx, valid.length), now: new Date() };
      const written = await insertEvents(tx, valid, placement);
      // A retry's events already in the outbox were skipped: only the rows written go to the shipper.
      const kept = written ? new Set(written) : null;
      const ids = kept ? placement.ids.filter((id) => kept.has(id)) : placement.ids;
      const rows = kept ? valid.filter((_, i) => kept.has(placement.ids[i]!)) : valid;
      if (!ids.length) return;
      handed.reservation = handOff.reserve(ids);
      handed.render = () => ({ ids, tsv: renderForClickHouse(rows, ids, sender.tenantId, placement.now) });
    }), () => !req?.socket?.destroyed);
  } catch (err) {
    // Rolled back (or a commit whose outcome is unknown: PostgreSQL's path ships whatever did commit).
    handed.reservation?.cancel();
    throw err;
  }
  // Rendered after the commit, outside the transaction.
  handed.reservation?.committed(handed.render());
  return events.length;
}
