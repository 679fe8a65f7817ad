// The security headers of every answer: a CSP with a fresh nonce on each page and no inline script without it,
// no framing (frame-ancestors 'none'), nosniff, Referrer-Policy, and HSTS only over HTTPS (behind a trusted proxy).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../admin/app';
import { seedDemo } from '../../scripts/demo-data';
import { AdminClient } from '../admin/client';
import { useTestDatabase } from '../harness';

const db = useTestDatabase();
let base = '';
let close: () => void;

beforeAll(async () => {
  await seedDemo(db);
  const { app } = createApp({ database: db, clickhouse: null, clickhouseHint: 'not used', sessionSecret: 'test-secret' });
  app.set('trust proxy', 'loopback'); // as behind the TLS proxy of the compose file
  const server = await new Promise<ReturnType<typeof app.listen>>((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

const CSP = (h: Headers) => Object.fromEntries((h.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe.each([
  ['the sign-in page', '/admin/login'],
  ['an API answer', '/api/contacts'],
  ['the widget config', '/widget/v1/nope/config'],
  ['the health check', '/health'],
])('%s', (_name, path) => {
  it('has CSP (frame-ancestors none, no inline script), nosniff, Referrer-Policy, and no HSTS over HTTP', async () => {
    const res = await fetch(`${base}${path}`, { redirect: 'manual' });
    const csp = CSP(res.headers);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['script-src']).toContain("'self'");
    expect(csp['script-src']).not.toContain("'unsafe-inline'");
    expect(csp['script-src'].some((s: string) => /^'nonce-[A-Za-z0-9+/=]{20,}'$/.test(s))).toBe(true);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('pages', () => {
  it('every inline script of a page carries the nonce of its CSP, which changes with every answer', async () => {
    const client = new AdminClient(base);
    await client.login('acme', 'admin');
    const nonces = new Set<string>();
    for (const path of ['/admin/login', '/admin', '/admin/resources/contacts']) {
      const res = await fetch(`${base}${path}`, { headers: { cookie: client.cookie } });
      expect(res.status).toBe(200);
      const html = await res.text();
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')![1]!;
      nonces.add(nonce);
      const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)([^>]*)>/g)];
      expect(inline.length).toBeGreaterThan(0);
      for (const [, attrs] of inline) expect(attrs).toContain(`nonce="${nonce}"`);
      expect(html).not.toContain('fonts.googleapis.com');
    }
    expect(nonces.size).toBe(3);
  });

  it('HSTS only when the request came over HTTPS (X-Forwarded-Proto from the trusted proxy)', async () => {
    const res = await fetch(`${base}/admin/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });
});
