// The configuration is read once and checked: a bad value is an error naming the variable, never a silent
// default; .env.example and the README's table list every variable the app reads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../domain/config';

const SECRET = 'a'.repeat(40);
const failure = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('loadConfig', () => {
  it('names a bad number instead of falling back to the default (INGEST_MAX_BATCH=abc)', () => {
    expect(failure({ INGEST_MAX_BATCH: 'abc' })).toMatch(/INGEST_MAX_BATCH must be a whole number.*"abc"/);
    expect(failure({ PORT: '70000' })).toMatch(/PORT .*1 to 65535/);
    expect(failure({ WIDGET_RATE_LIMIT: '0' })).toMatch(/WIDGET_RATE_LIMIT/);
    expect(failure({ OPENAI_TIMEOUT_MS: '1.5' })).toMatch(/OPENAI_TIMEOUT_MS/);
  });

  it('names every bad variable at once, and a bad URL without echoing it (it may carry a password)', () => {
    const message = failure({ DATABASE_URL: 'mysql://root:hunter2@db/x', CLICKHOUSE_URL: 'not a url', PUBLIC_URL: 'ftp://x', DEMO_DATA: 'maybe' });
    expect(message).toMatch(/DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\//);
    expect(message).toMatch(/CLICKHOUSE_URL must be a URL/);
    expect(message).toMatch(/PUBLIC_URL must be a URL starting with http:\/\/ or https:\/\//);
    expect(message).toMatch(/DEMO_DATA must be 1 or 0/);
    expect(message).not.toContain('hunter2');
  });

  it('refuses production without SESSION_SECRET, or with a short one, naming it', () => {
    expect(failure({ NODE_ENV: 'production' })).toMatch(/SESSION_SECRET must be set in production/);
    expect(failure({ NODE_ENV: 'production', SESSION_SECRET: '   ' })).toMatch(/SESSION_SECRET must be set/);
    expect(failure({ NODE_ENV: 'production', SESSION_SECRET: 'change-me' })).toMatch(/SESSION_SECRET must be at least 32 characters/);
    expect(failure({ NODE_ENV: 'staging' })).toMatch(/NODE_ENV must be one of development, production, test/);
  });

  it('has no demo data in production unless DEMO_DATA=1', () => {
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, DEMO_DATA: '1' }).demoData).toBe(true);
    expect(loadConfig({ DEMO_DATA: '0' }).demoData).toBe(false);
  });

  it('reads TRUST_PROXY as a list of ranges, a hop count or a flag; loopback by default in production', () => {
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'fd00::/8,192.168.1.7' }).trustProxy).toEqual(['fd00::/8', '192.168.1.7']);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).trustProxy).toEqual(['loopback']);
    expect(failure({ TRUST_PROXY: 'loopback, 10.0.0.0/33, proxy.internal' })).toMatch(/TRUST_PROXY .*not understood: 10\.0\.0\.0\/33, proxy\.internal/);
  });

  it('reads CLICKHOUSE_CLUSTER (a remote_servers name) and CLICKHOUSE_REPLICATED only with what they need', () => {
    const ch = 'http://127.0.0.1:8123';
    expect(loadConfig({ CLICKHOUSE_URL: ch }).clickhouseCluster).toBeUndefined();
    expect(loadConfig({ CLICKHOUSE_URL: ch, CLICKHOUSE_CLUSTER: 'analytics' }).clickhouseCluster).toEqual({ name: 'analytics', replicated: false });
    expect(loadConfig({ CLICKHOUSE_URL: ch, CLICKHOUSE_CLUSTER: 'analytics', CLICKHOUSE_REPLICATED: '1' }).clickhouseCluster).toEqual({ name: 'analytics', replicated: true });
    expect(failure({ CLICKHOUSE_CLUSTER: 'analytics' })).toMatch(/CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL/);
    expect(failure({ CLICKHOUSE_URL: ch, CLICKHOUSE_CLUSTER: 'two shards' })).toMatch(/CLICKHOUSE_CLUSTER must be a cluster name/);
    expect(failure({ CLICKHOUSE_URL: ch, CLICKHOUSE_REPLICATED: '1' })).toMatch(/CLICKHOUSE_REPLICATED needs CLICKHOUSE_CLUSTER/);
  });

  it('treats an empty value as unset and gives the documented defaults', () => {
    const c = loadConfig({ PORT: '', INGEST_MAX_BATCH: '', OPENAI_API_KEY: 'sk-x', PUBLIC_URL: 'https://crm.example.com/app/' });
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', nodeEnv: 'development', logLevel: 'info', widgetRateLimit: 30, baseDomain: 'localhost' });
    expect(c.ingest.maxBatch).toBeUndefined();
    expect(c.publicUrl).toBe('https://crm.example.com/app');
    expect(c.openai).toMatchObject({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x', model: 'gpt-4o-mini' });
  });
});

describe('the documented variables', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  it.each(CONFIG_VARIABLES)('%s is in .env.example (with a comment) and in the README table', (name) => {
    expect(example).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
    expect(readme).toMatch(new RegExp(`^\\| [^|]*\`${name}\``, 'm'));
  });

  // Known defaults outside it: AdminJS's own ADMIN_JS_* variables, and two defaults for scripts and tests that
  // run without the app (BASE_DOMAIN: tenancy's subdomainOf; PUBLIC_URL: the demo's embed codes).
  // Node's and AdminJS's own variables are read where they act: UV_THREADPOOL_SIZE (libuv's threads, which the
  // bulk hashing shares: domain/passwords.ts) and NODE_ENV picking AdminJS's production or development bundle.
  const ALLOWED = ['ADMIN_JS_', 'process.env.BASE_DOMAIN', 'publicUrl(env: NodeJS.ProcessEnv = process.env)', 'process.env.UV_THREADPOOL_SIZE', "process.env.NODE_ENV === 'production' ? 'production' : 'development'"];
  it('the code reads no other variable than the configuration module', async () => {
    const { execFileSync } = await import('node:child_process');
    const hits = execFileSync('git', ['grep', '-n', 'process\\.env', '--', 'admin', 'domain', 'analytics', 'schema', 'scripts/start.ts', 'scripts/serve.ts', 'scripts/tenant-create.ts'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line && !line.startsWith('domain/config.ts') && !ALLOWED.some((a) => line.includes(a)));
    expect(hits).toEqual([]);
  });
});
