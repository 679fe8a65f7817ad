// A tiny HTTP client for tests: the real app on a free port, a cookie jar per "browser".
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../admin/app';
import { answerMalformedRequests } from '../../admin/http-errors';
import { afterAll, beforeAll } from 'vitest';
import type { ClickHouseClient } from '../../analytics/clickhouse';
import type { Config } from '../../domain/config';
import type { Database } from '../../domain/db';
import type { LimitStore } from '../../domain/rate-limit';
import { seedDemo } from '../../scripts/demo-data';

export async function startApp(database: Database, clickhouse: ClickHouseClient | null = null, config?: Config, limits?: LimitStore) {
  const { app } = createApp({ database, clickhouse, clickhouseHint: 'not used in this test', sessionSecret: 'test-secret', config, limits });
  const server: Server = await new Promise((done) => {
    const s = answerMalformedRequests(app.listen(0, '127.0.0.1', () => done(s)));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((done) => server.close(() => done())) };
}

export class Browser {
  cookie = '';
  lastSetCookie = '';
  /** Sent with every request (e.g. what a proxy in front adds). */
  headers: Record<string, string> = {};
  constructor(private readonly base: string, private readonly host?: string) {}

  /** node:http rather than fetch: fetch does not let a test choose the Host header (the tenant subdomain). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.host) headers.host = this.host;
    // As a browser does on every write: the page's origin (admin/csrf.ts refuses writes from other origins).
    // (Behind a TLS proxy the page is https: X-Forwarded-Proto names the scheme the browser saw. A test that sets
    // `headers.origin` itself sends that one.)
    const scheme = this.headers['x-forwarded-proto'] ? `${this.headers['x-forwarded-proto']}:` : new URL(this.base).protocol;
    if (method !== 'GET' && !headers.origin) headers.origin = `${scheme}//${this.host ?? new URL(this.base).host}`;
    return new Promise((resolve, reject) => {
      const req = request(`${this.base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const set = res.headers['set-cookie']?.[0];
          if (set) {
            this.lastSetCookie = set;
            this.cookie = set.split(';')[0]!;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any = text;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve({ status: res.statusCode ?? 0, body: json, headers: h });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  login(tenant: string, login: string, password = 'demo1234') {
    return this.call('POST', '/auth/login', { tenant, login, password });
  }
}

/** A test file's database with the demo data, and the real app serving it; `app.base` is its URL. */
export function useDemoApp(db: Database) {
  const app = { base: '' };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    await seedDemo(db);
    const started = await startApp(db);
    app.base = started.base;
    close = started.close;
  });
  afterAll(() => close?.());
  return app;
}
