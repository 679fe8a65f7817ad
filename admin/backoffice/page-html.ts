// The HTML pages AdminJS renders (its layout and sign-in templates, adminjs/lib/frontend/*-template.js) put
// JSON.stringify(state) raw inside inline <script> tags: a user named `</script><script>alert(1)</script>`
// ended the script and ran their own. The templates are AdminJS's own modules and cannot be swapped, so the
// values we hand them (the signed-in user, the sign-in page's props) carry placeholders (private-use
// characters) for `<`, `>`, `&`, U+2028 and U+2029, and the finished HTML turns each placeholder into its JSON
// escape (\u003c ...): the script reads the same text, and no value can close the tag. The same pass gives the
// inline scripts the response's CSP nonce (admin/security-headers.ts) and drops AdminJS's Google Fonts link
// (no request leaves the app's origin; the pages fall back to the system's sans-serif font).
import type { RequestHandler, Response } from 'express';
import { cspNonce } from '../security-headers';
import { actorAlias } from './actors';
import { hashedScripts } from './frontend-assets';
import { compactPage } from './page-state';

const UNSAFE = /[<>&\u2028\u2029]/g;
const PLACEHOLDERS: Record<string, string> = { '<': '\uE000', '>': '\uE001', '&': '\uE002', '\u2028': '\uE003', '\u2029': '\uE004' };
const ESCAPES: Record<string, string> = { '\uE000': '\\u003c', '\uE001': '\\u003e', '\uE002': '\\u0026', '\uE003': '\\u2028', '\uE004': '\\u2029' };

/** A deep copy of `value` whose strings hold placeholders instead of the characters that could end a script. */
export function placeheld<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSAFE, (c) => PLACEHOLDERS[c]!) as T;
  if (Array.isArray(value)) return value.map(placeheld) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [placeheld(k), placeheld(v)])) as T;
  }
  return value;
}

const GOOGLE_FONTS = /<link[^>]+href="https:\/\/fonts\.googleapis\.com[^>]*>/g;

/**
 * The page as it is sent: its inline state compacted (page-state.ts), placeholders as JSON escapes, inline
 * scripts with the nonce, no third-party font, the scripts by their hashed names.
 */
export function finishPage(html: string, res: Response): string {
  const nonce = cspNonce(res);
  return hashedScripts(compactPage(html))
    .replace(/[\uE000-\uE004]/g, (c) => ESCAPES[c]!)
    .replace(/<script(?![^>]*\ssrc=)(?=[\s>])/g, `<script nonce="${nonce}"`)
    .replace(GOOGLE_FONTS, '');
}

/**
 * For the back office's pages (not its API, assets or sign-in): AdminJS renders them with a placeheld copy of
 * the signed-in user (sharing its actor); the session keeps the original, put back before the answer goes.
 */
export const safePages: RequestHandler = (req, res, next) => {
  const admin = req.session?.adminUser;
  if (req.method !== 'GET' || !admin || /^\/(api|frontend)\//.test(req.path)) return next();
  const copy = placeheld(admin);
  actorAlias(copy, admin);
  req.session.adminUser = copy;
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    req.session.adminUser = admin;
    return send(typeof body === 'string' && /^\s*<!DOCTYPE html>/i.test(body) ? finishPage(body, res) : body);
  };
  next();
};
