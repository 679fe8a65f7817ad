// Privilege escalation through users and roles: every attempt is refused as forbidden and writes nothing
// (checked on the superuser connection); the legitimate counterparts go through.
import { beforeAll, describe, expect, it } from 'vitest';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { demoTenant, expectRefused, type DemoTenant } from './helpers';

const db = useTestDatabase();
let data: ScopedData;
let acme: DemoTenant;
let adminPermissions: string[];

const user = (username: string) => acme.users[username]!;
const actor = (username: string) => data.actor(acme.id, user(username).id);
const role = (level: number) => acme.roles[level]!;

/** Everything an escalation could touch: the tenant's roles and users (password hashes included) and the trail. */
async function snapshot() {
  const q = async (sql: string) => (await db.pool.query(sql, [acme.id])).rows;
  return {
    roles: await q('SELECT * FROM roles WHERE tenant_id = $1 ORDER BY id'),
    users: await q('SELECT * FROM users WHERE tenant_id = $1 ORDER BY id'),
    audit: await q('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1'),
  };
}

/** `call` is refused as forbidden and the database is exactly as before. */
async function refusedUnchanged(call: () => Promise<unknown>) {
  const before = await snapshot();
  const error = await expectRefused(call(), 'forbidden');
  expect(await snapshot()).toEqual(before);
  return error;
}

/** A role written by the system connection. */
async function systemRole(name: string, level: number, permissions: string[]): Promise<number> {
  const { rows } = await db.pool.query('INSERT INTO roles (tenant_id, name, level, permissions) VALUES ($1, $2, $3, $4) RETURNING id', [
    acme.id, name, level, permissions,
  ]);
  return rows[0].id;
}

beforeAll(async () => {
  await seedDemo(db);
  data = new ScopedData(db);
  acme = await demoTenant(db, 'acme');
  // The tenant's Admin role loses one permission before any actor is built.
  const { rows } = await db.pool.query(
    `UPDATE roles SET permissions = array_remove(permissions, 'manage_integrations') WHERE id = $1 RETURNING permissions`,
    [role(5)],
  );
  adminPermissions = rows[0].permissions;
  expect(adminPermissions).not.toContain('manage_integrations');
  expect(adminPermissions).toContain('manage_users');
  expect(user('admin').level).toBe(5);
  expect(user('wsadmin').level).toBe(6);
  expect(user('agent').level).toBe(1);
});

describe('Admin (level 5)', () => {
  let admin: Actor;
  beforeAll(async () => {
    admin = await actor('admin');
  });

  it('may not create a role above their level', async () => {
    await refusedUnchanged(() => data.create(admin, 'roles', { name: 'Emperor', level: 6, permissions: ['view_own_data'] }));
  });

  it('may not create a role with a permission they do not hold', async () => {
    await refusedUnchanged(() => data.create(admin, 'roles', { name: 'Integrator', level: 1, permissions: ['view_own_data', 'manage_integrations'] }));
  });

  it('may not add a permission they do not hold to an existing role', async () => {
    const low = await systemRole('Low helper', 1, ['view_own_data']);
    await refusedUnchanged(() => data.update(admin, 'roles', low, { permissions: ['view_own_data', 'manage_integrations'] }));
    await refusedUnchanged(() => data.update(admin, 'roles', role(1), { permissions: [...adminPermissions.slice(0, 3), 'manage_integrations'] }));
  });

  it('may not raise a role above their level', async () => {
    const low = await systemRole('Climber', 2, ['view_own_data']);
    await refusedUnchanged(() => data.update(admin, 'roles', low, { level: 6 }));
  });

  it('may not edit or delete a role above their level', async () => {
    await refusedUnchanged(() => data.update(admin, 'roles', role(6), { description: 'mine now' }));
    await refusedUnchanged(() => data.update(admin, 'roles', role(6), { level: 5 }));
    await refusedUnchanged(() => data.remove(admin, 'roles', role(6)));
  });

  it('may not edit or delete their own role', async () => {
    await refusedUnchanged(() => data.update(admin, 'roles', role(5), { permissions: [...adminPermissions, 'manage_integrations'] }));
    await refusedUnchanged(() => data.update(admin, 'roles', role(5), { description: 'tweaked' }));
    await refusedUnchanged(() => data.remove(admin, 'roles', role(5)));
  });

  it('may not create a user with a level-6 role', async () => {
    await refusedUnchanged(() =>
      data.create(admin, 'users', {
        username: 'sleeper', email: 'sleeper@acme.test', password: 'long-enough-1', first_name: 'S', last_name: 'L', role_id: role(6),
      }),
    );
  });

  it('may not give an existing user a level-6 role', async () => {
    await refusedUnchanged(() => data.update(admin, 'users', user('agent').id, { role_id: role(6) }));
  });

  it('may not give a user a role at their level that holds a permission they lack', async () => {
    const integrator = await systemRole('Integrator', 1, ['view_own_data', 'manage_integrations']);
    await refusedUnchanged(() => data.update(admin, 'users', user('agent').id, { role_id: integrator }));
    await refusedUnchanged(() =>
      data.create(admin, 'users', {
        username: 'integrator', email: 'integrator@acme.test', password: 'long-enough-1', first_name: 'I', last_name: 'N', role_id: integrator,
      }),
    );
  });

  it('may not edit or delete a user of a higher level', async () => {
    const wsadmin = user('wsadmin').id;
    await refusedUnchanged(() => data.update(admin, 'users', wsadmin, { first_name: 'Pwned' }));
    await refusedUnchanged(() => data.update(admin, 'users', wsadmin, { password: 'taken-over-123' }));
    await refusedUnchanged(() => data.update(admin, 'users', wsadmin, { role_id: role(1) }));
    await refusedUnchanged(() => data.remove(admin, 'users', wsadmin));
  });

  it('may not change their own role, manager or workspace', async () => {
    const me = user('admin').id;
    const peer = await systemRole('Second admin', 5, adminPermissions);
    await refusedUnchanged(() => data.update(admin, 'users', me, { role_id: peer }));
    await refusedUnchanged(() => data.update(admin, 'users', me, { role_id: role(1) }));
    await refusedUnchanged(() => data.update(admin, 'users', me, { manager_id: null }));
    await refusedUnchanged(() => data.update(admin, 'users', me, { workspace_id: acme.workspaces[0] }));
  });

  it('may not delete their own account', async () => {
    await refusedUnchanged(() => data.remove(admin, 'users', user('admin').id));
  });

  it('creates a level-1 role with a subset of their permissions', async () => {
    const permissions = ['view_own_data', 'manage_contacts', 'view_users'];
    const created = await data.create(admin, 'roles', { name: 'Junior', level: 1, permissions });
    const { rows } = await db.pool.query('SELECT name, level, permissions, tenant_id FROM roles WHERE id = $1', [created.id]);
    expect(rows).toEqual([{ name: 'Junior', level: 1, permissions, tenant_id: acme.id }]);
  });

  it('edits a role below their level, keeping a permission they lack that the role already had', async () => {
    const legacy = await systemRole('Legacy integrator', 2, ['view_own_data', 'manage_integrations']);
    await data.update(admin, 'roles', legacy, { description: 'kept as is' });
    const { rows } = await db.pool.query('SELECT description, permissions FROM roles WHERE id = $1', [legacy]);
    expect(rows[0]).toEqual({ description: 'kept as is', permissions: ['view_own_data', 'manage_integrations'] });
  });

  it('edits an agent, including giving them a role at or below their own level', async () => {
    const agent = user('agent4').id;
    await data.update(admin, 'users', agent, { first_name: 'Kevin-Renamed', role_id: role(2) });
    const { rows } = await db.pool.query('SELECT first_name, role_id FROM users WHERE id = $1', [agent]);
    expect(rows[0]).toEqual({ first_name: 'Kevin-Renamed', role_id: role(2) });
  });

  it('edits their own name', async () => {
    await data.update(admin, 'users', user('admin').id, { first_name: 'Adam-Renamed' });
    const { rows } = await db.pool.query('SELECT first_name, role_id FROM users WHERE id = $1', [user('admin').id]);
    expect(rows[0]).toEqual({ first_name: 'Adam-Renamed', role_id: role(5) });
  });
});

