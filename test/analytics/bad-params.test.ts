// Bad query parameters and bodies on the analytics API, with a real ClickHouse and PostgreSQL behind it (the
// real app, signed in as demo users): garbage and out-of-range times, intervals, breakdowns and event names
// with quotes, backslashes, NUL and unicode, funnels of 0/1/50 steps, windows, retention periods, workspaces,
// limits, repeated and unknown parameters, the CSV variants, and ingest-key bodies. Each answers a 4xx with a
// message, or a 200 with a valid result where the input is only unusual; never a 500, never ClickHouse SQL or
// a stack trace; and no PostgreSQL table changes (sessions aside).
import { beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../http/client';
import { ingest, useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
const browsers: Record<string, Browser> = {};
let fingerprintSql = '';
const ids: Record<string, string> = {};

const enc = encodeURIComponent;
const NUL = 'a\u0000b';
const ODD = ["it's", 'a\\b', "\\'", NUL, 'ü→😀', '"x"', '`x`', ')) OR 1=1 --', 'x'.repeat(200)];
const RANGE = 'from=2025-03-01&to=2025-04-01';
const EVENT_QUERIES = ['event-headlines', 'trends', 'top-events', 'top-pages', 'sessions', 'funnel', 'retention'];
const ALL_QUERIES = [...EVENT_QUERIES, 'headlines', 'pipeline', 'lead-conversion', 'activities'];
/** A query's minimal valid parameters (funnel needs steps). */
const base = (q: string) => (q === 'funnel' ? 'steps=page.view,signup&' : '');

/** `status`: what must come back; `as`: tenant/user ('acme/director' by default). */
interface Case {
  path: string;
  status: number;
  method?: string;
  body?: string;
  as?: string;
  /** A part the message must contain (it names the parameter). */
  says?: string;
}

const get = (path: string, status: number, says?: string): Case => ({ path: `/api/analytics/${path}`, status, says });

/** The same bad parameter on every query (JSON and CSV) that reads it. */
const onEach = (queries: string[], param: string, status: number, says?: string): Case[] =>
  queries.flatMap((q) => [get(`${q}?${base(q)}${param}`, status, says), get(`${q}.csv?${base(q)}${param}`, status, says)]);

const CASES: Case[] = [
  // Times: garbage, impossible dates, before 1970 / after 2105, reversed, too long a range.
  ...['from=garbage', 'to=garbage', 'from=2025-13-01', 'from=2025-02-30', 'from=2025-03-01T25:00:00Z', 'from=2025-03-01T12:00:00', 'from=0001-01-01',
    'to=9999-12-31', 'from=0001-01-01&to=9999-12-31', 'from=2025-04-01&to=2025-03-01', 'from=2025-03-01&to=2025-03-01', `from=${enc(NUL)}`,
    'from=1e12', 'to=-1', `from=${'9'.repeat(5000)}`].flatMap((p) => onEach(ALL_QUERIES, p, 400)),
  ...onEach(EVENT_QUERIES, 'from=2020-01-01&to=2025-01-01', 400, 'at most'),
  // An unencoded + arrives as a space (refused); encoded, the offset is read.
  get('trends?from=2025-03-01T00:00:00+01:00&to=2025-04-01', 400, 'from'),
  get(`trends?from=${enc('2025-03-01T00:00:00+14:00')}&to=${enc('2025-03-31T23:59:59.999999-12:00')}`, 200),
  // A lone `to` near the earliest accepted time: the default from (30 days before) must not fall before 1970.
  ...onEach(ALL_QUERIES, 'to=1970-01-03', 200),
  ...onEach(ALL_QUERIES, 'to=2105-01-01&from=2104-12-01', 200),
  // Intervals.
  ...['interval=fortnight', 'interval=DAY', `interval=${enc(NUL)}`, 'interval=day&interval=hour', 'interval[]=day', 'interval[a]=day'].flatMap((p) =>
    onEach(['trends', 'sessions', 'retention'], `${RANGE}&${p}`, 400, 'interval'),
  ),
  get(`retention?${RANGE}&interval=hour`, 400, 'interval'),
  get('trends?from=2023-01-01&to=2025-03-01&interval=hour', 400, 'interval'),
  get('sessions?from=2023-01-01&to=2025-03-01&interval=hour', 400, 'interval'),
  get('trends?from=2023-01-01&to=2025-03-01&interval=month', 200),
  // Breakdown by odd property names: quoted, escaped, NUL, unicode are legal (200); 10k characters are not.
  ...ODD.flatMap((k) => [get(`trends?${RANGE}&breakdown=${enc(k)}`, 200), get(`trends.csv?${RANGE}&breakdown=${enc(k)}`, 200)]),
  get(`trends?${RANGE}&breakdown=${'x'.repeat(10_000)}`, 400, 'breakdown'),
  get(`trends?${RANGE}&breakdown=a&breakdown=b`, 400, 'breakdown'),
  // Event lists with odd names (legal), too many, too long, empty, repeated.
  ...ODD.map((e) => get(`trends?${RANGE}&events=${enc(`page.view,${e}`)}`, 200)),
  get(`trends?${RANGE}&events=${Array.from({ length: 2000 }, (_, i) => `e${i}`).join(',')}`, 400, 'events'),
  get(`trends?${RANGE}&events=${'x'.repeat(201)}`, 400, 'events'),
  get(`trends?${RANGE}&events=,,,`, 400, 'events'),
  get(`trends?${RANGE}&events=a&events=b`, 400, 'events'),
  ...ODD.map((e) => get(`top-pages?${RANGE}&event=${enc(e)}`, 200)),
  get(`top-pages?${RANGE}&event=${'x'.repeat(10_000)}`, 400, 'event'),
  // Funnels: 0, 1, 2, 10, 11, 50 steps; odd names; windows.
  ...['', 'steps=', 'steps=signup', 'steps=,signup,', `steps=${Array.from({ length: 11 }, (_, i) => `s${i}`).join(',')}`,
    `steps=${Array.from({ length: 50 }, (_, i) => `s${i}`).join(',')}`].flatMap((p) => [get(`funnel?${RANGE}&${p}`, 400, 'steps'), get(`funnel.csv?${RANGE}&${p}`, 400, 'steps')]),
  get(`funnel?${RANGE}&steps=page.view,page.view`, 200),
  get(`funnel?${RANGE}&steps=${Array.from({ length: 10 }, (_, i) => (i % 2 ? 'signup' : 'page.view')).join(',')}`, 200),
  get(`funnel?${RANGE}&steps=${enc(ODD.join(','))}`, 200),
  get(`funnel?${RANGE}&steps=${enc(Array.from({ length: 10 }, (_, i) => `${i}${'é'.repeat(199)}`).join(','))}`, 200),
  ...['window=-1', 'window=0', 'window=abc', 'window=1.5', 'window=1e9', `window=${'9'.repeat(30)}`, 'window=7776001', 'window=1&window=2'].flatMap((p) => [
    get(`funnel?${RANGE}&steps=page.view,signup&${p}`, 400, 'window'),
    get(`funnel.csv?${RANGE}&steps=page.view,signup&${p}`, 400, 'window'),
  ]),
  get(`funnel?${RANGE}&steps=page.view,signup&window=7776000`, 200),
  // Retention periods and events.
  ...['periods=0', 'periods=-1', 'periods=1000', 'periods=abc', 'periods=25'].map((p) => get(`retention?${RANGE}&${p}`, 400, 'periods')),
  get(`retention?${RANGE}&periods=24&interval=day`, 200),
  ...ODD.map((e) => get(`retention?${RANGE}&start_event=${enc(e)}&return_event=${enc(e)}`, 200)),
  get(`retention?${RANGE}&start_event=${'x'.repeat(10_000)}`, 400, 'start_event'),
  // Workspaces: garbage is a 400; none, an unknown id or another tenant's is a valid empty filter.
  ...['workspace=abc', 'workspace=-1', 'workspace=0', 'workspace=1.5', `workspace=${'9'.repeat(20)}`, 'workspace=1&workspace=2', `workspace=${enc(NUL)}`].flatMap(
    (p) => onEach(ALL_QUERIES, `${RANGE}&${p}`, 400, 'workspace'),
  ),
  ...['workspace=none', 'workspace=2147483647', 'workspace={globexWorkspace}'].flatMap((p) => onEach(ALL_QUERIES, `${RANGE}&${p}`, 200)),
  // Limits and other knobs.
  ...['limit=0', 'limit=-5', 'limit=abc', 'limit=1e2', 'limit=101', `limit=${'9'.repeat(400)}`, 'limit=1&limit=2'].flatMap((p) =>
    onEach(['trends', 'top-events', 'top-pages'], `${RANGE}&${p}`, 400, 'limit'),
  ),
  ...['by=nobody', 'by=user&by=team', `by=${enc(NUL)}`].map((p) => get(`activities?${p}`, 400, 'by')),
  // Unknown parameters are ignored.
  ...onEach(ALL_QUERIES, `${RANGE}&perPage=garbage&page=-1&sort=${enc("'")}&__proto__[x]=1&constructor=1`, 200),
  // Unknown queries, including names every object has.
  ...['nope', 'nope.csv', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'constructor.csv', '__proto__.csv', '.csv', 'trends.csv.csv', enc(NUL),
    'ingest-keys'].map((q) => get(q, 404)),
  // Gates: an agent may not read analytics; a director without... every demo director may export.
  { ...get(`trends?${RANGE}`, 403), as: 'acme/agent' },
  { ...get(`trends.csv?${RANGE}`, 403), as: 'acme/agent' },
  { ...get(`trends?from=garbage`, 403), as: 'acme/agent' },
  { ...get(`pipeline?${RANGE}&workspace={globexWorkspace}`, 200), as: 'acme/manager' },
  { ...get(`activities.csv?${RANGE}&by=team&workspace=none`, 200), as: 'acme/manager' },
  // Ingest keys: bad bodies, ids and keys (admin holds manage_integrations).
  ...[
    '{"name":', '[1,2]', 'null', '"k"', '{}', JSON.stringify({ name: NUL }), JSON.stringify({ name: 1 }), JSON.stringify({ name: ['k'] }),
JSON.stringify({ name: 'k', workspace_id: 'abc' }), JSON.stringify({ name: 'k', workspace_id: -1 }),
    JSON.stringify({ name: 'k', workspace_id: 99_999_999 }), JSON.stringify({ name: 'k', workspace_id: '{globexWorkspace}' }),
    JSON.stringify({ name: 'k', workspace_id: 1.5 }),     JSON.stringify({ name: 'k', revoked_at: 'garbage' }), JSON.stringify({ name: 'k', nope: 1 }),
  ].map((body): Case => ({ method: 'POST', path: '/api/analytics/ingest-keys', body, status: 400, as: 'acme/admin' })),
  // Columns nobody writes: the server's secret, the tenant.
  ...[{ name: 'k', key_hash: 'x' }, { name: 'k', tenant_id: 1 }].map(
    (body): Case => ({ method: 'POST', path: '/api/analytics/ingest-keys', body: JSON.stringify(body), status: 403, as: 'acme/admin' }),
  ),
  ...['abc', '-1', '1.5', '99999999999999999999', '{globexKey}', '{revokedKey}'].map(
    (id): Case => ({ method: 'POST', path: `/api/analytics/ingest-keys/${id.startsWith('{') ? id : enc(id)}/rotate`, body: '{}', status: id === '{revokedKey}' ? 409 : id === '{globexKey}' ? 404 : 400, as: 'acme/admin' }),
  ),
  { method: 'POST', path: '/api/analytics/ingest-keys', body: JSON.stringify({ name: 'k' }), status: 403, as: 'acme/director' },
  { method: 'POST', path: '/api/analytics/ingest-keys/1/rotate', body: '{}', status: 403, as: 'acme/director' },
  { method: 'POST', path: '/api/analytics/ingest-keys', body: JSON.stringify({ name: 'x'.repeat(200_000) }), status: 413, as: 'acme/admin' },
  // Other methods on the queries.
  { method: 'POST', path: `/api/analytics/trends?${RANGE}`, body: '{}', status: 404 },
  { method: 'DELETE', path: '/api/analytics/ingest-keys/1', status: 404, as: 'acme/admin' },
  // More names than a request head may hold (16 KB): Node's HTTP parser refuses it before the app sees the
  // request (admin/http-errors.ts answerMalformedRequests gives that refusal a message too).
  get(`trends?${RANGE}&events=${Array.from({ length: 5000 }, (_, i) => `event${i}`).join(',')}`, 431, 'headers are too large'),
];

const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_m, k: string) => ids[k]!);

