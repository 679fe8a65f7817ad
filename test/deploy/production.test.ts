// "Done when" of the production deploy: the app started exactly as the image starts it (NODE_ENV=production,
// the compiled build, the Dockerfile's CMD, the compose file's environment variables) on a fresh empty database
// and the run's ClickHouse; the first tenant made with `npm run tenant:create` (compiled in production); sign-in
// behind a simulated TLS proxy (X-Forwarded-Proto: https from loopback) with a Secure cookie that works; no demo
// logins; and a start refused, naming the variable, without SESSION_SECRET or with a bad number.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../../scripts/free-port';
import { Browser } from '../http/client';
import { useTestClickHouse } from '../harness';
import { adminUrl, databaseUrl } from '../harness/urls';

const root = new URL('../../', import.meta.url);
const run = promisify(execFile);
const ch = useTestClickHouse();
const database = `epesi_prod_${randomBytes(4).toString('hex')}`;
const children: ChildProcess[] = [];

/** The image's command: the Dockerfile's CMD (after tini), in the repository with the build in dist/. */
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const imageCmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
const imageEnv = Object.fromEntries([...(/^ENV (.*)$/m.exec(dockerfile)![1]!.matchAll(/(\w+)=(\S+)/g))].map((m) => [m[1]!, m[2]!]));

/**
 * The compose file's app environment: every variable it sets, with compose's own defaults (`${X:-default}`);
 * `${X:?...}` (required) and the service URLs come from this test.
 */
function composeEnvironment(given: Record<string, string>): Record<string, string> {
  const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as { services: { app: { environment: Record<string, string> } } };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(compose.services.app.environment)) {
    if (name in given) env[name] = given[name]!;
    else if (/\$\{\w+:\?/.test(value)) throw new Error(`the test must give ${name} (required by docker-compose.yml)`);
    else env[name] = value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');
  }
  return env;
}

let env: Record<string, string>;
let base = '';
let theApp: ReturnType<typeof startImage>;
let sessionCookie = '';

