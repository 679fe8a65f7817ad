// Bad input through the real app, signed in as demo users: every request below is wrong in some way (method,
// id, query, body, NUL characters PostgreSQL cannot store, malformed %-escapes, actions named after Object's
// members, text past its column's limit, JSON nested 3,000 deep, bodies past the one body limit...). Each gets a 4xx with a message a person can act
// on, or a form validation message, never a 500, and writes nothing: no table's rows change (count and newest
// row version), sessions and the failed-sign-in counters (rate_limits) aside.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { SECRET_FIELDS } from '../../domain/ability';
import { indexedColumns } from '../../domain/limits';
import { resources } from '../../domain/resources';
import { AdminClient } from '../admin/client';
import { useTestDatabase } from '../harness';
import { loadWorld, type World } from '../security/world';
import { Browser, startApp } from './client';

const db = useTestDatabase();
let world: World;
let app: Awaited<ReturnType<typeof startApp>>;
const cookies: Record<string, string> = {};
let fingerprintSql = '';
const ids: Record<string, string> = {};

const NUL = 'a\u0000b';
const enc = encodeURIComponent;

/** One bad request. `as`: who sends it ('acme/wsadmin' by default; 'none' without a session); `form`: an AdminJS form post. */
interface Case {
  name: string;
  method?: string;
  path: string;
  body?: string;
  form?: Record<string, string>;
  type?: string;
  as?: string;
  headers?: Record<string, string>;
  /** A form post AdminJS answers 200 with the messages on the fields ('or4xx': either that or a 4xx, e.g. a read-only resource). */
  formError?: boolean | 'or4xx';
}

/** `{own}`, `{foreign}`: a contact of acme, one of globex; `{deal}`, `{lead}`: acme's; `{key}`, `{origin}`: an assistant's; `{id:R}`: a record of resource R in acme. */
const fill = (path: string) => path.replace(/\{([\w:]+)\}/g, (_m, k: string) => ids[k]!);

async function send(c: Case) {
  const headers: Record<string, string> = { accept: 'application/json', ...Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k, fill(v)])) };
  if (c.as !== 'none') headers.cookie = cookies[c.as ?? 'acme/wsadmin']!;
  headers.origin ??= app.base; // (as the app's own pages send them)
  let body: string | FormData | undefined = c.body === undefined ? undefined : fill(c.body);
  if (c.form) {
    body = new FormData();
    for (const [k, v] of Object.entries(c.form)) body.set(k, v);
  } else if (c.body !== undefined) headers['content-type'] = c.type ?? 'application/json';
  const res = await fetch(`${app.base}${fill(c.path)}`, { method: c.method ?? (body === undefined ? 'GET' : 'POST'), body, headers, redirect: 'manual' });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: no message found below
  }
  return { status: res.status, body: json };
}

/** Every table's row count and newest row version (xmin): any committed insert, update or delete changes it. */
const fingerprint = async () => (await db.pool.query(fingerprintSql)).rows[0];

beforeAll(async () => {
  world = await loadWorld(db);
  app = await startApp(db);
  for (const [tenant, user] of [['acme', 'wsadmin'], ['acme', 'agent'], ['acme', 'manager']]) {
    const c = new AdminClient(app.base);
    await c.login(tenant!, user!);
    cookies[`${tenant}/${user}`] = c.cookie;
  }
  const api = new Browser(app.base);
  await api.login('acme', 'director');
  cookies['acme/director-api'] = api.cookie;
  const one = async (sql: string, params: unknown[]) => String(Object.values(await world.one(sql, params))[0]);
  ids.own = await one('SELECT id FROM contacts WHERE tenant_id = $1 ORDER BY id LIMIT 1', [world.tenant('acme')]);
  ids.foreign = await one('SELECT id FROM contacts WHERE tenant_id = $1 ORDER BY id LIMIT 1', [world.tenant('globex')]);
  ids.deal = await one('SELECT id FROM deals WHERE tenant_id = $1 ORDER BY id LIMIT 1', [world.tenant('acme')]);
  ids.lead = await one("SELECT id FROM leads WHERE tenant_id = $1 AND status <> 'converted' ORDER BY id LIMIT 1", [world.tenant('acme')]);
  const assistant = await world.one('SELECT public_key, allowed_origins FROM assistants WHERE is_active AND tenant_id = $1 LIMIT 1', [world.tenant('acme')]);
  ids.key = String(assistant.public_key);
  ids.origin = (assistant.allowed_origins as string[])[0]!;
  for (const r of resources.keys()) {
    const where = r === 'tenants' ? 'id = $1' : r === 'sessions' ? 'false' : 'tenant_id = $1';
    const { rows: [row] } = await db.pool.query(`SELECT id FROM "${r}" WHERE ${where} ORDER BY id LIMIT 1`, [world.tenant('acme')]);
    ids[`id:${r}`] = String(row?.id ?? 1);
  }
  const { rows } = await db.pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('sessions', 'rate_limits') ORDER BY 1");
  fingerprintSql = `SELECT ${rows.map(({ t }) => `(SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM "${t}") AS "${t}"`).join(', ')}`;
});
afterAll(() => app?.close());

