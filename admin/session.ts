// Sessions live in PostgreSQL (the `sessions` table of the schema); the cookie is httpOnly, SameSite=Lax,
// and Secure in production.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import connectPg from 'connect-pg-simple';
import session from 'express-session';
import type pg from 'pg';
import type { SessionUser } from '../domain/auth';

declare module 'express-session' {
  interface SessionData {
    /** The signed-in user; the key AdminJS reads as currentAdmin, so one sign-in serves the API and the back office. */
    adminUser?: SessionUser & { email: string; title: string };
  }
}

export const SESSION_COOKIE = 'epesi.sid';

/** SESSION_SECRET, or in development a random one kept in the data folder so sessions survive restarts. */
export function sessionSecret(file: string): string {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  if (process.env.NODE_ENV === 'production') throw new Error('SESSION_SECRET must be set in production');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

export function sessionMiddleware(pool: pg.Pool, secret: string) {
  const Store = connectPg(session);
  return session({
    name: SESSION_COOKIE,
    secret,
    store: new Store({ pool, tableName: 'sessions', createTableIfMissing: false }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: process.env.NODE_ENV === 'production',
      maxAge: 8 * 60 * 60_000,
    },
  });
}
