// A users import hashes each password (argon2id) on libuv's thread pool, the same threads every sign-in's verify
// needs. Its hashes take turns (domain/passwords.ts), so another tenant's sign-in during a large import answers
// promptly; and a dry run hashes nothing. Assertions are relative (to the import's own duration), not wall-clock.
import { beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../domain/csv/format';
import { useTestDatabase } from '../harness';
import { Browser, useDemoApp } from '../http/client';
import { demoTenant } from '../security/helpers';

const db = useTestDatabase();
const app = useDemoApp(db);
const ROWS = 120;
let admin: Browser;
let csv = '';

beforeAll(async () => {
  admin = new Browser(app.base);
  expect((await admin.login('acme', 'admin')).status).toBe(200);
  const acme = await demoTenant(db, 'acme');
  const role = (await db.pool.query(`SELECT id FROM roles WHERE tenant_id = $1 AND level = 1`, [acme.id])).rows[0].id;
  csv = csvLine(['username', 'email', 'first_name', 'last_name', 'password', 'role_id']);
  for (let i = 0; i < ROWS; i++) csv += csvLine([`bulk${i}`, `bulk${i}@acme.test`, 'Bulk', `User ${i}`, `bulk-pass-${i}`, String(role)]);
});

const upload = (dryRun: boolean) =>
  fetch(`${app.base}/api/users/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'text/csv' }, body: csv });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

describe('a large users import', () => {
  it('leaves other sign-ins prompt, and its dry run hashes nothing', { timeout: 240_000 }, async () => {
    const [dry, dryMs] = await timed(() => upload(true));
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as any).invalid).toBe(0);

    const importing = timed(() => upload(false));
    await new Promise((r) => setTimeout(r, 300)); // the import is hashing now
    const [signIn, signInMs] = await timed(() => new Browser(app.base).login('globex', 'agent'));
    const [imported, importMs] = await importing;
    expect(signIn.status).toBe(200);
    expect(imported.status).toBe(201);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM users WHERE username LIKE 'bulk%'`)).rows[0].n).toBe(ROWS);
    console.log(`users import of ${ROWS}: ${importMs.toFixed(0)} ms; sign-in during it ${signInMs.toFixed(0)} ms; dry run ${dryMs.toFixed(0)} ms`);
    expect(signInMs).toBeLessThan(importMs / 4);
    expect(dryMs).toBeLessThan(importMs / 4);
    // The stored passwords are real hashes of what the file said.
    const bob = await new Browser(app.base).login('acme', 'bulk7', 'bulk-pass-7');
    expect(bob.status).toBe(200);
  });
});
