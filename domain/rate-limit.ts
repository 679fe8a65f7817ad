// The counters behind every limit that protects users (sign-in failures, widget requests, ingest events), shared
// by every app instance through rate-limiter-flexible: in PostgreSQL's rate_limits table by default, in Redis
// when REDIS_URL is set, in memory only where a test asks for it. Each limit is a fixed window: at most `points`
// in `seconds` from the window's first hit.
//
// Redis unreachable (down, restarting, a network split): the limits keep working, each instance on its own. The
// Redis limiters refuse to wait for Redis (rejectIfRedisNotReady, no offline queue, a 500 ms command timeout) and
// fall back to an in-memory limiter of the same limit (rate-limiter-flexible's insuranceLimiter), so no request
// waits or fails for Redis, and a guesser gets at most the limit per instance until Redis is back; the client
// reconnects by itself and the shared counters resume. (PostgreSQL unreachable: the app answers 503 anyway.)
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export type LimitStore =
  | { kind: 'postgres'; pool: pg.Pool }
  | { kind: 'redis'; client: Redis; /** Before every key (REDIS_KEY_PREFIX): apps or test runs sharing one Redis. */ prefix: string }
  | { kind: 'memory' };

/** A limiter of `points` per `seconds` (a whole number of seconds: Redis expires keys by the second). */
export function limiter(store: LimitStore, name: string, points: number, seconds: number): RateLimiterAbstract {
  const options = { keyPrefix: name, points, duration: Math.max(1, Math.round(seconds)) };
  switch (store.kind) {
    case 'memory':
      return new RateLimiterMemory(options);
    case 'redis':
      return new RateLimiterRedis({
        ...options,
        keyPrefix: `${store.prefix}${name}`,
        storeClient: store.client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    case 'postgres':
      // The table comes from the migrations (schema/tables/system.ts), not from the library. Expired rows are
      // deleted every 5 minutes (any limiter's sweep covers the whole table; the timer does not keep a process up).
      return new RateLimiterPostgres({ ...options, storeClient: store.pool, tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: true });
  }
}

/**
 * Takes `points` from `key`'s window: 0 when they fit, else the seconds until the window ends (at least 1). A
 * refused request is not counted (its points are given back), so a smaller one may still fit.
 */
export async function take(limit: RateLimiterAbstract, key: string, points = 1): Promise<number> {
  try {
    await limit.consume(key, points);
    return 0;
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res; // the store failed (PostgreSQL down: the app's 503)
    await limit.reward(key, points);
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }
}

/**
 * The Redis client of the limits (REDIS_URL): commands fail at once while it is not connected, and after 500 ms
 * when Redis does not answer, so the limiters fall back instead of holding requests. Connection errors are
 * logged once per cause and minute (ioredis emits one per reconnection attempt).
 */
export function connectRedis(url: string, log: Pick<Logger, 'warn' | 'info'>): Redis {
  const client = new Redis(url, { enableOfflineQueue: false, commandTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false });
  let last = '';
  let lastAt = 0;
  client.on('error', (err: Error) => {
    if (err.message === last && Date.now() - lastAt < 60_000) return;
    [last, lastAt] = [err.message, Date.now()];
    log.warn({ component: 'redis', error: err.message }, 'redis: unreachable; the limits count in this instance\'s memory until it is back');
  });
  client.on('ready', () => {
    if (last) log.info({ component: 'redis' }, 'redis: connected again; the limits are shared again');
    last = '';
  });
  return client;
}
