// Every error leaves as JSON with a status and a message a person can act on; unexpected ones are logged
// and answered with a generic 500 that carries no internals.
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../domain/errors';

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction) {
  if (err instanceof DomainError) {
    if (err.kind === 'too_many') res.setHeader('Retry-After', '900');
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
  if (e?.type === 'entity.parse.failed') {
    res.status(400).json({ error: `The request body is not valid JSON: ${e.message}` });
    return;
  }
  if (e?.type === 'entity.too.large') {
    res.status(413).json({ error: 'The request body is too large' });
    return;
  }
  console.error(`${req.method} ${req.originalUrl}:`, err);
  res.status(500).json({ error: 'Something went wrong on our side; the change was not saved.' });
}
