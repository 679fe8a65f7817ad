// Sessions through the real app: every sign-in replaces the session id (fixation), a password change ends the
// user's other sessions, and on a tenant's subdomain only that tenant's session counts, on every path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { AdminClient } from '../admin/client';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from './client';

const db = useTestDatabase();
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  await seedDemo(db);
  app = await startApp(db);
});
afterAll(() => app?.close());

/** Who a cookie signs in, per /auth/me (null: nobody). */
async function whoIs(cookie: string, host?: string): Promise<string | null> {
  const b = new Browser(app.base, host);
  b.cookie = cookie;
  const me = await b.call('GET', '/auth/me');
  return me.status === 200 ? String(me.body.user.username) : null;
}

/** Whether the cookie opens the back office's API (AdminJS answers a stranger with a redirect to its sign-in). */
async function backOffice(cookie: string) {
  const res = await fetch(`${app.base}/admin/api/resources/contacts/actions/list`, { headers: { cookie }, redirect: 'manual' });
  return res.status;
}

const userId = async (tenant: string, username: string) =>
  Number((await db.pool.query('SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.subdomain = $1 AND u.username = $2', [tenant, username])).rows[0].id);

describe('session fixation: a sign-in never keeps the session id it was given', () => {
  it('POST /admin/login as another user with cookie S: S is no longer valid, the new cookie is the new user', async () => {
    const client = new AdminClient(app.base);
    await client.login('acme', 'agent');
    const s = client.cookie;
    expect(await whoIs(s)).toBe('agent');
    const res = await client.login('acme', 'director');
    expect(res.status).toBe(302);
    expect(client.cookie).not.toBe(s);
    expect(await whoIs(client.cookie)).toBe('director');
    expect(await whoIs(s)).toBeNull();
    expect(await backOffice(s)).toBe(302);
  });

  it('POST /auth/login with cookie S: S is no longer valid', async () => {
    const b = new Browser(app.base);
    await b.login('acme', 'agent');
    const s = b.cookie;
    await b.login('acme', 'manager');
    expect(b.cookie).not.toBe(s);
    expect(await whoIs(b.cookie)).toBe('manager');
    expect(await whoIs(s)).toBeNull();
  });

  it('a session id planted before sign-in (a cookie the attacker knows) is not the one signed in', async () => {
    const planted = new AdminClient(app.base);
    await planted.login('acme', 'agent2');
    const known = planted.cookie;
    const victim = new AdminClient(app.base);
    victim.cookie = known;
    await victim.login('acme', 'admin');
    expect(await whoIs(known)).toBeNull();
    expect(await whoIs(victim.cookie)).toBe('admin');
  });
});

describe('a password change ends every other session of that user', () => {
  it('changing one\'s own password (JSON API) keeps this session and ends the other one', async () => {
    const [one, two] = [new Browser(app.base), new Browser(app.base)];
    await one.login('acme', 'agent3');
    await two.login('acme', 'agent3');
    const me = await userId('acme', 'agent3');
    const res = await one.call('PATCH', `/api/users/${me}`, { password: 'brand-new-pass-1' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await whoIs(one.cookie)).toBe('agent3');
    expect(await whoIs(two.cookie)).toBeNull();
    expect((await new Browser(app.base).login('acme', 'agent3', 'brand-new-pass-1')).status).toBe(200);
  });

  it('an admin resetting a password in the back office ends all of that user\'s sessions, not the admin\'s nor anyone else\'s', async () => {
    const [one, two, bystander] = [new Browser(app.base), new AdminClient(app.base), new Browser(app.base)];
    await one.login('acme', 'agent4');
    await two.login('acme', 'agent4');
    await bystander.login('acme', 'agent');
    const admin = new AdminClient(app.base);
    await admin.login('acme', 'admin');
    const res = await admin.post(`/resources/users/records/${await userId('acme', 'agent4')}/edit`, { password: 'reset-by-admin-1' });
    expect(res.status, JSON.stringify(res.body?.record?.errors)).toBe(200);
    expect(res.body.record.errors).toEqual({});
    expect(await whoIs(one.cookie)).toBeNull();
    expect(await backOffice(two.cookie)).toBe(302);
    expect(await whoIs(admin.cookie)).toBe('admin');
    expect(await whoIs(bystander.cookie)).toBe('agent');
  });

  it('a change of anything but the password ends no session', async () => {
    const [one, two] = [new Browser(app.base), new Browser(app.base)];
    await one.login('acme', 'manager2');
    await two.login('acme', 'manager2');
    expect((await one.call('PATCH', `/api/users/${await userId('acme', 'manager2')}`, { first_name: 'Renamed' })).status).toBe(200);
    expect(await whoIs(two.cookie)).toBe('manager2');
  });
});

describe('host and session must agree, on every path', () => {
  let acme = '';
  const port = () => new URL(app.base).port;
  beforeAll(async () => {
    const b = new Browser(app.base, `acme.localhost:${port()}`);
    await b.login('acme', 'director');
    acme = b.cookie;
  });

  /** GET with acme's session cookie, addressed to `host`. */
  const get = (path: string, host: string) =>
    new Promise<{ status: number; body: string; location?: string }>((done, fail) => {
      import('node:http').then(({ request }) => {
        const req = request(`${app.base}${path}`, { headers: { cookie: acme, host, accept: 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => done({ status: res.statusCode ?? 0, body, location: res.headers.location }));
        });
        req.on('error', fail);
        req.end();
      });
    });

  it.each([
    ['the JSON API', '/api/contacts'],
    ['the AdminJS API list', '/admin/api/resources/contacts/actions/list'],
    ['the AdminJS API dashboard', '/admin/api/dashboard'],
    ['a back-office page', '/admin/resources/contacts'],
    ['the back office root', '/admin'],
  ])('%s on globex.localhost: no acme data', async (_name, path) => {
    const acmeAnswer = await get(path, `acme.localhost:${port()}`);
    expect(acmeAnswer.status).toBe(200);
    const res = await get(path, `globex.localhost:${port()}`);
    expect([401, 302]).toContain(res.status);
    if (res.status === 302) expect(res.location).toBe('/admin/login');
    else expect(JSON.parse(res.body).error).toMatch(/another organization/);
    expect(res.body).not.toMatch(/acme/i);
  });

  it('the sign-in page still opens there, so one can sign in to globex', async () => {
    const res = await get('/admin/login', `globex.localhost:${port()}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('csrfToken');
  });
});
