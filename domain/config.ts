// The configuration: every environment variable the app reads, typed and validated once at start. A bad value
// is a startup error naming the variable (a typo must not silently fall back to a default). Callers receive the
// parsed values; only this module reads the environment (AdminJS's own ADMIN_JS_* variables aside).
// .env.example and the README's table list the same variables: keep the three in step.
import { isIP } from 'node:net';
import { z } from 'zod';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Express's named address ranges (proxy-addr). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
export const MIN_PRODUCTION_SECRET = 32;

/** Which proxies' X-Forwarded-* headers to believe: none, all, the nearest N hops, or these addresses/ranges. */
export type TrustProxy = boolean | number | string[];

export interface Config {
  nodeEnv: (typeof NODE_ENVS)[number];
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  /** A PostgreSQL server; absent: the embedded one (development only). */
  databaseUrl?: string;
  /** A Redis server for the limits' counters; absent: they live in PostgreSQL (domain/rate-limit.ts). */
  redisUrl?: string;
  /** Before every Redis key: several apps (or test runs) on one Redis. */
  redisKeyPrefix: string;
  /** A ClickHouse server; absent: a local clickhouse-server if installed, else analytics off. */
  clickhouseUrl?: string;
  /** CLICKHOUSE_CLUSTER: the analytics tables sharded over that cluster of the servers' remote_servers config. */
  clickhouseCluster?: { name: string; replicated: boolean };
  sessionSecret?: string;
  trustProxy: TrustProxy;
  /** Load the demo tenants into an empty database. */
  demoData: boolean;
  baseDomain: string;
  /** The app's address as websites reach it, without a trailing slash. */
  publicUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  widgetRateLimit: number;
  /** Only what is set: analytics/ingest.ts holds the defaults. */
  ingest: { maxBodyBytes?: number; maxBatch?: number; keyRatePerSecond?: number; keyBurst?: number; sessionRatePerSecond?: number; sessionBurst?: number; maxWriters?: number; maxWaiting?: number };
  openai: { baseUrl?: string; apiKey?: string; model: string; timeoutMs?: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// Values are echoed in messages only where they cannot be secret (numbers, names); URLs may carry passwords.
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().transform((s, ctx) => {
    const n = /^\s*\d+\s*$/.test(s) ? Number(s) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got "${s}"` });
    return z.NEVER;
  });

const url = (protocols: string[]) =>
  z.string().transform((s, ctx) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(s.trim());
    } catch {
      // (reported below)
    }
    if (parsed && protocols.includes(parsed.protocol)) return s.trim();
    ctx.addIssue({ code: 'custom', message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` });
    return z.NEVER;
  });

const flag = z.string().transform((s, ctx) => {
  const v = s.trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  ctx.addIssue({ code: 'custom', message: `must be 1 or 0, got "${s}"` });
  return z.NEVER;
});