describe('Agent (level 1)', () => {
  let agent: Actor;
  beforeAll(async () => {
    agent = await actor('agent');
  });

  it('may not edit or delete another user', async () => {
    await refusedUnchanged(() => data.update(agent, 'users', user('agent2').id, { first_name: 'Pwned' }));
    await refusedUnchanged(() => data.update(agent, 'users', user('agent2').id, { password: 'taken-over-123' }));
    await refusedUnchanged(() => data.remove(agent, 'users', user('agent2').id));
  });

  it('may not create a user', async () => {
    await refusedUnchanged(() =>
      data.create(agent, 'users', {
        username: 'friend', email: 'friend@acme.test', password: 'long-enough-1', first_name: 'F', last_name: 'R', role_id: role(1),
      }),
    );
  });

  it('may not create, edit or delete any role, their own included', async () => {
    await refusedUnchanged(() => data.create(agent, 'roles', { name: 'Mine', level: 1, permissions: ['view_own_data'] }));
    for (const level of [1, 2, 5, 6]) {
      await refusedUnchanged(() => data.update(agent, 'roles', role(level), { permissions: ['view_all_data', 'manage_users'] }));
      await refusedUnchanged(() => data.remove(agent, 'roles', role(level)));
    }
  });

  it('may not change their own role or manager', async () => {
    const me = user('agent').id;
    await refusedUnchanged(() => data.update(agent, 'users', me, { role_id: role(5) }));
    await refusedUnchanged(() => data.update(agent, 'users', me, { role_id: role(2) }));
    await refusedUnchanged(() => data.update(agent, 'users', me, { manager_id: null }));
    await refusedUnchanged(() => data.update(agent, 'users', me, { first_name: 'Anna', role_id: role(2) }));
  });

  it('edits their own first name', async () => {
    const me = user('agent').id;
    const updated = await data.update(agent, 'users', me, { first_name: 'Annabel' });
    expect(updated).toMatchObject({ id: me, first_name: 'Annabel', role_id: role(1) });
    const { rows } = await db.pool.query('SELECT first_name, role_id FROM users WHERE id = $1', [me]);
    expect(rows[0]).toEqual({ first_name: 'Annabel', role_id: role(1) });
  });
});

describe('Sales Manager (level 2, no manage_users)', () => {
  it('may not edit their agents or roles', async () => {
    const manager = await actor('manager');
    await refusedUnchanged(() => data.update(manager, 'users', user('agent2').id, { role_id: role(2) }));
    await refusedUnchanged(() => data.update(manager, 'roles', role(1), { permissions: ['view_all_data'] }));
  });
});
