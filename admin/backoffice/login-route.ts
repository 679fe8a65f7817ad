// The back office's sign-in (GET and POST /admin/login), ahead of @adminjs/express's own, which keeps the
// session id it was given (a fixed session: whoever planted the cookie is signed in with the victim) and whose
// form carries no CSRF token. Same page (AdminJS's login template, our Login component), same Authenticator.
import formidableMiddleware from 'express-formidable';
import { Router, type Request } from 'express';
import type AdminJS from 'adminjs';
import type { Authenticator } from '../../domain/auth';
import { DomainError } from '../../domain/errors';
import { BODY_LIMIT_BYTES } from '../../domain/limits';
import type { ScopedData } from '../../domain/scoped-data';
import { subdomainOf } from '../../domain/tenancy';
import { currentAdminFor, signIn } from '../auth-routes';
import { wrap } from '../http';
import type { loginToken } from '../csrf';
import { finishPage, placeheld } from './page-html';

declare module 'express-session' {
  interface SessionData {
    /** Where AdminJS sends the user after sign-in (the page that asked for it). */
    redirectTo?: string;
  }
}

export function loginRoutes(admin: AdminJS, auth: Authenticator, data: ScopedData, token: ReturnType<typeof loginToken>) {
  const router = Router();
  const { loginPath, rootPath } = admin.options;
  const path = loginPath.slice(rootPath.length);
  const page = async (req: Request, errorMessage: string | null) => {
    const props = placeheld({ action: loginPath, errorMessage, csrfToken: token.issue(req, req.res!) });
    return finishPage(await admin.renderLogin(props as Parameters<AdminJS['renderLogin']>[0]), req.res!);
  };

  router.get(path, wrap(async (req, res) => void res.send(await page(req, null))));

  router.post(
    path,
    formidableMiddleware({ maxFieldsSize: BODY_LIMIT_BYTES, maxFileSize: BODY_LIMIT_BYTES }),
    wrap(async (req, res) => {
      const fields = ((req as Request & { fields?: Record<string, unknown> }).fields ?? {}) as Record<string, unknown>;
      if (!token.check(req, fields._csrf)) {
        return void res.status(403).send(await page(req, 'This sign-in form has expired or did not come from this site: please sign in again.'));
      }
      let user;
      try {
        user = await auth.login({
          tenant: subdomainOf(req.headers.host) ?? String(fields.tenant ?? ''),
          login: String(fields.email ?? ''),
          password: String(fields.password ?? ''),
          ip: req.ip ?? 'unknown',
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return void res.status(err.status).send(await page(req, err.message));
      }
      const redirectTo = req.session.redirectTo;
      await signIn(req, (await currentAdminFor(data, user)).admin);
      res.redirect(302, redirectTo?.startsWith(`${rootPath}`) ? redirectTo : rootPath);
    }),
  );
  return router;
}
