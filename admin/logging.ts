// Logs: one JSON line per event on stdout (pino), for a log collector rather than a person.
// Per request: reqId, method, path, status, durationMs, and tenantId/userId when a session or ingest key named
// them. Nothing else of the request is written, by construction rather than by redaction: no headers (cookies,
// Authorization), no body (passwords), no query string (filters and search terms, keys people paste into URLs).
// The request id comes back in the X-Request-Id header and in every 5xx JSON body, so a user's report of an
// error finds its log line.
//
// A small middleware rather than pino-http: pino-http logs the whole request and response (headers included)
// unless every serializer is replaced, and what is left is these thirty lines.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pino, type Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id (X-Request-Id). */
    id?: string;
    /** The app's logger with this request's id. */
    log?: Logger;
  }
}

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, destination);
}

/** A logger that writes nothing: the default of apps that tests create. */
export const silentLogger = (): Logger => pino({ level: 'silent' });

// An id a proxy in front already gave the request is kept (one id across both logs), if it looks like one.
const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const MAX_PATH = 2048;
/** Probed every few seconds by the proxy and the orchestrator: their successes are debug lines, not noise. */
const PROBES = new Set(['/livez', '/readyz', '/health']);

/** Where a request's tenant and user are known: the session (browser, API), or the ingest key. */
function who(req: Request, res: Response): { tenantId?: number; userId?: number } {
  const user = (req as { session?: { adminUser?: { tenantId: number; userId: number } } }).session?.adminUser;
  if (user) return { tenantId: user.tenantId, userId: user.userId };
  const sender = res.locals.sender as { tenantId?: number; userId?: number } | undefined;
  return sender ? { tenantId: sender.tenantId, userId: sender.userId } : {};
}

export function requestLogging(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    req.log = logger.child({ reqId: id });
    res.setHeader('X-Request-Id', id);
    // Every 5xx JSON body carries the id, whichever handler wrote it.
    const json = res.json.bind(res);
    res.json = (body?: unknown) => json(res.statusCode >= 500 && body && typeof body === 'object' && !Array.isArray(body) ? { ...body, requestId: id } : body);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const status = res.writableFinished ? res.statusCode : 499; // 499: the client left before the answer
      const line = {
        method: req.method,
        path: req.originalUrl.split('?')[0]!.slice(0, MAX_PATH),
        status,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        ...who(req, res),
      };
      req.log![PROBES.has(line.path) && status < 400 ? 'debug' : 'info'](line, 'request');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}

/**
 * An error as a log field: name, message, code and stack, nothing else. Drizzle's query errors put the query's
 * parameters (which may be password hashes or keys) in their message and stack: those give their query and cause.
 */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: string; query?: string; params?: unknown };
  if (typeof e.query === 'string' && 'params' in e) {
    return { type: e.name, message: `Failed query: ${e.query}`, cause: e.cause === undefined ? undefined : errorFields(e.cause), stack: e.stack?.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') };
  }
  return { type: e.name, message: e.message, code: e.code, stack: e.stack };
}

/** Logs an unexpected error of a request with its id, under `error` (pino's `err` serializer would copy every property) (falling back to stderr outside the app's middleware). */
export function logRequestError(req: Request, err: unknown, what = 'request failed'): void {
  if (req.log) req.log.error({ error: errorFields(err), method: req.method, path: req.originalUrl.split('?')[0] }, what);
  else console.error(`${req.method} ${req.originalUrl.split('?')[0]}: ${what}:`, err);
}