/** Starts the image's command with exactly this environment (plus PATH); resolves on exit or on readiness. */
function startImage(environment: Record<string, string>) {
  const child = spawn(imageCmd[0]!, imageCmd.slice(1), { cwd: root, env: { PATH: process.env.PATH, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, output: () => out };
}

async function ready(url: string, app: ReturnType<typeof startImage>, withinMs = 60_000) {
  const deadline = Date.now() + withinMs;
  let gone = false;
  void app.exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    const res = await fetch(`${url}/readyz`).catch(() => null);
    if (res?.ok) return (await res.json()) as any;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready within ${withinMs} ms:\n${app.output()}`);
}

beforeAll(async () => {
  // The image's build step, for real (about 20 s: most of it AdminJS bundling the components).
  await run('npm', ['run', '--silent', 'build'], { cwd: root });
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`); // empty: the app migrates it on start
  await admin.end();

  const port = await freePort();
  env = {
    ...imageEnv,
    HOST: '127.0.0.1', // (the image listens on 0.0.0.0; the test on loopback, where the "proxy" is)
    PORT: String(port),
    ...composeEnvironment({
      DATABASE_URL: databaseUrl(database),
      CLICKHOUSE_URL: `${ch.url}/${ch.database}`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
    }),
  };
  theApp = startImage(env);
  base = `http://127.0.0.1:${port}`;
  const readiness = await ready(base, theApp);
  expect(readiness).toMatchObject({ status: 'ready', postgres: { ok: true }, clickhouse: { ok: true } });
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe('the production image, started as shipped', () => {
  it('runs the compiled build in production, with the environment of docker-compose.yml', () => {
    expect(imageCmd.join(' ')).toMatch(/^node .*dist\/scripts\/start\.js$/);
    expect(env).toMatchObject({ NODE_ENV: 'production', DEMO_DATA: '0' });
    expect(env.TRUST_PROXY).toMatch(/loopback/);
    expect(theApp.output()).toMatch(/"msg":"EpesiCRM back office: http:\/\/127\.0\.0\.1:\d+/);
    expect(theApp.output()).not.toMatch(/Loaded the demo data|Demo logins/);
  });

  it('has no demo data: the demo logins do not work', async () => {
    const b = new Browser(base);
    b.headers['x-forwarded-proto'] = 'https';
    const res = await b.login('acme', 'director', 'demo1234');
    expect(res.status).toBe(401);
    expect(b.lastSetCookie).toBe('');
  });

  it('creates the first tenant with npm run tenant:create (compiled), whose admin signs in behind the TLS proxy with a Secure cookie that works', async () => {
    const created = await run('npm', ['run', '--silent', 'tenant:create', '--', '--name', 'First Customer', '--subdomain', 'first', '--admin-username', 'owner', '--admin-email', 'owner@first.example'], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env, ADMIN_PASSWORD: 'owner-password-1' },
    });
    expect(created.stdout).toMatch(/Created tenant "First Customer" \(subdomain first/);

    const b = new Browser(base);
    b.headers['x-forwarded-proto'] = 'https'; // what Caddy adds; the request comes from loopback, a trusted proxy
    const login = await b.login('first', 'owner', 'owner-password-1');
    expect(login.status).toBe(200);
    expect(b.lastSetCookie).toMatch(/^epesi\.sid=[^;]+;.*\bSecure\b/i);
    expect(b.lastSetCookie).toMatch(/HttpOnly/i);
    const me = await b.call('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { username: 'owner' }, role: { level: 5 } });
    sessionCookie = decodeURIComponent(b.cookie.split('=')[1]!);
    // The back office with its components bundled at build time, under the hashed name its pages give.
    const signIn = await (await fetch(`${base}/admin/login`)).text();
    const components = /src="(\/admin\/frontend\/assets\/components\.bundle\.[0-9a-f]{12}\.js)"/.exec(signIn)?.[1];
    const bundle = await fetch(`${base}${components}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toMatch(/immutable/);
    expect(await bundle.text()).toContain('AdminJS.UserComponents');

    // The security headers, HSTS included (the request came over HTTPS through the proxy).
    expect(me.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const scriptSrc = /script-src ([^;]*)/.exec(me.headers.get('content-security-policy') ?? '')?.[1] ?? '';
    expect(scriptSrc).toMatch(/'nonce-/); // inline scripts only with the page's nonce
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
    expect(me.headers.get('referrer-policy')).toBeTruthy();
    expect(me.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    // A write from another origin is refused; the same write from the app's own origin is accepted.
    const evil = new Browser(base);
    Object.assign(evil, { cookie: b.cookie, headers: { 'x-forwarded-proto': 'https', origin: 'https://evil.example' } });
    const refused = await evil.call('POST', '/api/companies', { name: 'Planted by evil.example' });
    expect(refused.status).toBe(403);
    const accepted = await b.call('POST', '/api/companies', { name: 'First Customer HQ' });
    expect(accepted.status).toBe(201);
    const names = (await b.call('GET', '/api/companies')).body.records.map((c: { name: string }) => c.name);
    expect(names).toContain('First Customer HQ');
    expect(names).not.toContain('Planted by evil.example');
  }, 60_000);

  it('logs a JSON line per request with its id, and neither the password nor the cookie', async () => {
    const res = await fetch(`${base}/auth/me`);
    expect(res.status).toBe(401);
    const id = res.headers.get('x-request-id')!;
    await new Promise((r) => setTimeout(r, 200));
    const lines = theApp.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.find((l) => l.reqId === id)).toMatchObject({ level: 'info', method: 'GET', path: '/auth/me', status: 401, durationMs: expect.any(Number) });
    expect(lines.find((l) => l.path === '/auth/login' && l.status === 200)).toMatchObject({ tenantId: expect.any(Number), userId: expect.any(Number) });
    expect(sessionCookie).not.toBe('');
    for (const secret of ['owner-password-1', 'demo1234', sessionCookie, env.SESSION_SECRET!]) expect(theApp.output()).not.toContain(secret);
  });
});

describe('a production start is refused, naming the variable', () => {
  it('without SESSION_SECRET', async () => {
    const { SESSION_SECRET: _, ...rest } = env;
    const app = startImage({ ...rest, PORT: String(await freePort()) });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/SESSION_SECRET must be set in production/);
  }, 60_000);

  it('with INGEST_MAX_BATCH=abc (no silent default)', async () => {
    const app = startImage({ ...env, INGEST_MAX_BATCH: 'abc', PORT: String(await freePort()) });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/INGEST_MAX_BATCH must be a whole number from 1, got "abc"/);
  }, 60_000);
});
