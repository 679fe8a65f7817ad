// Cross-site request forgery: a write that rides on the session cookie must come from the app's own pages.
// SameSite=Lax is not enough: a sibling tenant's subdomain (acme.example.com -> globex.example.com) is the
// same *site*, so its pages get our cookie sent along; only the *origin* tells them apart.
//
// The rule, for every POST/PUT/PATCH/DELETE that carries the session cookie, and for every sign-in (a forged
// sign-in would put the victim in the attacker's account):
//   1. `Origin` present: it must be this request's own scheme://host (an opaque "null" origin is refused);
//   2. else `Sec-Fetch-Site` present: it must be `same-origin`;
//   3. else `Referer` present: its origin must be ours;
//   4. none of the three: accepted only when the body's Content-Type is one an HTML form cannot send (JSON,
//      CSV...). Browsers send Origin on every cross-origin POST, so only API clients (curl, scripts that keep a
//      session cookie) and very old browsers land here; a page on another site can send a non-form content
//      type only after a CORS preflight, which this app never grants (the widget is not under a session).
// Requests with an `Authorization` header (the ingest API's keys) are not cookie sessions and are not checked;
// the widget is mounted before this and uses no cookie at all.
// Forms rendered by the server (the sign-in page) also carry a token (loginToken below): a second wall for
// browsers that send neither Origin nor Sec-Fetch-Site.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The content types an HTML form (or a no-CORS fetch) may send cross-site without a preflight. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** This request's own origin, as a browser on this page would write it (scheme from the trusted proxy, if any). */
export const ownOrigin = (req: Request) => `${req.protocol}://${req.get('host') ?? ''}`;

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** Why the request is not from this app's own origin, or null when it is. */
export function crossOriginReason(req: Request): string | null {
  const own = ownOrigin(req);
  const origin = req.get('origin');
  if (origin !== undefined) return origin === own ? null : `it comes from ${origin === 'null' ? 'an opaque origin' : origin}, not ${own}`;
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' ? null : `the browser says it comes from a ${site} page`;
  const referer = req.get('referer');
  if (referer !== undefined) return originOf(referer) === own ? null : `it comes from a page of ${originOf(referer) ?? 'an unknown address'}`;
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && !FORM_TYPES.includes(type)) return null;
  return 'it names no origin (no Origin, Sec-Fetch-Site or Referer header) and could have been sent by a form of another site';
}

function refuse(req: Request, res: Response, reason: string) {
  const message = `Refused to protect your session: this request changes data, but ${reason}. Reload the page and try again from this site.`;
  res.status(403);
  if (req.accepts(['json', 'html']) === 'html') {
    res.type('html').send(`<!DOCTYPE html><meta charset="utf-8"><title>Refused</title><p>${escapeHtml(message)}</p><p><a href="/admin">Back to the back office</a></p>`);
  } else res.json({ error: message });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The one CSRF check of the app (see the rule at the top). `sessionCookie`: the session's cookie name;
 * `signInPaths`: checked even without a cookie; `signOutPaths`: checked for GET too (AdminJS signs out with a
 * GET: an <img> on a sibling tenant's page would sign its visitors out).
 */
export function sameOriginWrites(sessionCookie: string, signInPaths: string[], signOutPaths: string[] = []): RequestHandler {
  const hasSession = (req: Request) => (req.headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${sessionCookie}=`));
  return (req, res, next) => {
    const signOut = signOutPaths.includes(req.path) && hasSession(req);
    if ((SAFE_METHODS.has(req.method) && !signOut) || req.headers.authorization !== undefined) return next();
    if (!hasSession(req) && !signInPaths.includes(req.path)) return next();
    const reason = crossOriginReason(req);
    if (reason) return refuse(req, res, reason);
    next();
  };
}

/**
 * The sign-in form's token (double submit, signed): the page sets it as a cookie and puts it in the form;
 * the post must bring both, equal and signed with the app's secret. A page of another site can neither read
 * the cookie nor make a token that verifies.
 */
export function loginToken(secret: string, cookieName = 'epesi.csrf') {
  const sign = (nonce: string) => createHmac('sha256', secret).update(`login-csrf:${nonce}`).digest('base64url');
  const valid = (token: unknown): token is string => {
    if (typeof token !== 'string') return false;
    const [nonce, mac] = token.split('.');
    if (!nonce || !mac) return false;
    const expected = Buffer.from(sign(nonce));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  const cookieOf = (req: Request) =>
    (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${cookieName}=`))?.slice(cookieName.length + 1);
  return {
    /** A fresh token, set as the cookie of the sign-in form (its value goes into the form's hidden field). */
    issue(req: Request, res: Response): string {
      const nonce = randomBytes(18).toString('base64url');
      const token = `${nonce}.${sign(nonce)}`;
      res.cookie(cookieName, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: 8 * 60 * 60_000 });
      return token;
    },
    /** Whether the posted form's token is the one its page set. */
    check(req: Request, posted: unknown): boolean {
      const cookie = cookieOf(req);
      return valid(posted) && cookie === posted;
    },
  };
}
