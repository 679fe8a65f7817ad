// No secret in the audit trail: an ingest key's key_hash (like a user's password) is stripped by the audit
// trigger from every before/after value, so neither the audit log through the API, its CSV export, the back
// office's list nor a record's history shows it; a changed secret reads "[changed]". Hashes written before the
// fix are removed by the migration that came with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../analytics/ingest-keys';
import { migrationsFolder } from '../../schema/migrate';
import { seedDemo } from '../../scripts/demo-data';
import { AdminClient } from '../admin/client';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from './client';

const db = useTestDatabase();
let app: Awaited<ReturnType<typeof startApp>>;
const api = () => new Browser(app.base);
let admin: Browser;
let key: { id: number; keys: string[] };

beforeAll(async () => {
  await seedDemo(db);
  app = await startApp(db);
  admin = api();
  await admin.login('acme', 'admin');
  const created = await admin.call('POST', '/api/analytics/ingest-keys', { name: 'Website' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const rotated = await admin.call('POST', `/api/analytics/ingest-keys/${created.body.record.id}/rotate`);
  expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
  await admin.call('PATCH', `/api/ingest_keys/${created.body.record.id}`, { name: 'Website (renamed)' });
  key = { id: created.body.record.id, keys: [created.body.key, rotated.body.key] };
  return () => app.close();
});

/** Neither secret nor its hash anywhere in `text`. */
const expectNoKey = (text: string) => {
  for (const k of key.keys) {
    expect(text).not.toContain(k);
    expect(text).not.toContain(hashKey(k));
  }
  expect(text).not.toMatch(/[0-9a-f]{64}/);
};

describe('an ingest key created, rotated and renamed', () => {
  it('has audit rows that hold no key hash; the rotation reads "[changed]"', async () => {
    const { rows } = await db.pool.query(`SELECT action, before, after FROM audit_log WHERE resource = 'ingest_keys' AND record_id = $1 ORDER BY id`, [key.id]);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'update', 'update']);
    expectNoKey(JSON.stringify(rows));
    expect(rows.some((r) => r.after?.key_hash === '[changed]')).toBe(true);
    for (const r of rows) expect(r.before ?? {}).not.toHaveProperty('key_hash');
  });

  it('shows no hash in the audit log API, its CSV export, the back office list and the key\'s history', async () => {
    const list = await admin.call('GET', `/api/audit_log?filters[resource]=ingest_keys&perPage=100`);
    expect(list.status).toBe(200);
    expect(list.body.records.length).toBeGreaterThanOrEqual(4);
    expectNoKey(JSON.stringify(list.body));
    const csv = await admin.call('GET', '/api/audit_log/export.csv?filters[resource]=ingest_keys');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('ingest_keys');
    expectNoKey(String(csv.body));
    const history = await admin.call('GET', `/api/ingest_keys/${key.id}/history`);
    expect(history.status).toBe(200);
    expectNoKey(JSON.stringify(history.body));
    const back = new AdminClient(app.base);
    await back.login('acme', 'admin');
    const page = await back.get('/resources/audit_log/actions/list?filters.resource=ingest_keys&perPage=100');
    expect(page.status).toBe(200);
    expect(page.body.records.length).toBeGreaterThanOrEqual(4);
    expectNoKey(JSON.stringify(page.body));
  });
});

describe('the migration that came with the fix', () => {
  it('removes the hashes written before it, keeping "[changed]" for a rotation', async () => {
    const tenant = (await db.pool.query(`SELECT id FROM tenants WHERE subdomain = 'acme'`)).rows[0].id;
    const hash = hashKey('epk_old');
    const other = hashKey('epk_older');
    await db.pool.query(
      `INSERT INTO audit_log (tenant_id, actor_id, resource, record_id, action, before, after) VALUES
       ($1, NULL, 'ingest_keys', 999, 'create', NULL, jsonb_build_object('name', 'Old', 'key_hash', $2::text)),
       ($1, NULL, 'ingest_keys', 999, 'update', jsonb_build_object('name', 'Old', 'key_hash', $2::text), jsonb_build_object('name', 'Old', 'key_hash', $3::text)),
       ($1, NULL, 'ingest_keys', 999, 'update', jsonb_build_object('name', 'Old', 'key_hash', $3::text), jsonb_build_object('name', 'New', 'key_hash', $3::text))`,
      [tenant, hash, other],
    );
    await db.pool.query(readFileSync(join(migrationsFolder, '0006_scrub_audit_secrets.sql'), 'utf8'));
    const { rows } = await db.pool.query(`SELECT before, after FROM audit_log WHERE record_id = 999 AND resource = 'ingest_keys' ORDER BY id`);
    expect(rows).toEqual([
      { before: null, after: { name: 'Old' } },
      { before: { name: 'Old' }, after: { name: 'Old', key_hash: '[changed]' } },
      { before: { name: 'Old' }, after: { name: 'New' } },
    ]);
  });
});
