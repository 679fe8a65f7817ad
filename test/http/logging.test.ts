// The JSON log: one line per request with its id, method, path, status, duration, tenant and user; the id in
// the X-Request-Id header and in 5xx bodies; and no secret in any line: not the password of a login, not the
// session cookie, not an ingest key, not a query string.
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../admin/app';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { createLogger, errorFields } from '../../admin/logging';
import { connect, type Database } from '../../domain/db';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { adminUrl } from '../harness/urls';
import { Browser } from './client';

const db = useTestDatabase();
// A server that answers, on a database without the app's tables: every query fails in a way nobody expects (a
// 500). (A database that cannot be reached is a 503 with Retry-After instead: test/faults/postgres-down.test.ts.)
const gone = connect(adminUrl(), 1);
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const servers: Server[] = [];
const bases: Record<string, string> = {};

async function serve(database: Database): Promise<string> {
  const { app } = createApp({ database, clickhouse: null, sessionSecret: 'test-secret', logger: createLogger('info', sink) });
  const server = await new Promise<Server>((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await seedDemo(db);
  bases.app = await serve(db);
  bases.broken = await serve(gone);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  await gone.close();
});

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
/** The request line of a request id, once the response has been logged. */
async function lineOf(id: string) {
  for (let i = 0; i < 50; i++) {
    const line = parsed().find((l) => l.reqId === id && l.msg === 'request');
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no log line for request ${id}`);
}

describe('request log lines', () => {
  it('has id, method, path, status, duration, tenant and user; the id comes back in X-Request-Id', async () => {
    const b = new Browser(bases.app!);
    const login = await b.login('acme', 'director');
    expect(login.status).toBe(200);
    const id = login.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = await lineOf(id);
    expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/auth/login', status: 200, tenantId: login.body.user.tenant_id, userId: login.body.user.id });
    expect(typeof line.durationMs).toBe('number');
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);

    const list = await b.call('GET', '/api/deals?perPage=2&q=confidential-search-term');
    const listed = await lineOf(list.headers.get('x-request-id')!);
    expect(listed).toMatchObject({ method: 'GET', path: '/api/deals', status: 200, userId: login.body.user.id });
  });

  it('keeps a well-formed X-Request-Id a proxy gave, and replaces anything else', async () => {
    const keep = await fetch(`${bases.app}/livez`, { headers: { 'x-request-id': 'caddy-0123456789' } });
    expect(keep.headers.get('x-request-id')).toBe('caddy-0123456789');
    const bad = await fetch(`${bases.app}/livez`, { headers: { 'x-request-id': 'x"; drop' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes no secret: not the password, the session cookie, an ingest key, a query string or a body', async () => {
    const b = new Browser(bases.app!);
    await b.login('acme', 'director', 'demo1234');
    await b.login('acme', 'director', 'wrong-password-value');
    await b.call('GET', '/api/contacts?filters[email]=private@person.example');
    await b.call('POST', '/api/companies', { name: 'Body text never logged' });
    await fetch(`${bases.app}/ingest/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer epk_notarealkeybutsecretlooking', 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'x' }),
    });
    await new Promise((r) => setTimeout(r, 100));
    const all = lines.join('\n');
    const sid = decodeURIComponent(b.cookie.split('=')[1]!);
    for (const secret of ['demo1234', 'wrong-password-value', sid, sid.slice(2, 34), 'epesi.sid', 'epk_notarealkeybutsecretlooking', 'private@person.example', 'Body text never logged', 'argon2']) {
      expect(all).not.toContain(secret);
    }
    expect(parsed().some((l) => l.path === '/ingest/v1/events' && l.status === 401)).toBe(true);
  });
});

describe('5xx answers', () => {
  it('carry the request id in the body and header, and the error is logged under it without the password', async () => {
    const res = await fetch(`${bases.broken}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme', login: 'director', password: 'pw-of-a-failed-login' }),
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const id = res.headers.get('x-request-id')!;
    const body = (await res.json()) as { error: string; requestId: string };
    expect(body.requestId).toBe(id);
    expect(body.error).toMatch(/went wrong on our side/);
    await lineOf(id);
    const error = parsed().find((l) => l.reqId === id && l.level === 'error');
    expect(error).toMatchObject({ msg: 'request failed', path: '/auth/login', error: { message: expect.stringMatching(/does not exist/) } });
    expect(lines.join('\n')).not.toContain('pw-of-a-failed-login');
  });
});

describe('errorFields', () => {
  it('gives a failed query its SQL and cause but not its parameters (Drizzle writes them into message and stack)', () => {
    const err = new DrizzleQueryError('update users set password = $1 where id = $2', ['$argon2id$v=19$m=1$secret-hash', 7], new Error('deadlock detected'));
    const fields = JSON.stringify(errorFields(err));
    expect(fields).toContain('update users set password = $1');
    expect(fields).toContain('deadlock detected');
    expect(fields).not.toContain('secret-hash');
  });
});
