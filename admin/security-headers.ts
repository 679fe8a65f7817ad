// Security headers of every answer (helmet): a Content-Security-Policy that lets the back office run with no
// inline script but its own nonced ones (admin/backoffice/page-html.ts), no framing (the widget's script is
// loaded by other sites' pages, its JSON API called from them: neither is framed), nosniff, a strict
// Referrer-Policy, and HSTS only when the request came over HTTPS (a plain-HTTP development server must not
// pin browsers to HTTPS for localhost).
import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The nonce of this response's inline scripts. */
export const cspNonce = (res: Response): string => String(res.locals.cspNonce ?? '');

export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${cspNonce(res as Response)}'`],
        // AdminJS's components (styled-components) write <style> elements at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false, // below: only over HTTPS
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // The widget's script (/widget.js) is loaded by other sites' pages.
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const hsts: RequestHandler = (req, res, next) => {
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
  return [nonce, headers, hsts];
}