const isRange = (entry: string) => {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

const trustProxy = z.string().transform((s, ctx): TrustProxy => {
  const v = s.trim().toLowerCase();
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isRange(e));
  if (entries.length && !bad.length) return entries;
  ctx.addIssue({
    code: 'custom',
    message: `must be false, true, a hop count, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses and CIDR ranges (not understood: ${bad.join(', ') || 'an empty list'})`,
  });
  return z.NEVER;
});

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((s, ctx) => {
    const v = s.trim().toLowerCase();
    if ((values as readonly string[]).includes(v)) return v as T[number];
    ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}, got "${s}"` });
    return z.NEVER;
  });

const hostname = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i, 'must be a host name such as crm.example.com');

// Keyed by variable name, so every issue's path is the variable to fix.
const variables = z.object({
  NODE_ENV: oneOf(NODE_ENVS).optional(),
  PORT: wholeNumber(1, 65_535).optional(),
  HOST: z.string().optional(),
  DATA_DIR: z.string().optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  CLICKHOUSE_URL: url(['http:', 'https:']).optional(),
  CLICKHOUSE_CLUSTER: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a cluster name of remote_servers (letters, digits, _)').optional(),
  CLICKHOUSE_REPLICATED: flag.optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[\x21-\x7e]{1,100}$/, 'must be 1 to 100 printable characters without spaces, e.g. epesi:').optional(),
  SESSION_SECRET: z.string().optional(),
  TRUST_PROXY: trustProxy.optional(),
  DEMO_DATA: flag.optional(),
  BASE_DOMAIN: hostname.optional(),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  LOG_LEVEL: oneOf(LOG_LEVELS).optional(),
  WIDGET_RATE_LIMIT: wholeNumber(1).optional(),
  INGEST_MAX_BODY_BYTES: wholeNumber(1).optional(),
  INGEST_MAX_BATCH: wholeNumber(1).optional(),
  INGEST_KEY_RATE: wholeNumber(1).optional(),
  INGEST_KEY_BURST: wholeNumber(1).optional(),
  INGEST_USER_RATE: wholeNumber(1).optional(),
  INGEST_USER_BURST: wholeNumber(1).optional(),
  INGEST_MAX_WRITERS: wholeNumber(1).optional(),
  INGEST_MAX_WAITING: wholeNumber(0).optional(),
  OPENAI_BASE_URL: url(['http:', 'https:']).optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().optional(),
  OPENAI_TIMEOUT_MS: wholeNumber(1).optional(),
});

/** The variables this module reads, in the order of .env.example. */
export const CONFIG_VARIABLES = Object.keys(variables.shape) as (keyof typeof variables.shape)[];

/** Reads and checks the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value is an unset one (compose's `${VAR:-}` passes empty strings).
  const present = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]?.trim() ? env[name] : undefined]));
  const parsed = variables.safeParse(present);
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  const v = parsed.success ? parsed.data : null;
  const nodeEnv = v?.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  if (v && production && !v.SESSION_SECRET) {
    issues.push('SESSION_SECRET must be set in production: a long random string, e.g. the output of `openssl rand -hex 32`');
  } else if (v?.SESSION_SECRET && production && v.SESSION_SECRET.trim().length < MIN_PRODUCTION_SECRET) {
    issues.push(`SESSION_SECRET must be at least ${MIN_PRODUCTION_SECRET} characters in production, e.g. the output of \`openssl rand -hex 32\``);
  }
  if (v?.CLICKHOUSE_CLUSTER && !v.CLICKHOUSE_URL) issues.push('CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL: a server of that cluster');
  if (v?.CLICKHOUSE_REPLICATED && !v.CLICKHOUSE_CLUSTER) issues.push('CLICKHOUSE_REPLICATED needs CLICKHOUSE_CLUSTER: the cluster whose shards have replicas');
  if (!v || issues.length) throw new ConfigError(`Configuration error (environment variables):\n${issues.map((i) => `  ${i}`).join('\n')}`);

  const publicUrl = new URL(v.PUBLIC_URL ?? 'http://localhost:3000');
  const apiKey = v.OPENAI_API_KEY?.trim() || undefined;
  return {
    nodeEnv,
    production,
    port: v.PORT ?? 3000,
    host: v.HOST ?? '127.0.0.1',
    dataDir: v.DATA_DIR ?? 'data',
    databaseUrl: v.DATABASE_URL,
    clickhouseUrl: v.CLICKHOUSE_URL,
    clickhouseCluster: v.CLICKHOUSE_CLUSTER ? { name: v.CLICKHOUSE_CLUSTER, replicated: v.CLICKHOUSE_REPLICATED ?? false } : undefined,
    redisUrl: v.REDIS_URL,
    redisKeyPrefix: v.REDIS_KEY_PREFIX ?? 'epesi:',
    sessionSecret: v.SESSION_SECRET,
    // In production the app is meant to sit behind a proxy on the same machine unless told otherwise.
    trustProxy: v.TRUST_PROXY ?? (production ? ['loopback'] : false),
    demoData: v.DEMO_DATA ?? !production,
    baseDomain: (v.BASE_DOMAIN ?? 'localhost').toLowerCase(),
    publicUrl: `${publicUrl.origin}${publicUrl.pathname.replace(/\/+$/, '')}`,
    logLevel: v.LOG_LEVEL ?? 'info',
    widgetRateLimit: v.WIDGET_RATE_LIMIT ?? 30,
    ingest: {
      maxBodyBytes: v.INGEST_MAX_BODY_BYTES,
      maxBatch: v.INGEST_MAX_BATCH,
      keyRatePerSecond: v.INGEST_KEY_RATE,
      keyBurst: v.INGEST_KEY_BURST,
      sessionRatePerSecond: v.INGEST_USER_RATE,
      sessionBurst: v.INGEST_USER_BURST,
      maxWriters: v.INGEST_MAX_WRITERS,
      maxWaiting: v.INGEST_MAX_WAITING,
    },
    openai: {
      baseUrl: v.OPENAI_BASE_URL ?? (apiKey ? 'https://api.openai.com/v1' : undefined),
      apiKey,
      model: v.OPENAI_MODEL?.trim() || 'gpt-4o-mini',
      timeoutMs: v.OPENAI_TIMEOUT_MS,
    },
  };
}

/** What the operator commands (npm run tenant:create) read: DATABASE_URL, required, and ADMIN_PASSWORD. */
export function commandConfig(env: NodeJS.ProcessEnv = process.env): { databaseUrl: string; adminPassword?: string } {
  const { databaseUrl } = loadConfig({ DATABASE_URL: env.DATABASE_URL });
  if (!databaseUrl) throw new ConfigError('Configuration error (environment variables):\n  DATABASE_URL must be set: the PostgreSQL database, e.g. postgres://user:password@host:5432/epesi');
  return { databaseUrl, adminPassword: env.ADMIN_PASSWORD || undefined };
}
