// While PostgreSQL is down or restarting, every request fails the same way, through no fault of its own: a 503
// with Retry-After and a message, not a 500; and one log line per 10 s with a count, not a stack trace each.
import type { Request, Response } from 'express';
import { DATABASE_RETRY_AFTER_S, isDatabaseUnavailable } from '../domain/db-errors';

let since = 0;
let count = 0;

function logUnavailable(req: Request, err: unknown): void {
  const now = Date.now();
  count++;
  if (since && now - since < 10_000) return;
  const e = err as { cause?: { message?: string }; message?: string };
  const cause = String(e?.cause?.message ?? e?.message ?? err).split('\n')[0];
  const line = `postgres unavailable: ${count} request(s) answered 503 in ${since ? Math.round((now - since) / 1000) : 0} s (${cause})`;
  // (a JSON line under the request's id where the app's logging runs; stderr otherwise)
  if (req.log) req.log.warn({ unavailable: count }, line);
  else console.error(line);
  since = now;
  count = 0;
}

/** Answers 503 if `err` says the database cannot be reached; false (nothing sent) otherwise. */
export function answeredDatabaseUnavailable(err: unknown, req: Request, res: Response): boolean {
  if (!isDatabaseUnavailable(err)) return false;
  logUnavailable(req, err);
  res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_S));
  res.status(503).json({ error: 'The database cannot be reached right now (it is restarting or down); nothing was saved. Try again in a few seconds.' });
  return true;
}