const A = '/admin/api/resources';
const json = (value: unknown) => JSON.stringify(value);

/** The AdminJS API: actions, ids, list queries, forms and bodies. */
const ADMIN: Case[] = [
  { name: 'GET of the create action', path: `${A}/contacts/actions/new` },
  { name: 'an unknown resource', path: `${A}/nope/actions/list` },
  { name: 'an unknown action', path: `${A}/contacts/actions/explode` },
  { name: "another resource's record action (lead conversion on a contact)", path: `${A}/contacts/records/{own}/convert` },
  { name: "another resource's record action, posted", method: 'POST', path: `${A}/contacts/records/{own}/complete` },
  { name: 'a record action under /actions', path: `${A}/contacts/actions/show` },
  ...['abc', '-1', '1.5', '0', '99999999999999999999', '2147483648', '{foreign}'].flatMap((id): Case[] => [
    { name: `show of id ${id}`, path: `${A}/contacts/records/${enc(id)}/show` },
    { name: `edit of id ${id}`, method: 'POST', path: `${A}/contacts/records/${enc(id)}/edit`, form: { first_name: 'Changed' } },
    { name: `delete of id ${id}`, method: 'POST', path: `${A}/contacts/records/${enc(id)}/delete` },
    { name: `bulk delete of ids {own},${id}`, method: 'POST', path: `${A}/contacts/bulk/bulkDelete?recordIds={own},${enc(id)}` },
  ]),
  { name: 'bulk delete with recordIds as a list', method: 'POST', path: `${A}/contacts/bulk/bulkDelete?recordIds[]={own}&recordIds[a]=2` },
  { name: 'bulk delete without recordIds', method: 'POST', path: `${A}/contacts/bulk/bulkDelete` },
  ...[
    'sortBy=nope', 'sortBy=password', 'filters.nope=x', 'filters.first_name=a%00b', 'filters.email.equals=a%00b', 'filters.created_at.from=notadate',
    'filters.created_at.to=99999999999', 'filters.company_id=abc', 'filters.company_id=99999999999999999999', 'filters.status=nope', 'filters.status=a%00b',
  ].map((q): Case => ({ name: `list with ${q}`, path: `${A}/contacts/actions/list?${q}` })),
  { name: 'list of users sorted by password', path: `${A}/users/actions/list?sortBy=password` },
  { name: 'reference search for a NUL', path: `${A}/contacts/search/a%00b` },
  { name: 'reference search action for a NUL', path: `${A}/companies/actions/search/a%00b` },
  // Forms: AdminJS shows these messages on the fields.
  ...(
    [
      ['contacts', { last_name: 'X', email: 'nul@x.test', first_name: NUL }],
      ['contacts', { first_name: 'A', last_name: 'X', status: 'sideways' }],
      ['deals', { title: 'Bad date', value: '10', expected_close_date: 'garbage' }],
      ['deals', { title: 'Bad value', value: 'abc' }],
      ['products', { name: 'Bad JSON', sale_price: '1.00', specifications: '{bad json' }],
      ['products', { name: 'JSON list', sale_price: '1.00', specifications: '[1,2]' }],
      ['products', { name: 'JSON NUL', sale_price: '1.00', specifications: '{"a":"\\u0000"}' }],
      ['products', { name: 'JSON NUL key', sale_price: '1.00', specifications: '{"\\u0000":1}' }],
      ['roles', { name: 'One permission', level: '1', permissions: 'view_own_data' }],
      ['roles', { name: 'Permission object', level: '1', 'permissions.x': 'view_own_data' }],
      ['roles', { name: 'NUL permission', level: '1', 'permissions.0': NUL }],
      ['companies', { name: 'Prototype key', email: NUL, 'toString.a': '1', 'constructor.prototype.x': '1' }],
    ] as [string, Record<string, string>][]
  ).map(([r, form]): Case => ({ name: `new ${r} with ${Object.keys(form).at(-1)} = ${json(Object.values(form).at(-1))}`, path: `${A}/${r}/actions/new`, form, formError: true })),
  { name: 'edit with a NUL', path: `${A}/contacts/records/{own}/edit`, form: { job_title: NUL }, formError: true },
  { name: 'edit with a date that is no date', path: `${A}/deals/records/{deal}/edit`, form: { expected_close_date: 'garbage' }, formError: true },
  // Bodies AdminJS's parser cannot read.
  ...[
    ['{"first_name":', 'application/json'],
    ['garbage', 'text/plain'],
    ['garbage', 'multipart/form-data; boundary=xyz'],
  ].flatMap(([body, type]): Case[] => [
    { name: `new with a ${type} body that is not one`, path: `${A}/contacts/actions/new`, body, type },
    { name: `edit with a ${type} body that is not one`, path: `${A}/contacts/records/{own}/edit`, body, type },
  ]),
];

