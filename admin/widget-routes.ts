// The public endpoint of the assistants' website widget. No session, no cookie: an assistant is addressed by its
// public key, and everything it does is in domain/assistants/widget.ts.
//   GET  /widget.js                                   the widget script (domain/assistants/embed.ts makes the tag)
//   GET  /widget/v1/:publicKey/config                 name, greeting, lead form fields
//   GET  /widget/v1/:publicKey/messages?visitorId=    the visitor's open conversation
//   POST /widget/v1/:publicKey/messages               { visitorId, content } or { visitorId, type: 'lead_form', lead: { name, email, company?, phone? } }
//   OPTIONS on each of them                           CORS preflight
// Checks, in order: the key names an active assistant (else 404); the request comes from a web page of one of the
// assistant's allowed_origins (else 403 without CORS headers, so browsers refuse it too); at most WIDGET_RATE_LIMIT
// requests per minute per key and client IP (else 429 with Retry-After), plus a per-IP cap over all keys that runs
// before the lookup; a JSON body (else 415) of at most 16 kB (else 413) that passes domain/assistants/payload.ts
// (else 400 naming each field).
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type pg from 'pg';
import { findAssistantByKey, parseVisitorId, parseVisitorMessage, WidgetService, type PublicAssistant, type ReplyProvider } from '../domain/assistants';
import { DomainError, notFound } from '../domain/errors';
import { limiter, take, type LimitStore } from '../domain/rate-limit';
import type { ScopedData } from '../domain/scoped-data';
import { logRequestError } from './logging';
import { WIDGET_SCRIPT } from './widget-script';

export interface WidgetOptions {
  provider: ReplyProvider;
  /** Requests per minute per public key and client IP (WIDGET_RATE_LIMIT). */
  perKeyLimit: number;
  /** Requests per minute per client IP over all keys, checked before the key is looked up (default: 4 x perKeyLimit). */
  perIpLimit?: number;
  /** Where the counters live, shared by every instance (domain/rate-limit.ts); absent: PostgreSQL, through the pool. */
  limits?: LimitStore;
}

const MINUTE_S = 60;

interface WidgetRequest extends Request {
  assistant?: PublicAssistant;
}

const fail = (res: Response, status: number, error: string, fields: Record<string, string> = {}) => res.status(status).json({ error, fields });

export function widgetRoutes(pool: pg.Pool, data: ScopedData, options: WidgetOptions) {
  const { perKeyLimit } = options;
  const store: LimitStore = options.limits ?? { kind: 'postgres', pool };
  const perKey = limiter(store, 'widget-key', perKeyLimit, MINUTE_S);
  const perIp = limiter(store, 'widget-ip', options.perIpLimit ?? perKeyLimit * 4, MINUTE_S);
  const service = new WidgetService(data, options.provider);
  const router = Router();

  router.get('/widget.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=3600').send(WIDGET_SCRIPT);
  });

  const api = Router({ mergeParams: true });

  // Who may call: the key, the origin, the rate. CORS headers only ever name an allowed origin.
  api.use(async (req: WidgetRequest, res: Response, next: NextFunction) => {
    try {
      const ip = req.ip ?? 'unknown';
      const key = String(req.params.publicKey ?? '');
      const limited = async (limit: typeof perKey, id: string) => {
        const wait = await take(limit, id);
        if (wait > 0) {
          res.set('Retry-After', String(wait));
          fail(res, 429, `Too many requests: try again in ${wait} second(s).`);
        }
        return wait > 0;
      };
      if (await limited(perIp, ip)) return;
      const assistant = await findAssistantByKey(pool, key);
      if (!assistant) return fail(res, 404, 'No active assistant has this key.');
      res.vary('Origin');
      const origin = req.get('origin');
      if (!origin) return fail(res, 403, 'The widget answers web pages only: the request has no Origin header.');
      if (!assistant.allowedOrigins.includes(origin.toLowerCase())) {
        return fail(res, 403, `This website (${origin}) may not use this assistant: add it to the assistant's allowed origins.`);
      }
      res.set('Access-Control-Allow-Origin', origin);
      if (req.method === 'OPTIONS') {
        const method = String(req.get('access-control-request-method') ?? '').toUpperCase();
        if (method && !['GET', 'POST'].includes(method)) return fail(res, 405, `${method} is not allowed here; use GET or POST.`);
        res.set({
          'Access-Control-Allow-Methods': 'GET, POST',
          'Access-Control-Allow-Headers': 'Content-Type',
          'Access-Control-Max-Age': '600',
        });
        return res.status(204).end();
      }
      if (await limited(perKey, `${assistant.id}|${ip}`)) return;
      req.assistant = assistant;
      next();
    } catch (err) {
      next(err);
    }
  });

  api.get('/config', async (req: WidgetRequest, res, next) => {
    try {
      res.json(await service.config(req.assistant!));
    } catch (err) {
      next(err);
    }
  });

  api.get('/messages', async (req: WidgetRequest, res, next) => {
    try {
      const visitorId = parseVisitorId((req.query as Record<string, unknown>).visitorId);
      res.json(await service.history(req.assistant!, visitorId));
    } catch (err) {
      next(err);
    }
  });

  api.post(
    '/messages',
    (req, res, next) => (req.is('application/json') ? next() : fail(res, 415, 'Send the message as JSON (Content-Type: application/json).')),
    express.json({ limit: '16kb', strict: true }),
    async (req: WidgetRequest, res, next) => {
      try {
        const message = parseVisitorMessage(req.body);
        const { message: stored, reply, leadCaptured } = await service.post(req.assistant!, message, req.get('origin') ?? null);
        res.status(201).json({ message: stored, reply, leadCaptured });
      } catch (err) {
        next(err);
      }
    },
  );

  api.all('/{*rest}', (_req, _res, next) => next(notFound('widget endpoint')));

  // Errors of the public endpoint: JSON with the CORS headers already set, never internals.
  api.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof DomainError) return fail(res, err.status, err.message, err.fields);
    const e = err as { type?: string; message?: string };
    if (e?.type === 'entity.parse.failed') return fail(res, 400, `The request body is not valid JSON: ${e.message ?? ''}`.trim());
    if (e?.type === 'entity.too.large') return fail(res, 413, 'The message is too large (at most 16 kB).');
    logRequestError(req, err);
    return fail(res, 500, 'Something went wrong on our side; please try again.');
  });

  router.use('/widget/v1/:publicKey', api);
  return router;
}
