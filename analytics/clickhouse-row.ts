// One outbox event as the row the shipper inserts into ClickHouse `events`, whichever way the shipper got it
// (read back from PostgreSQL, or handed over in memory by the ingest request that wrote it): both render the
// same bytes. The insert format is TabSeparated, the cheapest text format for ClickHouse to parse (18.16 and
// current); every value is escaped here.

/** The columns of ClickHouse `events` (analytics/migrations/0001_events.sql), in table order. */
export interface ShipRow {
  id: number;
  tenantId: number;
  /** Event time, epoch seconds. */
  ts: number;
  event: string;
  userId: number | null;
  workspaceId: number | null;
  sessionId: string | null;
  url: string | null;
  source: string | null;
  userAgent: string | null;
  ip: string | null;
  /** The event's properties (as stored in `events.event_properties`). */
  properties: Record<string, unknown>;
  /** When the outbox got it (`events.created_at`), epoch seconds. */
  receivedAt: number;
}

const VISITOR = '$distinct_id';

/**
 * A value as JSON text with object keys in jsonb's order (shorter keys first, then by bytes), so a nested
 * object reads the same whether it came back from PostgreSQL's jsonb or straight from the request.
 */
export function jsonbText(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(',')}]`;
  const keys = Object.keys(value).sort(jsonbKeyOrder);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonbText((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function jsonbKeyOrder(a: string, b: string): number {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length - y.length || Buffer.compare(x, y);
}

/** Top-level keys (sorted, the visitor id left out) and their values: strings as they are, null as '', others as JSON. */
export function propertyArrays(properties: Record<string, unknown>): { keys: string[]; values: string[] } {
  const keys = Object.keys(properties).filter((k) => k !== VISITOR).sort();
  const values = keys.map((k) => {
    const v = properties[k];
    return typeof v === 'string' ? v : v === null ? '' : jsonbText(v);
  });
  return { keys, values };
}

/** The CRM user (`u:12`), else the visitor id the ingest API stored as `$distinct_id` (`v:...`), else ''. */
export function distinctId(userId: number | null, properties: Record<string, unknown>): string {
  const visitor = properties[VISITOR];
  return userId !== null ? `u:${userId}` : typeof visitor === 'string' ? `v:${visitor}` : '';
}

// TabSeparated escaping: a field never holds a raw tab, newline or backslash.
// eslint-disable-next-line no-control-regex
const TSV_SPECIAL = /[\\\t\n\r\0\b\f]/g;
// eslint-disable-next-line no-control-regex
const QUOTED_SPECIAL = /[\\'\t\n\r\0\b\f]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', '\b': '\\b', '\f': '\\f' };
const escapeChar = (c: string) => ESCAPES[c]!;

/** A String field of a TabSeparated row. */
export function tsvString(value: string): string {
  return value.replace(TSV_SPECIAL, escapeChar);
}

/** An Array(String) field of a TabSeparated row: ['a','b'], each element quoted and escaped. */
export function tsvStringArray(values: readonly string[]): string {
  return `[${values.map((v) => `'${v.replace(QUOTED_SPECIAL, escapeChar)}'`).join(',')}]`;
}

const uint = (n: number | null) => (n === null ? '0' : String(n));
/** 'YYYY-MM-DD hh:mm:ss' in UTC (the columns' zone): 18.16 misreads epoch seconds in TabSeparated. */
const dateTime = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');

/** One ClickHouse row, TabSeparated, with its newline. NULLs become 0 or ''. */
export function tsvLine(r: ShipRow): string {
  const { keys, values } = propertyArrays(r.properties);
  return `${r.id}\t${r.tenantId}\t${dateTime(r.ts)}\t${tsvString(r.event)}\t${uint(r.userId)}\t${tsvString(distinctId(r.userId, r.properties))}\t${uint(r.workspaceId)}\t${tsvString(
    r.sessionId ?? '',
  )}\t${tsvString(r.url ?? '')}\t${tsvString(r.source ?? '')}\t${tsvString(r.userAgent ?? '')}\t${tsvString(r.ip ?? '')}\t${tsvStringArray(keys)}\t${tsvStringArray(
    values,
  )}\t${dateTime(r.receivedAt)}\n`;
}

/** The INSERT the rows of tsvLine go with (columns named: the table may gain columns with defaults). */
export const TSV_INSERT =
  'INSERT INTO events (id, tenant_id, ts, event, user_id, distinct_id, workspace_id, session_id, url, source, user_agent, ip, prop_keys, prop_values, received_at) FORMAT TabSeparated';
