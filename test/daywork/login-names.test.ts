// Sign-in takes "username or email": each text must name one account of the tenant. Nobody's email may be another
// user's username or the reverse (ignoring case); the database refuses it, the API answers 409 naming the field and
// the back-office form shows the message on that field.
import { beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../admin/client';
import { useTestDatabase } from '../harness';
import { Browser, useDemoApp } from '../http/client';

const db = useTestDatabase();
const app = useDemoApp(db);
const api = () => new Browser(app.base);
let admin: Browser;
let roleId: number;

beforeAll(async () => {
  admin = api();
  expect((await admin.login('acme', 'admin')).status).toBe(200);
  roleId = (await db.pool.query(`SELECT r.id FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.subdomain = 'acme' AND r.level = 1`)).rows[0].id;
});

const newUser = (username: string, email: string) => ({ username, email, first_name: 'Nia', last_name: 'Vale', password: 'longpassword1', role_id: roleId });

describe('username and email never name two accounts', () => {
  it('refuses an email that is another user\'s username (409, field email)', async () => {
    expect((await admin.call('POST', '/api/users', newUser('sales@acme.test', 'sales.desk@acme.test'))).status).toBe(201);
    const res = await admin.call('POST', '/api/users', newUser('nia', 'SALES@acme.test'));
    expect(res.status).toBe(409);
    expect(res.body.fields).toHaveProperty('email');
    expect(res.body.error ?? res.body.message).toMatch(/username/);
  });

  it('refuses a username that is another user\'s email (409, field username)', async () => {
    const res = await admin.call('POST', '/api/users', newUser('Agent2@Acme.test', 'nia@acme.test'));
    expect(res.status).toBe(409);
    expect(res.body.fields).toHaveProperty('username');
  });

  it('refuses it on update too, and in the database itself', async () => {
    const agent = (await db.pool.query(`SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.subdomain = 'acme' AND username = 'agent'`)).rows[0].id;
    const res = await admin.call('PATCH', `/api/users/${agent}`, { email: 'Sales@Acme.test' });
    expect(res.status).toBe(409);
    expect(res.body.fields).toHaveProperty('email');
    await expect(db.pool.query(`UPDATE users SET username = 'director@acme.test' WHERE id = $1`, [agent])).rejects.toThrow(/another user's email/);
  });

  it('allows the same text in another tenant, and a user whose username is their own email', async () => {
    const res = await admin.call('POST', '/api/users', newUser('nia@acme.test', 'nia@acme.test'));
    expect(res.status).toBe(201);
    const globex = api();
    expect((await globex.login('globex', 'admin')).status).toBe(200);
    const gRole = (await db.pool.query(`SELECT r.id FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.subdomain = 'globex' AND r.level = 1`)).rows[0].id;
    const other = await globex.call('POST', '/api/users', { ...newUser('agent@acme.test', 'nia2@globex.test'), role_id: gRole });
    expect(other.status).toBe(201);
  });

  it('shows the message on the field of the back-office form', async () => {
    const form = new AdminClient(app.base);
    expect((await form.login('acme', 'admin')).status).toBe(302);
    const res = await form.post('/resources/users/actions/new', newUser('tom', 'sales@acme.test'));
    expect(res.body.record.errors.email?.message).toMatch(/another user's username/);
    expect((await db.pool.query(`SELECT 1 FROM users WHERE username = 'tom'`)).rowCount).toBe(0);
  });
});
