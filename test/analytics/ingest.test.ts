// The ingest API over HTTP on real PostgreSQL: ingest keys and sessions, validation that names the bad field of
// the bad event and writes nothing, the body and batch limits (413), the per-key rate (429), and ingest keys
// managed through the API (the secret shown once, stored hashed, rotated, revoked).
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../analytics/ingest-keys';
import { Browser } from '../http/client';
import { ingest, pending, useAnalyticsWorld } from './helpers';

// Small limits for this file (read when the app is built).
process.env.INGEST_MAX_BODY_BYTES = '200000';
process.env.INGEST_MAX_BATCH = '1000';
process.env.INGEST_KEY_RATE = '1000';
process.env.INGEST_KEY_BURST = '2500';
process.env.INGEST_USER_RATE = '1';
process.env.INGEST_USER_BURST = '30';

const w = useAnalyticsWorld();

const outboxSize = async () => Number((await w.db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
const lastEvents = async (n: number) =>
  (await w.db.pool.query(`SELECT * FROM events ORDER BY id DESC LIMIT ${n}`)).rows.reverse() as Record<string, any>[];

async function signedIn(username: string, tenant = 'acme') {
  const b = new Browser(w.base);
  expect((await b.login(tenant, username)).status).toBe(200);
  return b;
}

/** Nothing written: same outbox size and queue as before `fn`. */
async function writesNothing(fn: () => Promise<unknown>) {
  const [events, queued] = [await outboxSize(), await pending(w.db)];
  await fn();
  expect([await outboxSize(), await pending(w.db)]).toEqual([events, queued]);
}

describe('with an ingest key', () => {
  it('accepts one event, filed under the key\'s tenant, queued for shipping, with request IP and user agent', async () => {
    const before = await pending(w.db);
    const res = await ingest(w.base, w.keys.acme, {
      event: 'signup',
      user: 'visitor-42',
      timestamp: '2025-03-04T05:06:07.250Z',
      properties: { plan: 'pro', nested: { a: 1 } },
      url: 'https://www.acme.test/pricing?x=1',
      session: 's-1',
    }, { 'user-agent': 'test-agent/1.0' });
    expect(res).toMatchObject({ status: 200, body: { accepted: 1 } });
    const [e] = await lastEvents(1);
    expect(e).toMatchObject({
      event_name: 'signup',
      tenant_id: w.acme.id,
      user_id: null,
      workspace_id: null,
      source: 'api',
      url: 'https://www.acme.test/pricing?x=1',
      session_id: 's-1',
      user_agent: 'test-agent/1.0',
      event_properties: { plan: 'pro', nested: { a: 1 }, $distinct_id: 'visitor-42' },
    });
    expect(e!.ip_address).toMatch(/127\.0\.0\.1/);
    expect(e!.timestamp.toISOString()).toBe('2025-03-04T05:06:07.250Z');
    expect(await pending(w.db)).toBe(before + 1);
  });

  it('accepts a batch naming CRM users and workspaces of the tenant', async () => {
    const agent = w.acme.users.agent!;
    const res = await ingest(w.base, w.keys.acme, {
      batch: [
        { event: 'page.view', user: agent.id, workspace: w.acme.workspaces[0], source: 'web', timestamp: 1741000000000 },
        { event: 'page.view' },
      ],
    });
    expect(res).toMatchObject({ status: 200, body: { accepted: 2 } });
    const [a, b] = await lastEvents(2);
    expect(a).toMatchObject({ user_id: agent.id, workspace_id: w.acme.workspaces[0], source: 'web', tenant_id: w.acme.id });
    expect(a!.timestamp.getTime()).toBe(1741000000000);
    expect(b).toMatchObject({ user_id: null, source: 'api', event_properties: {} });
  });

  it('refuses a batch with bad events whole, naming each bad field of each bad event, and writes nothing', async () => {
    await writesNothing(async () => {
      const res = await ingest(w.base, w.keys.acme, {
        batch: [
          { event: 'ok' },
          { event: 'late', timestamp: 'yesterday' },
          { event: 'ok' },
          { evnt: 'typo' },
          { event: 'x', properties: [1, 2] },
          { event: 'y', user: 1.5, url: 42 },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^4 of 6 events are invalid, so none was accepted: /);
      expect(res.body.fields).toEqual({
        'batch[1].timestamp': expect.stringMatching(/ISO 8601/),
        'batch[3].evnt': expect.stringMatching(/unknown field/),
        'batch[3].event': expect.stringMatching(/is required/),
        'batch[4].properties': 'must be a JSON object',
        'batch[5].user': expect.stringMatching(/CRM user id/),
        'batch[5].url': 'must be a string',
      });
      expect(res.body.error).toContain('batch[1].timestamp: must be an ISO 8601');
    });
  });

  it('names a single bad event\'s fields without a batch prefix', async () => {
    const res = await ingest(w.base, w.keys.acme, { event: '', timestamp: '2099-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ event: expect.stringMatching(/is required/), timestamp: expect.stringMatching(/future/) });
    expect(res.body.error).toMatch(/^The event is invalid and was not accepted: event: /);
  });

  it('refuses users and workspaces of another tenant, and the reserved property, writing nothing', async () => {
    await writesNothing(async () => {
      const res = await ingest(w.base, w.keys.acme, {
        batch: [
          { event: 'a', user: w.globex.users.agent!.id },
          { event: 'b', workspace: w.globex.workspaces[0] },
          { event: 'c', properties: { $distinct_id: 'spoof' } },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.fields['batch[0].user']).toBe(`no user #${w.globex.users.agent!.id} in this organization (send a visitor id as a string)`);
      expect(res.body.fields['batch[1].workspace']).toBe(`no workspace #${w.globex.workspaces[0]} in this organization`);
    });
    const reserved = await ingest(w.base, w.keys.acme, { event: 'c', properties: { $distinct_id: 'spoof' } });
    expect(reserved.body.fields).toEqual({ 'properties.$distinct_id': expect.stringMatching(/reserved/) });
  });

  it('answers 400 to bodies that are not events', async () => {
    for (const body of ['[1,2]', '"x"', '{"batch": []}', '{"batch": {}}', '{"batch": [], "extra": 1}', '{not json']) {
      const res = await ingest(w.base, w.keys.acme, body);
      expect(res.status, body).toBe(400);
      expect(res.body.error, body).toBeTruthy();
    }
  });

  it('answers 413 past the body size and past the batch size, and writes nothing', async () => {
    await writesNothing(async () => {
      const big = await ingest(w.base, w.keys.acme, { event: 'big', properties: { text: 'x'.repeat(250_000) } });
      expect(big.status).toBe(413);
      expect(big.body.error).toMatch(/larger than the ingest limit of 200000 bytes/);
      const many = await ingest(w.base, w.keys.acme, { batch: Array.from({ length: 1001 }, () => ({ event: 'e' })) });
      expect(many.status).toBe(413);
      expect(many.body.error).toMatch(/at most 1000 events per request/);
    });
  });

  it('answers 401 without a key, with an unknown one, or with a malformed header', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer epk_nope' }, { authorization: 'Basic abc' }];
    for (const headers of attempts) {
      const res = await ingest(w.base, null, { event: 'x' }, headers);
      expect(res.status).toBe(401);
    }
  });
});

describe('the per-key rate', () => {
  it('answers 429 with Retry-After past the burst, accepting nothing of that request; other keys are not affected', async () => {
    const admin = await signedIn('admin');
    const created = await admin.call('POST', '/api/analytics/ingest-keys', { name: 'Rate test' });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const batch = { batch: Array.from({ length: 1000 }, (_, i) => ({ event: 'rate.test', properties: { i } })) };
    expect((await ingest(w.base, key, batch)).status).toBe(200);
    expect((await ingest(w.base, key, batch)).status).toBe(200);
    await writesNothing(async () => {
      const res = await ingest(w.base, key, batch);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.body.error).toMatch(/nothing was accepted/);
    });
    expect((await ingest(w.base, w.keys.acme, { event: 'other.key' })).status).toBe(200);
  });
});

describe('with the back office session', () => {
  it('records the signed-in user\'s own page views in their workspace', async () => {
    const b = await signedIn('agent');
    const agent = w.acme.users.agent!;
    const res = await b.call('POST', '/ingest/v1/events', { event: 'page.view', url: '/admin/resources/contacts', session: 'tab-1' });
    expect(res).toMatchObject({ status: 200, body: { accepted: 1 } });
    const [e] = await lastEvents(1);
    expect(e).toMatchObject({ event_name: 'page.view', user_id: agent.id, workspace_id: agent.workspace_id, tenant_id: w.acme.id, source: 'web' });
  });

  it('holds a signed-in user to INGEST_USER_BURST (here 30): 429 with Retry-After past it, nothing of that request kept', async () => {
    const b = await signedIn('manager');
    const batch = (n: number) => ({ batch: Array.from({ length: n }, (_, i) => ({ event: 'user.burst', properties: { i } })) });
    expect((await b.call('POST', '/ingest/v1/events', batch(25))).status).toBe(200);
    await writesNothing(async () => {
      const res = await b.call('POST', '/ingest/v1/events', batch(10));
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
    expect((await (await signedIn('agent')).call('POST', '/ingest/v1/events', batch(10))).status).toBe(200); // another user's own
  });

  it('refuses events about another user, and anonymous requests', async () => {
    const b = await signedIn('agent');
    await writesNothing(async () => {
      const res = await b.call('POST', '/ingest/v1/events', { event: 'page.view', user: w.acme.users.admin!.id });
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual({ user: expect.stringMatching(/its own events only/) });
      expect((await new Browser(w.base).call('POST', '/ingest/v1/events', { event: 'page.view' })).status).toBe(401);
    });
  });
});

describe('ingest keys', () => {
  it('are created by manage_integrations with the secret shown once and stored as a hash only', async () => {
    const admin = await signedIn('admin');
    const res = await admin.call('POST', '/api/analytics/ingest-keys', { name: 'Website', workspace_id: w.acme.workspaces[1] });
    expect(res.status).toBe(201);
    const { key, record } = res.body;
    expect(key).toMatch(/^epk_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: 'Website', workspace_id: w.acme.workspaces[1], key_prefix: key.slice(0, 10) });
    expect(record).not.toHaveProperty('key_hash');
    const stored = (await w.db.pool.query('SELECT key_hash FROM ingest_keys WHERE id = $1', [record.id])).rows[0];
    expect(stored.key_hash).toBe(hashKey(key));
    expect(JSON.stringify(await admin.call('GET', `/api/ingest_keys/${record.id}`))).not.toContain(key);
    const listed = await admin.call('GET', '/api/ingest_keys');
    expect(JSON.stringify(listed.body)).not.toMatch(/key_hash|[0-9a-f]{64}/);

    // A workspace-bound key files its events under its workspace, and refuses another.
    expect((await ingest(w.base, key, { event: 'from.site' })).status).toBe(200);
    expect((await lastEvents(1))[0]).toMatchObject({ workspace_id: w.acme.workspaces[1] });
    const other = await ingest(w.base, key, { event: 'from.site', workspace: w.acme.workspaces[0] });
    expect(other.body.fields).toEqual({ workspace: `this key files its events under workspace #${w.acme.workspaces[1]}` });
  });

  it('are refused to roles without manage_integrations, and nobody writes a secret through the generic API', async () => {
    for (const username of ['agent', 'manager', 'director']) {
      const b = await signedIn(username);
      expect((await b.call('POST', '/api/analytics/ingest-keys', { name: 'Nope' })).status).toBe(403);
      expect((await b.call('GET', '/api/ingest_keys')).status).toBe(403);
    }
    const admin = await signedIn('admin');
    const forged = await admin.call('POST', '/api/ingest_keys', { name: 'Mine', key_hash: hashKey('epk_chosen') });
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatch(/generated by the server/);
    // A key created through the generic API has no secret yet: nothing authenticates with it.
    const plain = await admin.call('POST', '/api/ingest_keys', { name: 'No secret yet' });
    expect(plain.status).toBe(201);
    expect((await w.db.pool.query('SELECT key_hash FROM ingest_keys WHERE id = $1', [plain.body.id])).rows[0].key_hash).toBeNull();
    const issued = await admin.call('POST', `/api/analytics/ingest-keys/${plain.body.id}/rotate`);
    expect(issued.status).toBe(200);
    expect((await ingest(w.base, issued.body.key, { event: 'rotated' })).status).toBe(200);
  });

  it('rotate replaces the secret; a revoked key is refused and cannot be rotated', async () => {
    const admin = await signedIn('admin');
    const { body } = await admin.call('POST', '/api/analytics/ingest-keys', { name: 'To rotate' });
    const rotated = await admin.call('POST', `/api/analytics/ingest-keys/${body.record.id}/rotate`);
    expect(rotated.body.key).not.toBe(body.key);
    expect((await ingest(w.base, body.key, { event: 'x' })).status).toBe(401);
    expect((await admin.call('PATCH', `/api/ingest_keys/${body.record.id}`, { revoked_at: new Date().toISOString() })).status).toBe(200);
    // (A key in use is cached for up to 10 s; this one was never presented, so the revocation is immediate.)
    expect((await ingest(w.base, rotated.body.key, { event: 'x' })).status).toBe(401);
    expect((await admin.call('POST', `/api/analytics/ingest-keys/${body.record.id}/rotate`)).status).toBe(409);
    // Another tenant's admin does not even see it.
    const globexAdmin = await signedIn('admin', 'globex');
    expect((await globexAdmin.call('POST', `/api/analytics/ingest-keys/${body.record.id}/rotate`)).status).toBe(404);
  });
});
