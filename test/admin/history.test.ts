// A record's history on its show page comes from the audit log: who changed what, when, for whoever may
// read the record, and for nobody else.
import { expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { auditTitles } from '../../domain/history';
import { ScopedData } from '../../domain/scoped-data';
import { RESTRICTED } from '../../domain/scoped/titles';
import { Browser, useDemoApp } from '../http/client';
import { HASH } from '../security/world';

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

it("the audit log entry names references by their titles, and 'Restricted' where the reader may not read them", async () => {
  const admin = new Browser(app.base);
  await admin.login('acme', 'admin');
  const tenant = (await admin.call('GET', '/auth/me')).body.user.tenant_id;
  const deal = (await db.pool.query('SELECT id, contact_id FROM deals WHERE tenant_id = $1 AND contact_id IS NOT NULL ORDER BY id LIMIT 1', [tenant])).rows[0];
  const contacts = (await db.pool.query(
    `SELECT id, first_name || ' ' || last_name AS name FROM contacts WHERE tenant_id = $1 AND id IN ($2, (SELECT min(id) FROM contacts WHERE tenant_id = $1 AND id <> $2)) ORDER BY id = $2 DESC`,
    [tenant, deal.contact_id],
  )).rows;
  expect((await admin.call('PATCH', `/api/deals/${deal.id}`, { contact_id: contacts[1].id })).status).toBe(200);
  const entry = (await db.pool.query(`SELECT max(id) AS id FROM audit_log WHERE resource = 'deals' AND record_id = $1 AND action = 'update'`, [deal.id])).rows[0].id;

  const titles = await admin.call('GET', `/api/audit_log/${entry}/titles`);
  expect(titles.status).toBe(200);
  expect(titles.body.contact_id).toEqual([contacts[0].name, contacts[1].name]);

  // A reader of the audit log (manage_users) who may not read contacts: neither the name nor the id.
  const role = (await db.pool.query(`INSERT INTO roles (name, level, permissions, tenant_id) VALUES ('Auditor', 1, '{manage_users}', $1) RETURNING id`, [tenant])).rows[0].id;
  const ws = (await db.pool.query(`SELECT workspace_id FROM users WHERE tenant_id = $1 AND username = 'agent'`, [tenant])).rows[0].workspace_id;
  const auditor = (await db.pool.query(
    `INSERT INTO users (username, password, email, first_name, last_name, role_id, workspace_id, tenant_id) VALUES ('auditor', $4, 'auditor@acme.test', 'Audi', 'Tor', $1, $2, $3) RETURNING id`,
    [role, ws, tenant, HASH],
  )).rows[0].id;
  const data = new ScopedData(db);
  const actor = await data.actor(tenant, auditor);
  expect(actor.ability.can('read', 'contacts')).toBe(false);
  const restricted = await auditTitles(data, actor, entry);
  expect(restricted.contact_id).toEqual([RESTRICTED, RESTRICTED]);
  expect(JSON.stringify(restricted)).not.toContain(contacts[0].name);
});
