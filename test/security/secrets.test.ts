// users.password never leaves the database: not through any read or write of the scoped data layer, not
// through filters, sorting or search, not into the audit trail. It is stored as an argon2id hash only.
import { verify } from '@node-rs/argon2';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { DEMO_PASSWORD, seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { demoTenant, expectRefused, type DemoTenant } from './helpers';

const db = useTestDatabase();
let data: ScopedData;
let acme: DemoTenant;

const USERNAMES = ['agent', 'manager', 'superadmin', 'director', 'admin', 'wsadmin'];
const user = (username: string) => acme.users[username]!;
const actor = (username: string) => data.actor(acme.id, user(username).id);

/** No password key, and no hash anywhere in the value. */
function expectNoSecret(value: unknown, ...plain: string[]) {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/\$argon2/);
  expect(text).not.toMatch(/"password"/);
  for (const p of plain) expect(text).not.toContain(p);
}

const storedHash = async (id: unknown) =>
  (await db.pool.query<{ password: string }>('SELECT password FROM users WHERE id = $1', [id])).rows[0]!.password;

let seq = 0;
const newUser = (password: string, extra: Record<string, unknown> = {}) => {
  seq++;
  return {
    username: `secret${seq}`, email: `secret${seq}@acme.test`, first_name: 'Sec', last_name: `Ret ${seq}`, password,
    role_id: acme.roles[1], ...extra,
  };
};

beforeAll(async () => {
  await seedDemo(db);
  data = new ScopedData(db);
  acme = await demoTenant(db, 'acme');
});