async function as(who: string) {
  if (!browsers[who]) {
    const [tenant, user] = who.split('/');
    const b = new Browser(w.base);
    expect((await b.login(tenant!, user!)).status).toBe(200);
    browsers[who] = b;
  }
  return browsers[who]!;
}

/** What must never reach a client: ClickHouse or PostgreSQL error text, SQL, a stack trace. */
const LEAK = /DB::Exception|Code: \d+|SELECT |FROM events|toDateTime|\bat [\w.<>]+ \(|\.ts:\d+|node_modules|syntax error|violates/i;

const fingerprint = async () => (await w.db.pool.query(fingerprintSql)).rows[0];

beforeAll(async () => {
  // A few events whose names and property keys are the odd strings above, in the queried month.
  const batch = ODD.flatMap((s, i) => [
    { event: 'page.view', user: `v${i}`, timestamp: `2025-03-0${1 + (i % 9)}T10:00:00Z`, properties: { [s.replace(/\0/g, '')]: s.replace(/\0/g, ''), plan: 'pro' }, url: '/p' },
    { event: s.replace(/\0/g, ''), user: `v${i}`, timestamp: `2025-03-0${1 + (i % 9)}T11:00:00Z` },
    { event: 'signup', user: `v${i}`, timestamp: `2025-03-0${1 + (i % 9)}T12:00:00Z` },
  ]);
  const res = await ingest(w.base, w.keys.acme, { batch });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await w.shipper.drain();
  const one = async (sql: string, params: unknown[] = []) => String(Object.values((await w.db.pool.query(sql, params)).rows[0])[0]);
  ids.globexWorkspace = String(w.globex.workspaces[0]);
  ids.globexKey = await one('SELECT id FROM ingest_keys WHERE tenant_id = $1 ORDER BY id LIMIT 1', [w.globex.id]);
  ids.revokedKey = await one(
    `INSERT INTO ingest_keys (tenant_id, name, revoked_at) VALUES ($1, 'revoked for bad-params', now()) RETURNING id`,
    [w.acme.id],
  );
  const { rows } = await w.db.pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'sessions' ORDER BY 1");
  fingerprintSql = `SELECT ${rows.map(({ t }) => `(SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM "${t}") AS "${t}"`).join(', ')}`;
}, 60_000);

describe('bad analytics parameters', () => {
  it.each(CASES.map((c) => [`${c.method ?? 'GET'} ${c.path.slice(0, 160)}${c.body ? ` ${c.body.slice(0, 80)}` : ''} (${c.as ?? 'acme/director'})`, c] as const))(
    '%s',
    async (_name, c) => {
      const browser = await as(c.as ?? 'acme/director'); // signed in before the fingerprint: a sign-in writes an event
      const before = await fingerprint();
      const res = await browser.call(c.method ?? 'GET', fill(c.path), c.body === undefined ? undefined : fill(c.body));
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      expect(res.status, text.slice(0, 500)).toBe(c.status);
      expect(text).not.toMatch(LEAK);
      if (c.status >= 400) {
        expect(typeof res.body?.error, text.slice(0, 500)).toBe('string');
        expect(res.body.error.length).toBeGreaterThan(5);
        if (c.says) expect(res.body.error).toContain(c.says);
      } else if (/\.csv(\?|$)/.test(c.path)) {
        expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      } else {
        expect(Array.isArray(res.body.rows), text.slice(0, 500)).toBe(true);
      }
      expect(await fingerprint()).toEqual(before);
    },
  );
});
