// Limits on sign-in attempts that count FAILURES only, shared by every app instance (domain/rate-limit.ts:
// counters in PostgreSQL's rate_limits table, or in Redis when REDIS_URL is set):
//   - per account: 5 failures in 15 minutes, then that account waits. The account is the user the text typed
//     names (`manager2` and `manager2@acme.test` are one counter); text naming no user is counted as typed.
//   - per address: 100 failures in 15 minutes, looser, since offices sign in from one address.
// A successful sign-in clears its account's failures. Correct sign-ins are never counted: 200 people of one
// office signing in from one address within a minute all get in.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { limiter, type LimitStore } from './rate-limit';

const WINDOW_S = 15 * 60;
export const ACCOUNT_FAILURES = 5;
export const ADDRESS_FAILURES = 100;

export class SignInLimits {
  private readonly account: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;

  constructor(store: LimitStore) {
    this.account = limiter(store, 'signin-account', ACCOUNT_FAILURES, WINDOW_S);
    this.address = limiter(store, 'signin-address', ADDRESS_FAILURES, WINDOW_S);
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
