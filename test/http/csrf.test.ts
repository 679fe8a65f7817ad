// Cross-site request forgery through the real app: with a signed-in session cookie, every write that does not
// come from the app's own origin is refused with a 403 and a message, and writes nothing; the same requests
// from the app's own origin work. A sibling tenant's subdomain is another origin. Sign-in forms carry a token.
// Key-authenticated requests (the ingest API) are no cookie session and work from anywhere.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../admin/client';
import { useTestDatabase } from '../harness';
import { loadWorld, type World } from '../security/world';
import { Browser, startApp } from './client';

const db = useTestDatabase();
let world: World;
let app: Awaited<ReturnType<typeof startApp>>;
let cookie = '';
let port = '';
const ids: Record<string, number> = {};
const EVIL = 'http://evil.example';

interface Answer {
  status: number;
  text: string;
  json: any;
}

/** A request as a browser (or a forger) sends it: any Host, any headers. */
function send(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.base}${path}`, { method, headers: { accept: 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any = null;
        try {
          json = JSON.parse(text);
        } catch {
          // HTML or empty
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A multipart body, as an HTML form (or AdminJS's axios) posts it. */
async function multipart(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const r = new Response(form);
  return { type: r.headers.get('content-type')!, body: Buffer.from(await r.arrayBuffer()) };
}

/** Every write a forged page could make: JSON API, CRM action, CSV import, AdminJS actions, logout. */
const WRITES: { name: string; method: string; path: () => string; form?: Record<string, string>; body?: string; type?: string }[] = [
  { name: 'form-encoded create through the JSON API', method: 'POST', path: () => '/api/companies', body: 'name=Forged', type: 'application/x-www-form-urlencoded' },
  { name: 'JSON API bulk delete', method: 'POST', path: () => '/api/companies/bulk-delete', body: `ids=${ids.company}`, type: 'application/x-www-form-urlencoded' },
  { name: 'JSON API update', method: 'PATCH', path: () => `/api/companies/${ids.company}`, body: JSON.stringify({ name: 'Forged' }), type: 'application/json' },
  { name: 'JSON API delete', method: 'DELETE', path: () => `/api/companies/${ids.company}` },
  { name: 'CRM action: complete an activity', method: 'POST', path: () => `/api/crm/activities/${ids.activity}/complete`, body: '', type: 'text/plain' },
  { name: 'CSV import', method: 'POST', path: () => '/api/companies/import', body: 'name\nForged', type: 'text/plain' },
  { name: 'AdminJS edit', method: 'POST', path: () => `/admin/api/resources/companies/records/${ids.company}/edit`, form: { name: 'Forged' } },
  { name: 'AdminJS new', method: 'POST', path: () => '/admin/api/resources/companies/actions/new', form: { name: 'Forged' } },
  { name: 'AdminJS delete', method: 'POST', path: () => `/admin/api/resources/companies/records/${ids.company}/delete` },
  { name: 'AdminJS bulk delete', method: 'POST', path: () => `/admin/api/resources/companies/bulk/bulkDelete?recordIds=${ids.company}` },
  { name: 'sign-out', method: 'POST', path: () => '/auth/logout' },
];

async function write(w: (typeof WRITES)[number], headers: Record<string, string>) {
  let body: string | Buffer | undefined = w.body;
  let type = w.type;
  if (w.form) ({ body, type } = await multipart(w.form));
  return send(w.method, w.path(), { cookie, ...(type ? { 'content-type': type } : {}), ...headers }, body);
}

/** Every table's row count and newest row version: any committed write changes it. */
async function fingerprint() {
  const { rows } = await db.pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  return (await db.pool.query(`SELECT ${rows.map(({ t }) => `(SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM "${t}") AS "${t}"`).join(', ')}`)).rows[0];
}

const signedIn = async () => (await send('GET', '/auth/me', { cookie })).status === 200;

beforeAll(async () => {
  world = await loadWorld(db);
  app = await startApp(db);
  port = new URL(app.base).port;
  const acme = world.tenant('acme');
  ids.company = Number((await world.one('SELECT id FROM companies WHERE tenant_id = $1 ORDER BY id LIMIT 1', [acme])).id);
  ids.activity = Number((await world.one("SELECT id FROM activities WHERE tenant_id = $1 AND status <> 'completed' ORDER BY id LIMIT 1", [acme])).id);
});
afterAll(() => app?.close());

describe('with a signed-in session cookie', () => {
  beforeAll(async () => {
    const b = new Browser(app.base);
    expect((await b.login('acme', 'wsadmin')).status).toBe(200);
    cookie = b.cookie;
  });

  const forged: [string, (own: string) => Record<string, string>][] = [
    ['Origin of another site', () => ({ origin: EVIL })],
    ['an opaque Origin (null)', () => ({ origin: 'null' })],
    ['Origin of a sibling tenant (globex -> acme)', () => ({ host: `acme.localhost:${port}`, origin: `http://globex.localhost:${port}` })],
    ['Origin with another scheme', (own) => ({ origin: own.replace('http:', 'https:') })],
    ['no Origin, Sec-Fetch-Site cross-site', () => ({ 'sec-fetch-site': 'cross-site' })],
    ['no Origin, Sec-Fetch-Site same-site (a sibling subdomain)', () => ({ 'sec-fetch-site': 'same-site' })],
    ['no Origin, a Referer of another site', () => ({ referer: `${EVIL}/page` })],
  ];

  describe.each(forged)('%s', (_name, headersFor) => {
    it.each(WRITES.map((w) => [w.name, w] as const))('%s: 403 with a message, nothing written, still signed in', async (_n, w) => {
      const before = await fingerprint();
      const res = await write(w, headersFor(app.base));
      expect(res.status, res.text).toBe(403);
      expect(res.json?.error).toMatch(/Refused to protect your session/);
      expect(await fingerprint()).toEqual(before);
      expect(await signedIn()).toBe(true);
    });
  });

  it('a forged form gets the refusal as a page when it asks for HTML', async () => {
    const res = await send('POST', '/api/companies', { cookie, origin: EVIL, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, 'name=Forged');
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<p>Refused to protect your session: this request changes data, but it comes from http:\/\/evil\.example/);
  });

  it('a form post naming no origin at all (an old browser) is refused; a JSON or CSV body naming none (an API client) is accepted', async () => {
    const form = await send('POST', '/api/companies', { cookie, 'content-type': 'application/x-www-form-urlencoded' }, 'name=Forged');
    expect(form.status).toBe(403);
    expect(form.json.error).toMatch(/names no origin/);
    const multi = await multipart({ name: 'Forged' });
    expect((await send('POST', '/admin/api/resources/companies/actions/new', { cookie, 'content-type': multi.type }, multi.body)).status).toBe(403);
    expect((await send('POST', '/auth/logout', { cookie })).status).toBe(403);
    const json = await send('POST', '/api/companies', { cookie, 'content-type': 'application/json' }, JSON.stringify({ name: 'From a script' }));
    expect(json.status, json.text).toBe(201);
    const csv = await send('POST', '/api/companies/import?dryRun=1', { cookie, 'content-type': 'text/csv' }, 'name\nFrom a script');
    expect(csv.status, csv.text).toBe(200);
  });

  it.each([
    ['Origin', (own: string) => ({ origin: own })],
    ['Sec-Fetch-Site same-origin', () => ({ 'sec-fetch-site': 'same-origin' })],
    ['Referer', (own: string) => ({ referer: `${own}/admin/resources/companies` })],
    ['Origin on the tenant subdomain', () => ({ host: `acme.localhost:${port}`, origin: `http://acme.localhost:${port}` })],
  ])('the same writes from the app\'s own origin (%s) work', async (_n, headersFor) => {
    const headers = headersFor(app.base);
    const created = await write(WRITES[0]!, headers);
    expect(created.status, created.text).toBe(201);
    const edited = await write({ ...WRITES[6]!, path: () => `/admin/api/resources/companies/records/${created.json.id}/edit` }, headers);
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json.record.params.name).toBe('Forged');
    const removed = await send('DELETE', `/api/companies/${created.json.id}`, { cookie, ...headers });
    expect(removed.status, removed.text).toBe(204);
  });
});

