// The one HTTP error mapper: every error of every router (the analytics routes' included) leaves here as
// JSON with a status and a message a person can act on; unexpected ones are logged and answered with a
// generic 500 that carries no internals.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../domain/errors';
import { answeredDatabaseUnavailable } from './database-unavailable';
import { logRequestError } from './logging';

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction) {
  if (err instanceof DomainError) {
    // (A sign-in refused for too many attempts names no wait: its limiter's window, 15 minutes.)
    const retryAfter = err.retryAfter ?? (err.kind === 'too_many' ? 900 : undefined);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(err.status).json({ error: err.message, fields: err.fields });
    return;
  }
  const e = err as { type?: string; status?: number; message?: string; name?: string };
  // AdminJS's own checks (an action the ability does not allow on a record) throw these.
  if (e?.name === 'ForbiddenError' || e?.name === 'NotFoundError') {
    const status = e.name === 'ForbiddenError' ? 403 : 404;
    res.status(status).json({ error: status === 403 ? 'You may not do this.' : 'Not found.', record: { params: {} }, records: [] });
    return;
  }
  // AdminJS's ValidationError outside a form (a record or bulk action whose id is not a valid id): a 400 with
  // the domain's message, not a 500.
  if (e?.name === 'ValidationError') {
    const v = err as { baseError?: { message?: string } | null; propertyErrors?: Record<string, { message?: string }> };
    const fields = Object.fromEntries(Object.entries(v.propertyErrors ?? {}).map(([k, x]) => [k, String(x?.message ?? 'is invalid')]));
    res.status(400).json({ error: v.baseError?.message ?? 'The request is not valid.', fields, record: { params: {} }, records: [] });
    return;
  }
  // The router could not decode a %-escape of the path (/api/contacts/%ff): the address is wrong, not the server.
  if (err instanceof URIError) {
    res.status(400).json({ error: 'The address is not valid: it holds a %-escape that is not UTF-8 text (such as %ff).' });
    return;
  }
  if (e?.type === 'entity.parse.failed') {
    res.status(400).json({ error: `The request body is not valid JSON: ${e.message}` });
    return;
  }
  if (e?.type === 'entity.too.large') {
    res.status(413).json({ error: 'The request body is too large' });
    return;
  }
  if (answeredDatabaseUnavailable(err, req, res)) return;
  logRequestError(req, err);
  // (admin/logging.ts adds the requestId to the body: a user's report finds the log line)
  res.status(500).json({ error: 'Something went wrong on our side; the change was not saved.' });
}

/**
 * Requests Node refuses before Express sees them (headers over 16 kB, a malformed request line) would get
 * an empty answer or none: give them a status and a message like every other refusal.
 */
export function answerMalformedRequests(server: Server): Server {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || !err.code?.startsWith('HPE_')) return socket.destroy();
    const [status, error] = err.code === 'HPE_HEADER_OVERFLOW'
      ? ['431 Request Header Fields Too Large', 'The request headers are too large (at most 16 kB): send long lists in the body or in fewer parameters.']
      : ['400 Bad Request', 'The request is not valid HTTP.'];
    const body = JSON.stringify({ error });
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}
