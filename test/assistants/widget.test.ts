// The public widget endpoint over real HTTP: a visitor's round trip from question to CRM lead, CORS for the
// assistant's allowed origins only, rate limits, and a clear 4xx for every bad payload. The app is the real one
// (startApp) on the demo data; every expectation is read from the database with the superuser connection.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../http/client';
import { assistantWorld, siteOrigin } from './fixture';

const w = assistantWorld();
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  // Every request of this file comes from 127.0.0.1: a limit far above the default (rate-limit.test.ts tests it).
  process.env.WIDGET_RATE_LIMIT = '1000';
  app = await startApp(w.db);
  delete process.env.WIDGET_RATE_LIMIT;
});
afterAll(() => app?.close());

const ACME = siteOrigin('acme');

interface Call {
  status: number;
  body: any;
  headers: Headers;
}

async function call(method: string, path: string, options: { origin?: string | null; body?: unknown; raw?: string; type?: string; headers?: Record<string, string> } = {}): Promise<Call> {
  const headers: Record<string, string> = { ...options.headers };
  const origin = options.origin === undefined ? ACME : options.origin;
  if (origin) headers.origin = origin;
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const res = await fetch(`${app.base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

const site = () => w.assistants['acme/site']!;
const messages = (key = site().public_key) => `/widget/v1/${key}/messages`;
const post = (body: unknown, options: Parameters<typeof call>[2] = {}) => call('POST', messages(), { body, ...options });

/** The level-1 user who should get the next lead: least recently assigned first (never first), then by id. */
async function expectedAssignee(tenantId: number): Promise<number> {
  const row = await w.one(
    `SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id
      WHERE u.tenant_id = $1 AND r.level = (SELECT min(r2.level) FROM users u2 JOIN roles r2 ON r2.id = u2.role_id WHERE u2.tenant_id = $1)
      ORDER BY (SELECT max(assigned_at) FROM leads l WHERE l.tenant_id = $1 AND l.assigned_to_id = u.id) ASC NULLS FIRST, u.id LIMIT 1`,
    [tenantId],
  );
  return row.id;
}

describe('widget round trip', () => {
  it('answers a question from the knowledge base, then captures a lead: prospect, conversation, CRM lead', async () => {
    const visitorId = randomUUID();
    const asked = await post({ visitorId, content: 'How much does the cordless hammer drill cost? I would like a quote.' });
    expect(asked.status).toBe(201);
    expect(asked.headers.get('access-control-allow-origin')).toBe(ACME);
    expect(asked.body.message).toMatchObject({ role: 'user', type: 'text', content: expect.stringContaining('hammer drill') });
    expect(asked.body.reply).toMatchObject({ role: 'assistant', type: 'text', offerLeadForm: true });
    expect(asked.body.reply.content).toContain('Acme Cordless Hammer Drill 20V');
    expect(asked.body.reply.content).toContain('189.00 USD');
    expect(asked.body.leadCaptured).toBe(false);
    // No internal ids leave through the public endpoint.
    expect(JSON.stringify(asked.body)).not.toMatch(/"(id|conversationId|tenant_id|metadata)"/);

    const assignee = await expectedAssignee(w.acme.id);
    const lead = { name: 'Jane Q. Roe', email: 'Jane.Roe@roe-industries.example', company: 'Roe Industries', phone: '+44 20 7946 0001' };
    const captured = await post({ visitorId, type: 'lead_form', lead });
    expect(captured.status).toBe(201);
    expect(captured.body.leadCaptured).toBe(true);
    expect(captured.body.reply.content).toContain('Thank you, Jane!');

    const conversation = await w.one('SELECT * FROM assistant_conversations WHERE visitor_id = $1', [visitorId]);
    expect(conversation).toMatchObject({
      tenant_id: w.acme.id, assistant_id: site().id, status: 'open', lead_captured: true,
      visitor_email: 'jane.roe@roe-industries.example', visitor_name: 'Jane Q. Roe', visitor_company: 'Roe Industries',
    });
    const stored = await w.rows('SELECT role, message_type, content, metadata FROM assistant_messages WHERE conversation_id = $1 ORDER BY id', [conversation.id]);
    expect(stored.map((m) => [m.role, m.message_type])).toEqual([['user', 'text'], ['assistant', 'text'], ['user', 'lead_form'], ['assistant', 'text']]);
    expect(stored[1]!.metadata).toMatchObject({ provider: 'offline', offerLeadForm: true, sources: [expect.objectContaining({ type: 'products' })] });
    expect(stored[2]!.metadata).toMatchObject({ submitted: { ...lead, email: 'jane.roe@roe-industries.example' }, origin: ACME });

    // Company, phone, a company address and a request for a quote: a hot prospect.
    const prospect = await w.one('SELECT * FROM assistant_prospects WHERE conversation_id = $1', [conversation.id]);
    expect(prospect).toMatchObject({
      tenant_id: w.acme.id, assistant_id: site().id, email: 'jane.roe@roe-industries.example', name: 'Jane Q. Roe',
      company: 'Roe Industries', phone: '+44 20 7946 0001', lead_quality: 'hot', source: 'website_chat',
    });

    // The site assistant creates leads: source 'assistant', tenant-wide (a tenant assistant), assigned by the rule.
    const crmLead = await w.one('SELECT * FROM leads WHERE lower(email) = $1', ['jane.roe@roe-industries.example']);
    expect(crmLead).toMatchObject({
      tenant_id: w.acme.id, first_name: 'Jane Q.', last_name: 'Roe', company: 'Roe Industries', phone: '+44 20 7946 0001',
      source: 'assistant', status: 'new', score: 80, workspace_id: null, assigned_to_id: assignee, assigned_by_id: null,
    });
    expect(crmLead.assigned_at).toBeInstanceOf(Date);
    expect(crmLead.notes).toContain('How much does the cordless hammer drill cost?');
    expect(prospect.notes).toContain(`CRM lead #${crmLead.id}`);

    // The widget reloads the conversation by visitor id.
    const history = await call('GET', `${messages()}?visitorId=${visitorId}`);
    expect(history.status).toBe(200);
    expect(history.body.leadCaptured).toBe(true);
    expect(history.body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('a second form in the same conversation updates its prospect and makes no second lead', async () => {
    const visitorId = randomUUID();
    const lead = { name: 'Sam Twice', email: 'sam@twice.example', company: 'Twice Ltd' };
    expect((await post({ visitorId, type: 'lead_form', lead })).status).toBe(201);
    expect((await post({ visitorId, type: 'lead_form', lead: { ...lead, phone: '+1 555 0100' }, content: 'Please call me' })).status).toBe(201);
    const prospects = await w.rows('SELECT p.* FROM assistant_prospects p JOIN assistant_conversations c ON c.id = p.conversation_id WHERE c.visitor_id = $1', [visitorId]);
    expect(prospects).toHaveLength(1);
    expect(prospects[0]).toMatchObject({ phone: '+1 555 0100', lead_quality: 'hot' });
    expect(await w.rows("SELECT id FROM leads WHERE email = 'sam@twice.example'")).toHaveLength(1);
  });

  it('assigns the leads of a tenant assistant round robin among the front line, least recently assigned first', async () => {
    const agents = await w.rows(
      'SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE u.tenant_id = $1 AND r.level = 1 ORDER BY u.id',
      [w.acme.id],
    );
    expect(agents.length).toBe(4);
    const assigned: number[] = [];
    for (let i = 0; i <= agents.length; i++) {
      const expected = await expectedAssignee(w.acme.id);
      const email = `round${i}@robin-${i}.example`;
      expect((await post({ visitorId: randomUUID(), type: 'lead_form', lead: { name: `Robin ${i}`, email } })).status).toBe(201);
      const { assigned_to_id } = await w.one('SELECT assigned_to_id FROM leads WHERE email = $1', [email]);
      expect(assigned_to_id).toBe(expected);
      assigned.push(assigned_to_id);
    }
    // Every agent once, then the one who waited longest again.
    expect(new Set(assigned.slice(0, 4))).toEqual(new Set(agents.map((a) => a.id)));
    expect(assigned[4]).toBe(assigned[0]);
  });

  it('a workspace assistant that does not create leads keeps the prospect only', async () => {
    const ws = w.assistants['acme/workspace']!;
    expect(ws.creates_leads).toBe(false);
    const visitorId = randomUUID();
    const res = await call('POST', messages(ws.public_key), {
      body: { visitorId, type: 'lead_form', lead: { name: 'Wanda Free', email: 'wanda@gmail.com' } },
    });
    expect(res.status).toBe(201);
    expect(await w.one('SELECT lead_quality, assistant_id FROM assistant_prospects WHERE email = $1', ['wanda@gmail.com'])).toEqual({
      lead_quality: 'unqualified',
      assistant_id: ws.id,
    });
    expect(await w.rows("SELECT id FROM leads WHERE email = 'wanda@gmail.com'")).toEqual([]);
  });

  it('an existing lead with the same email is reused, not duplicated', async () => {
    const existing = await w.one("SELECT id, email, assigned_to_id FROM leads WHERE tenant_id = $1 AND status <> 'converted' ORDER BY id LIMIT 1", [w.acme.id]);
    const before = (await w.one('SELECT count(*)::int AS n FROM leads WHERE tenant_id = $1', [w.acme.id])).n;
    const res = await post({ visitorId: randomUUID(), type: 'lead_form', lead: { name: 'Known Person', email: existing.email.toUpperCase() } });
    expect(res.status).toBe(201);
    expect((await w.one('SELECT count(*)::int AS n FROM leads WHERE tenant_id = $1', [w.acme.id])).n).toBe(before);
    const prospect = await w.one('SELECT notes FROM assistant_prospects WHERE email = $1 ORDER BY id DESC LIMIT 1', [existing.email.toLowerCase()]);
    expect(prospect.notes).toContain(`CRM lead #${existing.id} (already in the CRM)`);
  });

  it('serves the widget script and its config', async () => {
    const script = await call('GET', '/widget.js', { origin: null });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.body).toContain('/widget/v1/');
    expect(script.body).toContain('textContent');
    const config = await call('GET', `/widget/v1/${site().public_key}/config`);
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ name: site().name, leadForm: { required: ['name', 'email'] } });
  });
});