/** The JSON API, CRM actions, agent, analytics and sign-in. */
const API: Case[] = [
  ...['q=a%00b', 'filters[first_name]=a%00b', 'filters[email][equals]=a%00b', 'filters[last_name][from]=a%00b', 'filters[nope]=1', 'filters[id][from]=abc',
    'filters[created_at][from]=notadate', 'filters[status]=sideways', 'sortBy=nope', 'direction=sideways'].map(
    (q): Case => ({ name: `list with ${q}`, path: `/api/contacts?${q}`, as: 'acme/director-api' }),
  ),
  { name: 'CSV export searching a NUL', path: '/api/contacts/export.csv?q=a%00b', as: 'acme/director-api' },
  ...['abc', '-1', '1.5', '99999999999999999999', '{foreign}'].flatMap((id): Case[] => [
    { name: `get of id ${id}`, path: `/api/contacts/${enc(id)}` },
    { name: `patch of id ${id}`, method: 'PATCH', path: `/api/contacts/${enc(id)}`, body: json({ notes: 'x' }) },
    { name: `delete of id ${id}`, method: 'DELETE', path: `/api/contacts/${enc(id)}` },
  ]),
  ...['{"a":', '[1,2]', '"text"', 'null', 'a=1&b=2'].flatMap((body): Case[] => [
    { name: `create with the body ${body}`, path: '/api/contacts', body },
    { name: `patch with the body ${body}`, method: 'PATCH', path: '/api/contacts/{own}', body },
  ]),
  { name: 'create from a form body', path: '/api/contacts', body: 'first_name=A', type: 'application/x-www-form-urlencoded' },
  ...[
    { first_name: NUL, last_name: 'X' },
    { first_name: ['A'], last_name: 'X' },
    { first_name: 'A', last_name: 'X', nope: 1 },
    { first_name: 'A', last_name: 'X', company_id: 'abc' },
    { first_name: 'A', last_name: 'X', company_id: 99999999999 },
  ].map((body): Case => ({ name: `create contact ${json(body)}`, path: '/api/contacts', body: json(body) })),
  ...[{ notes: NUL }, { notes: { a: 1 } }, { status: 'sideways' }, { created_at: '2020-01-01' }].map(
    (body): Case => ({ name: `patch contact ${json(body)}`, method: 'PATCH', path: '/api/contacts/{own}', body: json(body) }),
  ),
  ...[{ specifications: { a: NUL } }, { specifications: { [NUL]: 1 } }, { specifications: '{"a":"\\u0000"}' }, { name: NUL }].map(
    (body): Case => ({ name: `create product ${json(body)}`, path: '/api/products', body: json({ name: 'P', sale_price: '1.00', ...body }) }),
  ),
  ...[{ ids: ['abc'] }, { ids: [{}] }, { ids: '1' }, { ids: [] }, { ids: ['{own}', 1.5] }].map(
    (body): Case => ({ name: `bulk delete ${json(body)}`, path: '/api/contacts/bulk-delete', body: json(body) }),
  ),
  { name: 'CSV import with a NUL', path: '/api/companies/import', body: `name\n${NUL}`, type: 'text/csv' },
  ...[{ createDeal: 'x' }, { createDeal: { title: NUL } }, { createDeal: { value: 'abc' } }].map(
    (body): Case => ({ name: `lead conversion ${json(body)}`, path: '/api/crm/leads/{lead}/convert', body: json(body) }),
  ),
  ...[{ userId: 'abc' }, { userId: { a: 1 } }, { userId: 1.5 }, {}].map((body): Case => ({ name: `lead assignment ${json(body)}`, path: '/api/crm/leads/{lead}/assign', body: json(body) })),
  { name: 'lead conversion of id abc', path: '/api/crm/leads/abc/convert', body: '{}' },
  { name: 'board with perColumn=abc', path: '/api/crm/pipelines/1/board?perColumn=abc' },
  { name: 'price at no date', path: '/api/crm/products/1/price?at=notadate' },
  { name: 'duplicates of a NUL email', path: '/api/crm/duplicates?resource=contacts&email=a%00b' },
  { name: 'duplicates of an unknown resource', path: '/api/crm/duplicates?resource=nope&email=a@b.test' },
  ...[{ question: NUL }, { question: 1 }, { question: 'my deals', conversationId: 'abc' }, { question: 'x', nope: 1 }].map(
    (body): Case => ({ name: `agent question ${json(body)}`, path: '/api/agent/ask', body: json(body) }),
  ),
  { name: 'an agent conversation of id abc', path: '/api/agent/conversations/abc' },
  { name: 'an assistant embed of id abc', path: '/api/assistants/abc/embed' },
  ...[{ name: NUL }, { name: 1 }, { name: 'k', workspace_id: 'abc' }].map((body): Case => ({ name: `ingest key ${json(body)}`, path: '/api/analytics/ingest-keys', body: json(body) })),
  { name: 'an unknown analytics query', path: '/api/analytics/nope' },
  ...[{ tenant: 'acme', login: NUL, password: 'x' }, { tenant: NUL, login: 'agent', password: 'x' }, { tenant: ['acme'], login: { a: 1 }, password: 1 }].map(
    (body): Case => ({ name: `login ${json(body)}`, path: '/auth/login', body: json(body), as: 'none' }),
  ),
  { name: 'login with a body that is not JSON', path: '/auth/login', body: '{"tenant":', as: 'none' },
];

