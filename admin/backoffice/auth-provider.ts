// AdminJS sign-in through the same Authenticator as the API: tenant from the subdomain or the form,
// username or email, argon2id, rate limits. Errors show on the login page.
import { BaseAuthProvider, type LoginHandlerOptions } from 'adminjs';
import type { Request } from 'express';
import type { Authenticator } from '../../domain/auth';
import { DomainError } from '../../domain/errors';
import type { ScopedData } from '../../domain/scoped-data';
import { subdomainOf } from '../../domain/tenancy';
import { currentAdminFor } from '../auth-routes';

export class TenantAuthProvider extends BaseAuthProvider {
  constructor(
    private readonly auth: Authenticator,
    private readonly data: ScopedData,
  ) {
    super();
  }

  override async handleLogin({ headers, data }: LoginHandlerOptions, context?: { req: Request }) {
    const fields = (data ?? {}) as Record<string, string | undefined>;
    try {
      const user = await this.auth.login({
        tenant: subdomainOf(headers.host as string | undefined) ?? fields.tenant ?? '',
        login: fields.email ?? '',
        password: fields.password ?? '',
        ip: context?.req.ip ?? 'unknown',
      });
      return (await currentAdminFor(this.data, user)).admin;
    } catch (err) {
      // AdminJS renders the message of a thrown error on its login page.
      if (err instanceof DomainError) throw new Error(err.message);
      throw err;
    }
  }
}