describe('CORS: only the assistant\'s allowed origins', () => {
  it('answers the preflight of an allowed origin', async () => {
    const res = await call('OPTIONS', messages(), { headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ACME);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(res.headers.get('vary')).toMatch(/origin/i);
  });

  it('refuses the preflight and the request of any other origin, with no CORS header and nothing stored', async () => {
    const before = (await w.one('SELECT count(*)::int AS n FROM assistant_messages')).n;
    for (const origin of ['https://evil.example', siteOrigin('globex'), 'https://www.acme.test.evil.example', 'http://www.acme.test']) {
      const preflight = await call('OPTIONS', messages(), { origin, headers: { 'access-control-request-method': 'POST' } });
      expect(preflight.status, origin).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const sent = await post({ visitorId: randomUUID(), content: 'Hello?' }, { origin });
      expect(sent.status, origin).toBe(403);
      expect(sent.headers.get('access-control-allow-origin')).toBeNull();
      expect(sent.body.error).toContain(origin);
    }
    const noOrigin = await post({ visitorId: randomUUID(), content: 'Hello?' }, { origin: null });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.error).toMatch(/Origin/);
    expect((await w.one('SELECT count(*)::int AS n FROM assistant_messages')).n).toBe(before);
  });

  it('each assistant has its own origins: globex\'s site is allowed for globex\'s key only', async () => {
    const globex = w.assistants['globex/site']!;
    const res = await call('POST', messages(globex.public_key), { origin: siteOrigin('globex'), body: { visitorId: randomUUID(), content: 'Hello' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(siteOrigin('globex'));
    expect(await w.one('SELECT tenant_id FROM assistant_conversations ORDER BY id DESC LIMIT 1')).toEqual({ tenant_id: w.globex.id });
  });

  it('an unknown, malformed or switched-off key is a 404', async () => {
    expect((await call('POST', messages(`ak_${'0'.repeat(32)}`), { body: { visitorId: randomUUID(), content: 'Hi' } })).status).toBe(404);
    expect((await call('POST', messages('not-a-key'), { body: { visitorId: randomUUID(), content: 'Hi' } })).status).toBe(404);
    await w.db.pool.query('UPDATE assistants SET is_active = false WHERE id = $1', [site().id]);
    try {
      const res = await post({ visitorId: randomUUID(), content: 'Hi' });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatch(/No active assistant/);
    } finally {
      await w.db.pool.query('UPDATE assistants SET is_active = true WHERE id = $1', [site().id]);
    }
  });
});

describe('bad payloads get a clear 4xx, with the CORS header so the widget can show it', () => {
  const visitorId = randomUUID();
  const cases: [string, Parameters<typeof call>[2], number, string | RegExp, string?][] = [
    ['text/plain instead of JSON', { raw: 'hello', type: 'text/plain' }, 415, /JSON/],
    ['invalid JSON', { raw: '{"visitorId": ' }, 400, /not valid JSON/],
    ['a list', { body: [1, 2] }, 400, /JSON object/],
    ['no visitorId', { body: { content: 'Hi' } }, 400, /visitorId is required/, 'visitorId'],
    ['a visitorId that is no UUID', { body: { visitorId: 'abc', content: 'Hi' } }, 400, /visitorId must be a UUID/, 'visitorId'],
    ['no content', { body: { visitorId } }, 400, /content is required/, 'content'],
    ['blank content', { body: { visitorId, content: '   ' } }, 400, /content is required/, 'content'],
    ['content not text', { body: { visitorId, content: 42 } }, 400, /content must be text/, 'content'],
    ['content too long', { body: { visitorId, content: 'x'.repeat(2001) } }, 400, /at most 2000 characters/, 'content'],
    ['a NUL character', { body: { visitorId, content: 'a\u0000b' } }, 400, /control characters/, 'content'],
    ['an unknown field', { body: { visitorId, content: 'Hi', admin: true } }, 400, /admin is not a field/, 'admin'],
    ['an unknown type', { body: { visitorId, type: 'file', content: 'Hi' } }, 400, /type must be one of/, 'type'],
    ['a lead form without lead', { body: { visitorId, type: 'lead_form' } }, 400, /lead must be an object/, 'lead'],
    ['a lead without name', { body: { visitorId, type: 'lead_form', lead: { email: 'a@b.example' } } }, 400, /lead.name is required/, 'lead.name'],
    ['a bad email', { body: { visitorId, type: 'lead_form', lead: { name: 'A', email: 'not-an-email' } } }, 400, /lead.email must be an email/, 'lead.email'],
    ['a bad phone', { body: { visitorId, type: 'lead_form', lead: { name: 'A', email: 'a@b.example', phone: 'call me' } } }, 400, /lead.phone must be a phone/, 'lead.phone'],
    ['an unknown lead field', { body: { visitorId, type: 'lead_form', lead: { name: 'A', email: 'a@b.example', score: 100 } } }, 400, /lead.score is not a field/, 'lead.score'],
    ['a body over 16 kB', { body: { visitorId, content: 'x'.repeat(17_000) } }, 413, /too large/],
  ];
  it.each(cases)('%s', async (_name, options, status, message, field) => {
    const before = (await w.one('SELECT count(*)::int AS n FROM assistant_messages')).n;
    const res = await call('POST', messages(), options);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatch(message);
    if (field) expect(Object.keys(res.body.fields)).toContain(field);
    expect(res.headers.get('access-control-allow-origin')).toBe(ACME);
    expect((await w.one('SELECT count(*)::int AS n FROM assistant_messages')).n).toBe(before);
  });

  it('reports every field at fault at once', async () => {
    const res = await post({ visitorId: 'x', type: 'lead_form', lead: { name: '', email: 'nope' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields).sort()).toEqual(['lead.email', 'lead.name', 'visitorId']);
  });

  it('the history needs a visitor id', async () => {
    const res = await call('GET', messages());
    expect(res.status).toBe(400);
    expect(res.body.fields).toHaveProperty('visitorId');
    expect((await call('GET', `${messages()}?visitorId=${randomUUID()}`)).body).toEqual({ messages: [], leadCaptured: false });
  });
});
