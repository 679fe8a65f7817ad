// POST /auth/login, POST /auth/logout, GET /auth/me. The tenant comes from the subdomain when there is one,
// otherwise from the form's `tenant` field.
import { Router, type Request } from 'express';
import type { Authenticator, SessionUser } from '../domain/auth';
import type { ScopedData } from '../domain/scoped-data';
import { subdomainOf } from '../domain/tenancy';
import { actorOf, wrap } from './http';
import { SESSION_COOKIE } from './session';

export function authRoutes(auth: Authenticator, data: ScopedData) {
  const router = Router();

  router.post(
    '/login',
    wrap(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const tenant = subdomainOf(req.headers.host) ?? String(body.tenant ?? '');
      const user = await auth.login({
        tenant,
        login: String(body.login ?? body.email ?? body.username ?? ''),
        password: String(body.password ?? ''),
        ip: req.ip ?? 'unknown',
      });
      const { admin, profile } = await currentAdminFor(data, user);
      await signIn(req, admin);
      res.json({ user: profile, tenant: user.subdomain });
    }),
  );

  router.post('/logout', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie(SESSION_COOKIE);
      res.status(204).end();
    });
  });

  router.get(
    '/me',
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      res.json({
        user: await data.get(actor, 'users', actor.principal.userId),
        role: { level: actor.principal.level, permissions: actor.principal.permissions },
      });
    }),
  );

  return router;
}

/**
 * Every sign-in path ends here: a new session id (a session fixed before sign-in, or the one of a user signed
 * in before, is worthless after it), then the user, saved before the answer goes.
 */
export async function signIn(req: Request, admin: NonNullable<Request['session']['adminUser']>) {
  await new Promise<void>((done, fail) => req.session.regenerate((err) => (err ? fail(err) : done())));
  req.session.adminUser = admin;
  await new Promise<void>((done, fail) => req.session.save((err) => (err ? fail(err) : done())));
}

/** What the session keeps of a signed-in user (AdminJS shows email and title in its top bar). */
export async function currentAdminFor(data: ScopedData, user: SessionUser) {
  const actor = await data.actor(user.tenantId, user.userId);
  const profile = await data.get(actor, 'users', user.userId);
  const admin = { ...user, email: String(profile.email), title: `${String(profile.first_name)} ${String(profile.last_name)}` };
  return { admin, profile };
}
