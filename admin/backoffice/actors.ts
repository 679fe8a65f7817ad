// The actor (principal + ability) of the signed-in user, attached to AdminJS's currentAdmin object for the
// duration of a request. AdminJS asks isAccessible synchronously and hands currentAdmin to every resource
// method, so both read the same actor, loaded fresh (from the database) for each request, with the read
// session (domain/read-session.ts) that the request's reads share.
import type { NextFunction, Request, Response } from 'express';
import type { SessionUser } from '../../domain/auth';
import { DomainError, forbidden } from '../../domain/errors';
import type { Actor, ScopedData } from '../../domain/scoped-data';
import { endsWith, OTHER_ORGANIZATION, signedInElsewhere } from '../http';

export type CurrentAdmin = SessionUser & { email: string; title: string };

const actors = new WeakMap<object, Actor>();

export function actorOfAdmin(currentAdmin: unknown): Actor {
  const actor = currentAdmin && typeof currentAdmin === 'object' ? actors.get(currentAdmin) : undefined;
  if (!actor) throw forbidden('Sign in first.');
  return actor;
}

/** `copy` stands for `original` (the same actor): a copy of the signed-in user AdminJS renders a page with. */
export function actorAlias(copy: object, original: object) {
  const actor = actors.get(original);
  if (actor) actors.set(copy, actor);
}

export function attachActor(data: ScopedData, loginPath: string) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const admin = req.session?.adminUser as CurrentAdmin | undefined;
    // AdminJS's static bundles and fonts (the same for everyone, the sign-in page included) need no actor.
    if (!admin || req.path.startsWith('/frontend/assets/')) return next();
    if (signedInElsewhere(req)) {
      // Signing in here (which replaces the session) is the one thing this session may do on this host.
      if (req.originalUrl.startsWith(loginPath)) return next();
      if (req.path.startsWith('/api/')) return void res.status(401).json({ error: OTHER_ORGANIZATION });
      return res.redirect(loginPath);
    }
    try {
      // The request's reads share one read session, ended with the response.
      actors.set(admin, endsWith(res, await data.actorForRequest(admin.tenantId, admin.userId)));
      next();
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'unauthenticated') {
        // The account is gone (or moved tenant): end the session and ask for a new sign-in.
        req.session.destroy(() => res.redirect(loginPath));
        return;
      }
      next(err);
    }
  };
}
