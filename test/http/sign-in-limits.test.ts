// Sign-in limits count failures only, per account (the user, however the login is typed) and more loosely per
// address; a success clears the account's failures; and the counters live in PostgreSQL, so two app instances
// on one database share them (a guesser cannot double their attempts by alternating instances).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../domain/passwords';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from './client';

const db = useTestDatabase();
const apps: { base: string; close: () => Promise<void> }[] = [];
beforeAll(async () => {
  await seedDemo(db);
  apps.push(await startApp(db), await startApp(db)); // two instances, one database
});
afterAll(async () => {
  for (const a of apps) await a.close();
});
const [one, two] = [() => new Browser(apps[0]!.base), () => new Browser(apps[1]!.base)];

describe('sign-in limits', () => {
  it('200 users of one tenant signing in from one address within a minute all get in', async () => {
    const { rows: [tenant] } = await db.pool.query<{ id: number }>(`SELECT id FROM tenants WHERE subdomain = 'acme'`);
    const { rows: [role] } = await db.pool.query<{ id: number }>('SELECT id FROM roles WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1', [tenant!.id]);
    const password = await hashPassword('office-pass-1');
    await db.pool.query(
      `INSERT INTO users (tenant_id, username, email, password, role_id, first_name, last_name)
       SELECT $1, 'office' || i, 'office' || i || '@acme.test', $2, $3, 'Office', 'User ' || i FROM generate_series(1, 200) i`,
      [tenant!.id, password, role!.id],
    );
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 1; i <= 200; i += 10) {
      const wave = Array.from({ length: 10 }, (_, j) => (j % 2 ? one() : two()).login('acme', `office${i + j}`, 'office-pass-1'));
      statuses.push(...(await Promise.all(wave)).map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it('counts an account once however its login is typed, on either instance, and a success clears it', async () => {
    // 4 failures, alternating instances and the username / email spellings of one account...
    for (const [i, login] of ['manager2', 'manager2@acme.test', 'MANAGER2', 'Manager2@Acme.Test'].entries()) {
      expect((await (i % 2 ? one() : two()).login('acme', login, 'wrong')).status).toBe(401);
    }
    // ...a correct sign-in clears them...
    expect((await one().login('acme', 'manager2')).status).toBe(200);
    // ...so 4 more failures do not lock it; the 5th does, on both instances, for both spellings.
    for (let i = 0; i < 4; i++) expect((await two().login('acme', 'manager2@acme.test', 'wrong')).status).toBe(401);
    expect((await one().login('acme', 'manager2')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await (i % 2 ? one() : two()).login('acme', i % 2 ? 'manager2' : 'manager2@acme.test', 'wrong')).status).toBe(401);
    for (const [b, login] of [[one(), 'manager2'], [two(), 'manager2@acme.test']] as const) {
      const locked = await b.login('acme', login);
      expect(locked.status).toBe(429);
      expect(locked.body.error).toMatch(/Too many sign-in attempts/);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Other accounts, from the same address, still get in.
    expect((await two().login('acme', 'agent4')).status).toBe(200);
  });

  it('an address is refused after 100 failures over any accounts, shared between instances', async () => {
    for (let i = 0; i < 100; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => ((i + j) % 2 ? one() : two()).login('acme', `nobody-${i + j}`, 'guess')));
    }
    const refused = await one().login('acme', 'agent');
    expect(refused.status).toBe(429);
    const rows = await db.pool.query(`SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE 'signin-address:%'`);
    expect(rows.rows[0].n).toBeGreaterThan(0);
  }, 120_000);
});
