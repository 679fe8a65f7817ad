// Signing in: a tenant (from the subdomain or the form), a username or email, and a password.
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { DomainError, invalid } from './errors';
import { hashPassword, verifyPassword } from './passwords';
import { RateLimiter } from './rate-limit';
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
}

// A hash to verify against when the account does not exist, so both cases take the same time.
const dummyHash = hashPassword('not-a-real-password');

export class Authenticator {
  /** Failed attempts per account (tenant + login) and all attempts per IP. */
  readonly perAccount = new RateLimiter(5, 15 * 60_000);
  readonly perIp = new RateLimiter(30, 15 * 60_000);

  constructor(
    private readonly pool: pg.Pool,
    private readonly data: ScopedData,
    private readonly options: AuthenticatorOptions = {},
  ) {}

  async login({ tenant, login, password, ip }: LoginInput): Promise<SessionUser> {
    if (!tenant?.trim()) throw invalid('Which organization? Enter its tenant name (subdomain).', { tenant: 'is required' });
    if (!login?.trim() || !password) throw invalid('Enter your username or email and your password.');
    const account = `${tenant.trim().toLowerCase()}/${login.trim().toLowerCase()}`;
    const wait = Math.max(this.perIp.retryAfter(ip), this.perAccount.retryAfter(account));
    if (wait > 0) {
      throw new DomainError('too_many', `Too many sign-in attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`);
    }
    this.perIp.hit(ip);

    const found = await findTenant(this.pool, tenant);
    const user = found
      ? await this.data.inTenant(found.id, null, async (tx) => {
          const { rows } = await tx.execute(
            sql`SELECT id, password FROM users WHERE tenant_id = ${found.id} AND (lower(username) = lower(${login.trim()}) OR lower(email) = lower(${login.trim()}))`,
          );
          return (rows[0] as { id: number; password: string } | undefined) ?? null;
        })
      : null;
    const ok = await verifyPassword(user?.password ?? (await dummyHash), password);
    if (!found || !user || !ok) {
      this.perAccount.hit(account);
      throw new DomainError('unauthenticated', 'Wrong organization, username or password.');
    }
    this.perAccount.reset(account);
    const onLogin = this.options.onLogin;
    if (onLogin) await this.data.inTenant(found.id, user.id, (tx) => onLogin(tx, { ip }));
    return { tenantId: found.id, userId: user.id, subdomain: found.subdomain };
  }
}
