// Signing in: a tenant (from the subdomain or the form), a username or email, and a password.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { DomainError, invalid } from './errors';
import { hashPassword, verifyPassword } from './passwords';
import type { LimitStore } from './rate-limit';
import { SignInLimits } from './sign-in-limits';
import type { ScopedData, Tx } from './scoped-data';
import { findTenant } from './tenancy';

export interface SessionUser {
  tenantId: number;
  userId: number;
  subdomain: string;
}

export interface LoginInput {
  tenant: string;
  login: string;
  password: string;
  ip: string;
}

export interface AuthenticatorOptions {
  /**
   * Runs in the tenant, as the user, after a successful sign-in: admin/app.ts passes the analytics outbox's
   * 'user.login' event (analytics/outbox.ts), so the domain needs no import from the layer above it.
   */
  onLogin?: (tx: Tx, login: { ip: string }) => Promise<void>;
  /** Where the failure counters live (domain/rate-limit.ts); absent: PostgreSQL, through `pool`. */
  limits?: LimitStore;
}

// A hash to verify against when the account does not exist, so both cases take the same time.
const dummyHash = hashPassword('not-a-real-password');

export class Authenticator {
  /** Failed attempts per account and per address, shared by every instance on this database. */
  readonly limits: SignInLimits;

  constructor(
    private readonly pool: pg.Pool,
    private readonly data: ScopedData,
    private readonly options: AuthenticatorOptions = {},
  ) {
    this.limits = new SignInLimits(options.limits ?? { kind: 'postgres', pool });
  }

  async login({ tenant, login, password, ip }: LoginInput): Promise<SessionUser> {
    if (!tenant?.trim()) throw invalid('Which organization? Enter its tenant name (subdomain).', { tenant: 'is required' });
    if (!login?.trim() || !password) throw invalid('Enter your username or email and your password.');
    const found = await findTenant(this.pool, tenant);
    const user = found
      ? await this.data.inTenant(found.id, null, async (tx) => {
          const { rows } = await tx.execute(
            sql`SELECT id, password FROM users WHERE tenant_id = ${found.id} AND (lower(username) = lower(${login.trim()}) OR lower(email) = lower(${login.trim()}))`,
          );
          return (rows[0] as { id: number; password: string } | undefined) ?? null;
        })
      : null;
    // The account is the user the login names (username or email: one counter), else the text as typed.
    // (Typed text hashed: any length, any character, fits the counter's key.)
    const typed = createHash('sha256').update(`${tenant.trim().toLowerCase()}/${login.trim().toLowerCase()}`).digest('hex');
    const account = found && user ? `user:${found.id}:${user.id}` : `typed:${typed}`;
    const wait = await this.limits.retryAfter(account, ip);
    if (wait > 0) {
      throw new DomainError('too_many', `Too many sign-in attempts (failed ones). Try again in ${Math.ceil(wait / 60)} minute(s).`, {}, wait);
    }
    const ok = await verifyPassword(user?.password ?? (await dummyHash), password);
    if (!found || !user || !ok) {
      await this.limits.failed(account, ip);
      throw new DomainError('unauthenticated', 'Wrong organization, username or password.');
    }
    await this.limits.succeeded(account);
    const onLogin = this.options.onLogin;
    if (onLogin) await this.data.inTenant(found.id, user.id, (tx) => onLogin(tx, { ip }));
    return { tenantId: found.id, userId: user.id, subdomain: found.subdomain };
  }
}