describe('the back office\'s sign-out (a GET)', () => {
  it('from another page of the site (Sec-Fetch-Site same-site, an <img> on a sibling tenant) signs nobody out; from the app\'s own page it does', async () => {
    const b = new Browser(app.base);
    await b.login('acme', 'agent');
    const forged = await send('GET', '/admin/logout', { cookie: b.cookie, 'sec-fetch-site': 'same-site', accept: 'text/html' });
    expect(forged.status).toBe(403);
    expect((await send('GET', '/auth/me', { cookie: b.cookie })).status).toBe(200);
    const own = await send('GET', '/admin/logout', { cookie: b.cookie, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(302);
    expect((await send('GET', '/auth/me', { cookie: b.cookie })).status).toBe(401);
  });
});

describe('sign-in', () => {
  it('POST /auth/login from another origin is refused (a forged sign-in would put the victim in the attacker\'s account)', async () => {
    const res = await send('POST', '/auth/login', { origin: EVIL, 'content-type': 'application/json' }, JSON.stringify({ tenant: 'acme', login: 'agent', password: 'demo1234' }));
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('set-cookie');
  });

  it('the back office sign-in form carries a token; a post without it, with another one, or from another origin signs nobody in', async () => {
    const client = new AdminClient(app.base);
    const { token, cookie: tokenCookie } = await client.loginForm();
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(tokenCookie).toMatch(/^epesi\.csrf=/);
    const post = async (fields: Record<string, string>, headers: Record<string, string>) => {
      const { type, body } = await multipart({ tenant: 'acme', email: 'agent', password: 'demo1234', ...fields });
      return send('POST', '/admin/login', { 'content-type': type, accept: 'text/html', ...headers }, body);
    };
    const own = { origin: app.base, cookie: tokenCookie };
    for (const [fields, headers] of [
      [{}, own],
      [{ _csrf: 'forged.token' }, own],
      [{ _csrf: token }, { origin: app.base }],
      [{ _csrf: token }, { ...own, origin: EVIL }],
    ] as [Record<string, string>, Record<string, string>][]) {
      const res = await post(fields, headers);
      expect(res.status).toBe(403);
      expect(res.text).toMatch(/did not come from this site|Refused to protect your session/);
    }
    const ok = await post({ _csrf: token }, own);
    expect(ok.status, ok.text).toBe(302);
  });
});

describe('key-authenticated requests', () => {
  it('the ingest API with a key works from any origin (no cookie session to protect)', async () => {
    const b = new Browser(app.base);
    await b.login('acme', 'admin');
    const created = await b.call('POST', '/api/analytics/ingest-keys', { name: 'Site' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await send('POST', '/ingest/v1/events', { origin: EVIL, authorization: `Bearer ${created.body.key}`, 'content-type': 'application/json' }, JSON.stringify({ event: 'page.view' }));
    expect(res.status, res.text).toBeLessThan(300);
    expect(res.json.accepted).toBe(1);
  });
});
