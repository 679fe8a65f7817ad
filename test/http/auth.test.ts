// Signing in and out over HTTP, as a browser does it: tenant by subdomain or form field, sessions in
// PostgreSQL, safe cookies, rate-limited attempts, and the JSON API answering with clear statuses.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { Browser, useDemoApp } from './client';

const db = useTestDatabase();
const app = useDemoApp(db);

describe('login', () => {
  it('signs in with the tenant field and a username, with an httpOnly SameSite session cookie stored in PostgreSQL', async () => {
    const b = new Browser(app.base);
    const res = await b.login('acme', 'agent');
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('agent');
    expect(res.body.user).not.toHaveProperty('password');
    expect(b.lastSetCookie).toMatch(/HttpOnly/i);
    expect(b.lastSetCookie).toMatch(/SameSite=Lax/i);
    const sid = decodeURIComponent(b.cookie.split('=')[1]!).slice(2).split('.')[0];
    const { rows } = await db.pool.query('SELECT sess FROM sessions WHERE sid = $1', [sid]);
    expect(rows[0].sess.adminUser.userId).toBe(res.body.user.id);
    const me = await b.call('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.role.level).toBe(1);
    expect(JSON.stringify(me.body)).not.toContain('argon2');
  });

  it('takes the tenant from the subdomain and accepts an email, case-insensitively', async () => {
    const b = new Browser(app.base, 'globex.localhost:3000');
    const res = await b.call('POST', '/auth/login', { login: 'Director@Globex.test', password: 'demo1234' });
    expect(res.status).toBe(200);
    expect(res.body.tenant).toBe('globex');
  });

  it('refuses a wrong password, an unknown user and an unknown tenant with the same message', async () => {
    const b = new Browser(app.base);
    const answers = await Promise.all([b.login('acme', 'agent', 'wrong-pass'), b.login('acme', 'nobody'), b.login('nope', 'agent')]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body.error).toBe('Wrong organization, username or password.');
    }
    const missing = await b.call('POST', '/auth/login', { login: 'agent', password: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty('tenant');
  });

  it('locks an account after 5 failed attempts with a clear 429, while other accounts still sign in', async () => {
    const b = new Browser(app.base);
    for (let i = 0; i < 5; i++) expect((await b.login('acme', 'agent2', 'bad-guess')).status).toBe(401);
    const locked = await b.login('acme', 'agent2');
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatch(/Too many sign-in attempts/);
    expect(locked.headers.get('retry-after')).toBeTruthy();
    expect((await b.login('acme', 'agent3')).status).toBe(200);
  });

  it('logout destroys the session', async () => {
    const b = new Browser(app.base);
    await b.login('acme', 'manager');
    const cookie = b.cookie;
    expect((await b.call('POST', '/auth/logout')).status).toBe(204);
    b.cookie = cookie; // even a replayed cookie is dead
    const me = await b.call('GET', '/auth/me');
    expect(me.status).toBe(401);
  });

  it('a session of one tenant is refused on another tenant\'s subdomain', async () => {
    const b = new Browser(app.base, 'acme.localhost');
    await b.call('POST', '/auth/login', { login: 'admin', password: 'demo1234' });
    const other = new Browser(app.base, 'globex.localhost');
    other.cookie = b.cookie;
    const res = await other.call('GET', '/api/contacts');
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toMatch(/Globex/i);
  });
});

describe('JSON API errors', () => {
  it('answers 401 before login, 403 without record data, 404 for unknown ids, 400 for bad input, never SQL', async () => {
    const anon = new Browser(app.base);
    expect((await anon.call('GET', '/api/contacts')).status).toBe(401);

    const agent = new Browser(app.base);
    await agent.login('acme', 'agent4');
    const forbidden = await agent.call('GET', '/api/assistants');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).not.toHaveProperty('records');

    expect((await agent.call('GET', '/api/contacts/999999')).status).toBe(404);
    expect((await agent.call('GET', '/api/contacts/abc')).status).toBe(400);
    expect((await agent.call('GET', '/api/nope')).status).toBe(404);

    const badSort = await agent.call('GET', '/api/contacts?sortBy=no_such_column');
    expect(badSort.status).toBe(400);
    const badFilter = await agent.call('GET', '/api/contacts?filters[nope]=1');
    expect(badFilter.status).toBe(400);
    const badJson = await agent.call('POST', '/api/contacts', '{"first_name":');
    expect(badJson.status).toBe(400);
    const missing = await agent.call('POST', '/api/contacts', { first_name: 'Only' });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty('email');
    for (const r of [badSort, badFilter, badJson, missing]) expect(JSON.stringify(r.body)).not.toMatch(/select|insert|from "/i);
  });

  it('creates, updates and deletes a contact, and explains why', async () => {
    const agent = new Browser(app.base);
    await agent.login('acme', 'agent');
    const created = await agent.call('POST', '/api/contacts', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' });
    expect(created.status).toBe(201);
    expect(created.body.assigned_to_id).toBe((await agent.call('GET', '/auth/me')).body.user.id);
    const updated = await agent.call('PATCH', `/api/contacts/${created.body.id}`, { phone: '+44 20 7946 0000' });
    expect(updated.body.phone).toBe('+44 20 7946 0000');
    const why = await agent.call('GET', `/api/contacts/${created.body.id}/explain?action=delete`);
    expect(why.body).toEqual({ allowed: true, reason: 'manage_contacts' });
    expect((await agent.call('DELETE', `/api/contacts/${created.body.id}`)).status).toBe(204);
    expect((await agent.call('GET', `/api/contacts/${created.body.id}`)).status).toBe(404);
  });
});
