// Limits on sign-in attempts that count FAILURES only, shared by every app instance (rate-limiter-flexible,
// counters in PostgreSQL's rate_limits table; in memory where no pool is given, e.g. one embedded process):
//   - per account: 5 failures in 15 minutes, then that account waits. The account is the user the text typed
//     names (`manager2` and `manager2@acme.test` are one counter); text naming no user is counted as typed.
//   - per address: 100 failures in 15 minutes, looser, since offices sign in from one address.
// A successful sign-in clears its account's failures. Correct sign-ins are never counted: 200 people of one
// office signing in from one address within a minute all get in.
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type pg from 'pg';

const WINDOW_S = 15 * 60;
export const ACCOUNT_FAILURES = 5;
export const ADDRESS_FAILURES = 100;

function limiter(pool: pg.Pool | null, keyPrefix: string, points: number): RateLimiterAbstract {
  const options = { keyPrefix, points, duration: WINDOW_S };
  // The table comes from the migrations (schema/tables/system.ts), not from the library.
  return pool ? new RateLimiterPostgres({ ...options, storeClient: pool, tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false }) : new RateLimiterMemory(options);
}

export class SignInLimits {
  private readonly account: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;

  constructor(pool: pg.Pool | null) {
    this.account = limiter(pool, 'signin-account', ACCOUNT_FAILURES);
    this.address = limiter(pool, 'signin-address', ADDRESS_FAILURES);
  }

  /** Seconds until this account, or this address, may try again (0: now). */
  async retryAfter(account: string, ip: string): Promise<number> {
    const [a, b] = await Promise.all([this.account.get(account), this.address.get(ip)]);
    const wait = (r: Awaited<ReturnType<RateLimiterAbstract['get']>>, limit: number) => (r && r.consumedPoints >= limit ? Math.ceil(r.msBeforeNext / 1000) : 0);
    return Math.max(wait(a, ACCOUNT_FAILURES), wait(b, ADDRESS_FAILURES));
  }

  /** A wrong organization, login or password. */
  async failed(account: string, ip: string): Promise<void> {
    // penalty() counts without refusing (the check is retryAfter's, before the password is verified).
    await Promise.all([this.account.penalty(account, 1), this.address.penalty(ip, 1)]);
  }

  /** A correct sign-in: the account's earlier failures are forgiven. */
  async succeeded(account: string): Promise<void> {
    await this.account.delete(account);
  }
}
