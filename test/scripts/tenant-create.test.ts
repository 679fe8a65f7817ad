// `npm run tenant:create`: the first tenant of an empty production database and its admin, who can sign in;
// the app's password rule; a clear error and nothing written for an existing subdomain or a bad argument.
import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../../domain/default-roles';
import { Browser, startApp } from '../http/client';
import { useTestDatabase } from '../harness';

const db = useTestDatabase();
let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  app = await startApp(db);
});
afterAll(() => app?.close());

interface Run {
  code: number | null;
  out: string;
}
const ARGS = (sub: string) => ['--name', `${sub}-ltd`, '--subdomain', sub, '--admin-username', 'owner', '--admin-email', `owner@${sub}.example`];

function tenantCreate(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile('npm', ['run', '--silent', 'tenant:create', '--', ...args], { env: { ...process.env, DATABASE_URL: db.url, ...env } }, (_err, stdout, stderr) =>
      done({ code: child.exitCode, out: stdout + stderr }),
    );
    child.stdin?.end();
  });
}
const counts = async () =>
  (await db.pool.query('SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM users)::int AS users')).rows[0] as { tenants: number; users: number };

describe('npm run tenant:create', () => {
  it('creates the tenant, its six default roles and its admin at level 5, who signs in with ADMIN_PASSWORD', async () => {
    const run = await tenantCreate(ARGS('initech'), { ADMIN_PASSWORD: 'first-admin-pw' });
    expect(run).toMatchObject({ code: 0 });
    expect(run.out).toMatch(/Created tenant "initech-ltd" \(subdomain initech/);
    expect(run.out).not.toContain('first-admin-pw');
    const { rows: roles } = await db.pool.query('SELECT r.name, r.level, r.permissions FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.subdomain = $1 ORDER BY level', ['initech']);
    expect(roles).toEqual(DEFAULT_ROLES.map((r) => ({ name: r.name, level: r.level, permissions: r.permissions })));
    const { rows: users } = await db.pool.query(
      'SELECT u.username, u.email, u.password, r.level FROM users u JOIN roles r ON r.id = u.role_id JOIN tenants t ON t.id = u.tenant_id WHERE t.subdomain = $1',
      ['initech'],
    );
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ username: 'owner', email: 'owner@initech.example', level: 5 });
    expect(users[0].password).toMatch(/^\$argon2id\$/);

    const b = new Browser(app.base);
    expect((await b.login('initech', 'owner', 'first-admin-pw')).status).toBe(200);
    expect((await b.call('GET', '/auth/me')).body.role.level).toBe(5);
    expect((await b.call('GET', '/api/users')).status).toBe(200); // manage_users: the admin can add the team
  }, 60_000);

  it('refuses an existing subdomain with a clear error and a non-zero exit, creating nothing', async () => {
    const before = await counts();
    const run = await tenantCreate(ARGS('initech'), { ADMIN_PASSWORD: 'another-password' });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/A tenant with the subdomain "initech" already exists; nothing was created/);
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('checks the password by the app\'s rule, and bad values are named; nothing is created', async () => {
    const before = await counts();
    const short = await tenantCreate(ARGS('shortpw'), { ADMIN_PASSWORD: 'short' });
    expect(short.code).toBe(1);
    expect(short.out).toMatch(/password must be at least 8 characters/);
    const bad = await tenantCreate(['--name', 'Bad', '--subdomain', 'Not_A_Label', '--admin-username', 'x', '--admin-email', 'nope'], { ADMIN_PASSWORD: 'long-enough' });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/subdomain must be a DNS label/);
    expect(bad.out).toMatch(/email must be an e-mail address/);
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('answers a bad argument, a missing one or a missing password with a usage error (exit 2)', async () => {
    const unknown = await tenantCreate([...ARGS('usage1'), '--admin-pasword', 'x'], { ADMIN_PASSWORD: 'long-enough' });
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/Unknown option '--admin-pasword'[\s\S]*usage: npm run tenant:create -- --name NAME/);
    const missing = await tenantCreate(['--name', 'X'], { ADMIN_PASSWORD: 'long-enough' });
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/missing --subdomain, --admin-username, --admin-email/);
    const noPassword = await tenantCreate(ARGS('usage2'), { ADMIN_PASSWORD: undefined });
    expect(noPassword.code).toBe(2);
    expect(noPassword.out).toMatch(/set ADMIN_PASSWORD, or run on a terminal/);
    const noDatabase = await tenantCreate(ARGS('usage3'), { DATABASE_URL: '', ADMIN_PASSWORD: 'long-enough' });
    expect(noDatabase.code).toBe(2);
    expect(noDatabase.out).toMatch(/DATABASE_URL must be set/);
  }, 60_000);

  it('asks for the password on a terminal without echoing it, twice, and re-asks a password the rule refuses', async () => {
    // script(1) gives the command a pseudo-terminal, as `docker compose run` does.
    const command = `npm run --silent tenant:create -- ${ARGS('terminal').join(' ')}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, DATABASE_URL: db.url, ADMIN_PASSWORD: '' } });
    let out = '';
    const answers = [
      [/Password of the admin: \S*$/, 'tiny'],
      [/must be at least 8 characters\.[\s\S]*Password of the admin: \S*$/, 'typed-on-a-tty'],
      [/The same again: \S*$/, 'typed-on-a-tty'],
    ] as const;
    let next = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const answer = answers[next];
      if (answer && answer[0].test(out)) {
        next++;
        child.stdin.write(`${answer[1]}\r`);
      }
    });
    const code = await new Promise((done) => child.on('exit', done));
    expect(out).toMatch(/Created tenant "terminal-ltd"/);
    expect(code).toBe(0);
    expect(out).not.toContain('typed-on-a-tty');
    expect(out).not.toContain('tiny');
    const b = new Browser(app.base);
    expect((await b.login('terminal', 'owner@terminal.example', 'typed-on-a-tty')).status).toBe(200);
  }, 60_000);
});
