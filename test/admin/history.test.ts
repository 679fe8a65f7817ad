// A record's history on its show page comes from the audit log: who changed what, when, for whoever may
// read the record, and for nobody else.
import { expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { Browser, useDemoApp } from '../http/client';

const db = useTestDatabase();
const app = useDemoApp(db);

it('lists create and updates with before and after, newest first, naming the user', async () => {
  const agent = new Browser(app.base);
  await agent.login('acme', 'agent');
  const created = await agent.call('POST', '/api/contacts', { first_name: 'Hedy', last_name: 'Lamarr', email: 'hedy@example.com' });
  await agent.call('PATCH', `/api/contacts/${created.body.id}`, { job_title: 'Inventor' });
  const manager = new Browser(app.base);
  await manager.login('acme', 'manager');
  await manager.call('PATCH', `/api/contacts/${created.body.id}`, { job_title: 'Chief Inventor' });

  const history = await agent.call('GET', `/api/contacts/${created.body.id}/history`);
  expect(history.status).toBe(200);
  expect(history.body.map((e: any) => [e.action, e.actor.username])).toEqual([
    ['update', 'manager'],
    ['update', 'agent'],
    ['create', 'agent'],
  ]);
  expect(history.body[0].changes).toEqual({ job_title: ['Inventor', 'Chief Inventor'] });
  expect(history.body[2].changes.email).toEqual([null, 'hedy@example.com']);
});

it('is not shown to a user who may not read the record', async () => {
  const agent = new Browser(app.base);
  await agent.login('acme', 'agent');
  const created = await agent.call('POST', '/api/contacts', { first_name: 'Own', last_name: 'Record', email: 'own@example.com' });
  const other = new Browser(app.base);
  await other.login('acme', 'agent3');
  const res = await other.call('GET', `/api/contacts/${created.body.id}/history`);
  expect(res.status).toBe(404);
  expect(JSON.stringify(res.body)).not.toContain('own@example.com');
});

it('shows a password change as changed, never the hash', async () => {
  const admin = new Browser(app.base);
  await admin.login('acme', 'admin');
  const me = await admin.call('GET', '/auth/me');
  const agentId = (await db.pool.query("SELECT id FROM users WHERE username = 'agent4' AND tenant_id = $1", [me.body.user.tenant_id])).rows[0].id;
  expect((await admin.call('PATCH', `/api/users/${agentId}`, { password: 'a-new-password-1' })).status).toBe(200);
  const history = await admin.call('GET', `/api/users/${agentId}/history`);
  expect(history.body[0].changes.password).toEqual([null, '[changed]']);
  expect(JSON.stringify(history.body)).not.toContain('argon2');
});
