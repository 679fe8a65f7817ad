// POST /auth/login, POST /auth/logout, GET /auth/me. The tenant comes from the subdomain when there is one,
// otherwise from the form's `tenant` field.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator, SessionUser } from '../domain/auth';
import { DomainError } from '../domain/errors';
import type { Actor, ScopedData } from '../domain/scoped-data';
import { subdomainOf } from '../domain/tenancy';
import { SESSION_COOKIE } from './session';

export const wrap =
  (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) =>
    fn(req, res).catch(next);

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

export const OTHER_ORGANIZATION = 'This session belongs to another organization; sign in here.';

/**
 * The one rule of host and session, for every path (JSON API, AdminJS API and pages): on a tenant's subdomain
 * only a session of that tenant counts. acme's cookie sent to globex.localhost is no sign-in there.
 */
export function signedInElsewhere(req: Request): boolean {
  const user = req.session?.adminUser;
  const host = subdomainOf(req.headers.host);
  return !!user && !!host && host !== user.subdomain;
}

/**
 * The signed-in actor of a request, bound to the tenant of its session and host. A GET's reads share one
 * read session (domain/read-session.ts), ended with the response; other methods write, in transactions.
 */
export async function actorOf(req: Request, data: ScopedData) {
  const user = req.session?.adminUser;
  if (!user) throw new DomainError('unauthenticated', 'Sign in first.');
  if (signedInElsewhere(req)) throw new DomainError('unauthenticated', OTHER_ORGANIZATION);
  if (req.method !== 'GET' || !req.res) return data.actor(user.tenantId, user.userId);
  return endsWith(req.res, await data.actorForRequest(user.tenantId, user.userId));
}

/** Ends the actor's read session with the response, however it ends (or now, if the client already left). */
export function endsWith(res: Response, actor: Actor): Actor {
  const end = () => void actor.reads?.close();
  if (res.closed) end();
  else res.on('close', end);
  return actor;
}
