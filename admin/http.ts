// The HTTP helpers every router of the app shares: async handlers whose errors reach the one error mapper
// (admin/http-errors.ts), and the signed-in actor of a request. The analytics routes receive them
// (analytics/routes.ts, AnalyticsDeps.http): the analytics layer sits below admin/ and imports nothing from it.
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../domain/errors';
import type { Actor, ScopedData } from '../domain/scoped-data';
import { subdomainOf } from '../domain/tenancy';

export const wrap =
  (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) =>
    fn(req, res).catch(next);

/**
 * The signed-in actor of a request, bound to the tenant of its session and host. A GET's reads share one
 * read session (domain/read-session.ts), ended with the response; other methods write, in transactions.
 */
export async function actorOf(req: Request, data: ScopedData) {
  const user = req.session?.adminUser;
  if (!user) throw new DomainError('unauthenticated', 'Sign in first.');
  const host = subdomainOf(req.headers.host);
  if (host && host !== user.subdomain) throw new DomainError('unauthenticated', 'This session belongs to another organization; sign in here.');
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

/** What a router below admin/ gets of these helpers, by injection. */
export const httpHelpers = { wrap, actorOf };
export type HttpHelpers = typeof httpHelpers;