/** The ingest API (signed in: events are the user's own) and the assistants' public widget. */
const PUBLIC: Case[] = [
  ...[
    '{"event":',
    '[1,2]',
    json({ event: 'x', properties: { k: NUL } }),
    json({ event: 'x', properties: { [NUL]: 1 } }),
    json({ event: 'x', properties: { a: { b: [NUL] } } }),
    json({ event: NUL }),
    json({ event: 'x', url: NUL }),
    json({ event: 'x', session: NUL }),
    json({ event: 'x', source: NUL }),
    json({ event: 'x', timestamp: 'notadate' }),
    json({ event: 'x', properties: [1] }),
    json({ batch: [{ event: 'ok' }, { event: 'x', properties: { k: NUL } }] }),
  ].map((body): Case => ({ name: `ingest ${body}`, path: '/ingest/v1/events', body, as: 'acme/director-api' })),
  { name: 'ingest of text', path: '/ingest/v1/events', body: 'event=x', type: 'text/plain', as: 'acme/director-api' },
  ...[
    '{"visitorId":',
    '[1]',
    json({ visitorId: '3f1e2d3c-4b5a-4678-9abc-def012345678', content: NUL }),
    json({ visitorId: NUL, content: 'hi' }),
    json({ visitorId: '3f1e2d3c-4b5a-4678-9abc-def012345678', type: 'lead_form', lead: { name: NUL, email: 'a@b.test' } }),
    json({ visitorId: '3f1e2d3c-4b5a-4678-9abc-def012345678', type: 'lead_form', lead: { name: 'A', email: 'a@b.test', [NUL]: 1 } }),
  ].map((body): Case => ({ name: `widget message ${body}`, path: '/widget/v1/{key}/messages', body, as: 'none', headers: { origin: '{origin}' } })),
  { name: 'widget history of a NUL visitor', path: '/widget/v1/{key}/messages?visitorId=a%00b', as: 'none', headers: { origin: '{origin}' } },
];

