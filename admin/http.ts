// The HTTP helpers every router of the app shares: async handlers whose errors reach the one error mapper
// (admin/http-errors.ts), and the signed-in actor of a request. The analytics routes receive them
// (analytics/routes.ts, AnalyticsDeps.http): the analytics layer sits below admin/ and imports nothing from it.
import type { NextFunction, Request, Response } from 'express';
import { DomainError, invalid } from '../domain/errors';
import type { Actor, ScopedData } from '../domain/scoped-data';
import { subdomainOf } from '../domain/tenancy';

export const wrap =
  (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) =>
    fn(req, res).catch(next);

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
  try {
    if (req.method !== 'GET' || !req.res) return await data.actor(user.tenantId, user.userId);
    return endsWith(req.res, await data.actorForRequest(user.tenantId, user.userId));
  } catch (err) {
    // The session ended elsewhere, or the account is gone: this instance forgets the session too.
    if (err instanceof DomainError && err.kind === 'unauthenticated') await new Promise((done) => req.session.destroy(done));
    throw err;
  }
}

/** Ends the actor's read session with the response, however it ends (or now, if the client already left). */
export function endsWith(res: Response, actor: Actor): Actor {
  const end = () => void actor.reads?.close();
  if (res.closed) end();
  else res.on('close', end);
  return actor;
}

/**
 * Refuses (400) query parameters a route does not take, naming them: a misspelt or guessed one (`?limit=2` for
 * `perPage`) would otherwise be ignored silently and the client would get an answer to another question.
 */
export const onlyQuery =
  (...known: string[]) =>
  (req: Request, _res: Response, next: NextFunction) => {
    const unknown = Object.keys(req.query ?? {}).filter((k) => !known.includes(k));
    if (!unknown.length) return next();
    const takes = known.length ? `it takes ${known.join(', ')}` : 'it takes none';
    next(invalid(`Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: ${takes}`, Object.fromEntries(unknown.map((k) => [k, 'unknown parameter']))));
  };

/** What a router below admin/ gets of these helpers, by injection. */
export const httpHelpers = { wrap, actorOf };
export type HttpHelpers = typeof httpHelpers;