describe.each(USERNAMES)('reading users as %s', (username) => {
  let a: Actor;
  beforeAll(async () => {
    a = await actor(username);
  });

  it('list, get and findMany return users without their password', async () => {
    const { records, total } = await data.list(a, 'users', { perPage: 500 });
    expect(total).toBeGreaterThan(0);
    expect(records.length).toBe(total);
    for (const r of records) {
      expect(r).toHaveProperty('username');
      expect(r).not.toHaveProperty('password');
    }
    expectNoSecret(records);

    const ids = records.map((r) => r.id);
    expect(ids).toContain(user(username).id);
    for (const id of ids) expectNoSecret(await data.get(a, 'users', id));
    const found = await data.findMany(a, 'users', ids);
    expect(found).toHaveLength(ids.length);
    expectNoSecret(found);
  });

  it('cannot filter, sort or search users by password', async () => {
    const attempts = [
      { filters: { password: '$argon2id' } },
      { filters: { password: 'a' } },
      { filters: { password: null } },
      { filters: { password: ['x'] } },
      { filters: { password: { from: '$', to: '~' } } },
      { sortBy: 'password' },
      { sortBy: 'password', direction: 'asc' as const },
    ];
    for (const query of attempts) {
      const error = await expectRefused(data.list(a, 'users', query), 'invalid');
      expect(JSON.stringify({ message: error.message, fields: error.fields })).not.toMatch(/\$argon2|demo1234/);
    }
    // The free-text search does not look into the password either: every stored hash contains this text.
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND password LIKE '%argon2id%'`, [acme.id]);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(await data.list(a, 'users', { q: 'argon2id' })).toEqual({ records: [], total: 0 });
  });

  it('changing their own password and name returns no password, and stores a verifying hash', async () => {
    const me = user(username).id;
    const plain = `fresh-${username}-pass`;
    const updated = await data.update(a, 'users', me, { first_name: `Renamed ${username}`, password: plain });
    expect(updated).toMatchObject({ id: me, first_name: `Renamed ${username}` });
    expectNoSecret(updated, plain);
    const hash = await storedHash(me);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(plain);
    expect(await verify(hash, plain)).toBe(true);
    expect(await verify(hash, DEMO_PASSWORD)).toBe(false);
    // An update that changes nothing returns the stored record: still without its password.
    expectNoSecret(await data.update(a, 'users', me, { first_name: `Renamed ${username}` }));
  });
});

describe('writing users as an Admin', () => {
  let admin: Actor;
  beforeAll(async () => {
    admin = await actor('admin');
  });

  it('create returns the new user without the password and stores an argon2id hash that verifies', async () => {
    const plain = 'correct-horse-1';
    const created = await data.create(admin, 'users', newUser(plain));
    expect(created).toMatchObject({ username: `secret${seq}` });
    expectNoSecret(created, plain);
    const hash = await storedHash(created.id);
    expect(hash).not.toBe(plain);
    expect(hash).toMatch(/^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$/);
    expect(await verify(hash, plain)).toBe(true);
    expect(await verify(hash, 'correct-horse-2')).toBe(false);
  });

  it('update of another user’s password returns no password; the new one verifies, the old one no longer does', async () => {
    const target = user('agent2').id;
    const before = await storedHash(target);
    expect(await verify(before, DEMO_PASSWORD)).toBe(true);
    const updated = await data.update(admin, 'users', target, { password: 'battery-staple-9' });
    expectNoSecret(updated, 'battery-staple-9');
    const after = await storedHash(target);
    expect(after).not.toBe(before);
    expect(await verify(after, 'battery-staple-9')).toBe(true);
    expect(await verify(after, DEMO_PASSWORD)).toBe(false);
  });

  it('a password shorter than 8 characters is refused on create and on update, and nothing changes', async () => {
    const input = newUser('short77');
    await expectRefused(data.create(admin, 'users', input), 'invalid');
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM users WHERE username = $1', [input.username]);
    expect(rows[0].n).toBe(0);

    const target = user('agent3').id;
    const before = await storedHash(target);
    await expectRefused(data.update(admin, 'users', target, { password: 'short77' }), 'invalid');
    const agent3 = await actor('agent3');
    await expectRefused(data.update(agent3, 'users', target, { password: '1234567' }), 'invalid');
    expect(await storedHash(target)).toBe(before);

    // Eight characters are enough.
    await data.update(admin, 'users', target, { password: 'eight888' });
    expect(await verify(await storedHash(target), 'eight888')).toBe(true);
  });
});

describe('the audit trail of users', () => {
  it('holds no password hash; a password change shows as "[changed]"', async () => {
    const admin = await actor('admin');
    const plain = 'audited-pass-1';
    const created = await data.create(admin, 'users', newUser(plain));
    await data.update(admin, 'users', created.id, { first_name: 'Renamed' });
    await data.update(admin, 'users', created.id, { password: 'audited-pass-2' });

    // Through the layer, as the admin reads it.
    const { records } = await data.list(admin, 'audit_log', { filters: { resource: 'users', record_id: created.id as number }, sortBy: 'id', direction: 'asc' });
    expect(records.map((r) => r.action)).toEqual(['create', 'update', 'update']);
    const [create, rename, change] = records as { before: Record<string, unknown> | null; after: Record<string, unknown> | null }[];
    expect(create!.before).toBeNull();
    expect(create!.after).toMatchObject({ username: created.username });
    expect(create!.after).not.toHaveProperty('password');
    expect(rename!.before).toMatchObject({ first_name: 'Sec' });
    expect(rename!.after).toMatchObject({ first_name: 'Renamed' });
    expect(rename!.before).not.toHaveProperty('password');
    expect(rename!.after).not.toHaveProperty('password');
    expect(change!.before).not.toHaveProperty('password');
    expect(change!.after).toMatchObject({ password: '[changed]' });
    expectNoSecret(records.map((r) => ({ ...r, after: { ...(r.after as object), password: undefined } })), plain, 'audited-pass-2');

    // And in the table itself.
    const { rows } = await db.pool.query<{ before: string | null; after: string | null }>(
      `SELECT before::text, after::text FROM audit_log WHERE resource = 'users' AND record_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(`${row.before} ${row.after}`).not.toMatch(/\$argon2|audited-pass/);
    }
    expect(JSON.parse(rows[2]!.after!).password).toBe('[changed]');
  });

  it('no audit row anywhere holds a hash, and the whole trail an Admin reads has none', async () => {
    const { rows } = await db.pool.query<{ n: number; hashes: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE concat(before::text, after::text) LIKE '%$argon2%')::int AS hashes FROM audit_log`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.hashes).toBe(0);
    const admin = await actor('admin');
    const { records } = await data.list(admin, 'audit_log', { perPage: 500 });
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toMatch(/\$argon2/);
  });
});