/** Values past what a column holds: a 3,000-character text in an index (PostgreSQL: "index row size exceeds"), JSON nested 3,000 deep. */
let seed = 1;
/** (Pseudo-random CJK: a repeated letter compresses below the index limit, random text does not.) */
const LONG = Array.from({ length: 3000 }, () => String.fromCharCode(0x4e00 + ((seed = (seed * 48271) % 2147483647) % 20000))).join('');
const DEEP = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
const WRITABLE = (r: string, c: string) => !['id', 'tenant_id', 'created_at', 'updated_at'].includes(c) && !SECRET_FIELDS[r]?.includes(c);

/** Every resource: malformed %-escapes in its paths, actions named after Object's members, oversized and too deep values. */
const EVERY_RESOURCE: Case[] = [...resources.values()].flatMap((r): Case[] => {
  const n = r.name;
  const cols = getTableConfig(r.table).columns.filter((c) => WRITABLE(n, c.name));
  const indexedText = cols.filter((c) => ['PgText', 'PgVarchar'].includes(c.columnType) && !(c as { enumValues?: string[] }).enumValues?.length && indexedColumns(r.table).has(c.name));
  const jsonb = cols.filter((c) => c.columnType === 'PgJsonb');
  return [
    { name: `${n}: API get of id %ff`, path: `/api/${n}/%ff` },
    { name: `${n}: API patch of id %ff`, method: 'PATCH', path: `/api/${n}/%ff`, body: '{}' },
    { name: `${n}: AdminJS show of id %ff`, path: `${A}/${n}/records/%ff/show` },
    { name: `${n}: AdminJS edit of id %ff`, method: 'POST', path: `${A}/${n}/records/%ff/edit`, form: { x: '1' } },
    ...['__proto__', 'constructor', 'toString', 'hasOwnProperty'].flatMap((action): Case[] => [
      { name: `${n}: AdminJS resource action ${action}`, path: `${A}/${n}/actions/${action}` },
      { name: `${n}: AdminJS record action ${action}`, method: 'POST', path: `${A}/${n}/records/{id:${n}}/${action}` },
      { name: `${n}: AdminJS bulk action ${action}`, method: 'POST', path: `${A}/${n}/bulk/${action}?recordIds={id:${n}}` },
    ]),
    ...indexedText.flatMap((c): Case[] => [
      { name: `${n}: API patch of ${c.name} with 3,000 characters`, method: 'PATCH', path: `/api/${n}/{id:${n}}`, body: json({ [c.name]: LONG }) },
      { name: `${n}: AdminJS edit of ${c.name} with 3,000 characters`, path: `${A}/${n}/records/{id:${n}}/edit`, form: { [c.name]: LONG }, formError: 'or4xx' },
    ]),
    ...jsonb.flatMap((c): Case[] => [
      { name: `${n}: API patch of ${c.name} nested 3,000 deep`, method: 'PATCH', path: `/api/${n}/{id:${n}}`, body: `{"${c.name}":${DEEP}}` },
      { name: `${n}: AdminJS edit of ${c.name} nested 3,000 deep`, path: `${A}/${n}/records/{id:${n}}/edit`, form: { [c.name]: DEEP }, formError: 'or4xx' },
    ]),
  ];
});

