// Behind a TLS-terminating proxy: the app believes X-Forwarded-Proto only from the proxies TRUST_PROXY names,
// and the session cookie is Secure exactly when the request came over HTTPS, so sign-in works behind the proxy
// (in production the cookie was always Secure and express-session sent none over the proxy's plain HTTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../domain/config';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from './client';

const db = useTestDatabase();
const production = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
const apps: Record<string, Awaited<ReturnType<typeof startApp>>> = {};

beforeAll(async () => {
  await seedDemo(db);
  apps.loopback = await startApp(db, null, production); // TRUST_PROXY's production default: loopback
  apps.elsewhere = await startApp(db, null, { ...production, trustProxy: ['10.0.0.0/8'] });
});
afterAll(async () => Promise.all(Object.values(apps).map((a) => a.close())));

describe('production behind a TLS proxy', () => {
  it('signs in over the proxy (X-Forwarded-Proto: https from loopback) with a Secure cookie that works for the next request', async () => {
    const b = new Browser(apps.loopback!.base);
    b.headers['x-forwarded-proto'] = 'https';
    const login = await b.login('acme', 'director');
    expect(login.status).toBe(200);
    expect(b.lastSetCookie).toMatch(/^epesi\.sid=/);
    expect(b.lastSetCookie).toMatch(/;\s*Secure/i);
    expect(b.lastSetCookie).toMatch(/HttpOnly/i);
    const me = await b.call('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('director');
  });

  it('over plain HTTP the cookie is not Secure (so it is sent at all) and sign-in works', async () => {
    const b = new Browser(apps.loopback!.base);
    expect((await b.login('acme', 'director')).status).toBe(200);
    expect(b.lastSetCookie).toMatch(/^epesi\.sid=/);
    expect(b.lastSetCookie).not.toMatch(/Secure/i);
    expect((await b.call('GET', '/auth/me')).status).toBe(200);
  });

  it('ignores X-Forwarded-Proto from a client that is not a trusted proxy', async () => {
    const b = new Browser(apps.elsewhere!.base);
    b.headers['x-forwarded-proto'] = 'https';
    b.headers.origin = new URL(apps.elsewhere!.base).origin; // (no proxy in front: the page the browser shows is http)
    expect((await b.login('acme', 'director')).status).toBe(200);
    expect(b.lastSetCookie).not.toMatch(/Secure/i);
  });
});