/** One body limit for the API and the back office, and column limits within it. */
const SIZES: Case[] = [
  { name: 'API create of a contact with a 3,000-character last name', path: '/api/contacts', body: json({ first_name: 'A', last_name: LONG }) },
  { name: 'API create of a company with a 3,000-character name', path: '/api/companies', body: json({ name: LONG }) },
  { name: 'API create of a contact with a 3,000-character email', path: '/api/contacts', body: json({ first_name: 'A', last_name: 'B', email: `${LONG}@x.test` }) },
  { name: 'API create of a product with specifications nested 3,000 deep', path: '/api/products', body: `{"name":"P","sale_price":"1.00","specifications":${DEEP}}` },
  { name: 'AdminJS new deal with a 3,000-character title', path: `${A}/deals/actions/new`, form: { title: LONG, value: '1' }, formError: true },
  { name: 'AdminJS new product with specifications nested 3,000 deep', path: `${A}/products/actions/new`, form: { name: 'P', sale_price: '1.00', specifications: DEEP }, formError: true },
  { name: 'AdminJS new product offer with conditions nested 3,000 deep', path: `${A}/product_offers/actions/new`, form: { name: 'O', discount_type: 'percentage', discount_value: '1', conditions: DEEP }, formError: true },
  { name: 'AdminJS edit of a deal description of 5 MB', path: `${A}/deals/records/{deal}/edit`, form: { description: 'x'.repeat(5 * 1024 * 1024) } },
  { name: 'API patch of a deal description of 5 MB', method: 'PATCH', path: '/api/deals/{deal}', body: json({ description: 'x'.repeat(5 * 1024 * 1024) }) },
  { name: 'API patch of a deal description of 300,000 characters', method: 'PATCH', path: '/api/deals/{deal}', body: json({ description: 'x'.repeat(300_000) }) },
  { name: 'ingest of properties nested 3,000 deep', path: '/ingest/v1/events', body: `{"event":"x","properties":${DEEP}}`, as: 'acme/director-api' },
  { name: 'widget config of key %ff', path: '/widget/v1/%ff/config', as: 'none', headers: { origin: '{origin}' } },
  { name: 'widget message of key %ff', path: '/widget/v1/%ff/messages', body: '{}', as: 'none', headers: { origin: '{origin}' } },
];

describe.each([
  ['every resource', EVERY_RESOURCE],
  ['limits of size and depth', SIZES],
  ['the AdminJS API', ADMIN],
  ['the JSON API', API],
  ['the ingest API and the widget', PUBLIC],
])('%s', (_group, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: a 4xx or a form error, with a message, nothing written', async (_name, c) => {
    const before = await fingerprint();
    const res = await send(c);
    const message = res.body?.error ?? res.body?.notice?.message ?? res.body?.record?.baseError?.message;
    if (c.formError && !(c.formError === 'or4xx' && res.status >= 400 && res.status < 500)) {
      expect(res.status, json(res.body)).toBe(200);
      expect(Object.keys(res.body.record.errors).length, json(res.body)).toBeGreaterThan(0);
    } else {
      expect(res.status, json(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.status, json(res.body)).toBeLessThan(500);
    }
    expect(typeof message === 'string' && message.length > 0, json(res.body)).toBe(true);
    expect(await fingerprint()).toEqual(before);
  });
});

describe('requests Node refuses before the app sees them', () => {
  /** The raw answer to `request` sent as it is on a fresh connection. */
  const raw = (request: string) =>
    new Promise<string>((done, fail) => {
      const { port } = new URL(app.base);
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(request));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('end', () => done(answer));
      socket.on('error', fail);
    });

  it.each([
    ['headers over 16 kB', `GET /api/deals HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`, '431', /headers are too large/],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', '400', /not valid HTTP/],
  ])('%s: a status and a JSON message', async (_name, request, status, message) => {
    const answer = await raw(request);
    expect(answer.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${status === '431' ? 'Request Header Fields Too Large' : 'Bad Request'}`);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!).error).toMatch(message);
  });
});
