// Sessions live in PostgreSQL (the `sessions` table of the schema); the cookie is httpOnly, SameSite=Lax,
// and Secure when the request came over HTTPS.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import connectPg from 'connect-pg-simple';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type pg from 'pg';
import { withRequestSession } from '../domain/request-session';
import type { SessionUser } from '../domain/auth';

declare module 'express-session' {
  interface SessionData {
    /** The signed-in user; the key AdminJS reads as currentAdmin, so one sign-in serves the API and the back office. */
    adminUser?: SessionUser & { email: string; title: string };
  }
}

export const SESSION_COOKIE = 'epesi.sid';

/**
 * The configured SESSION_SECRET (required in production: domain/config.ts refuses to start without it), or in
 * development a random one kept in the data folder so sessions survive restarts.
 */
export function sessionSecret(configured: string | undefined, file: string): string {
  if (configured) return configured;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The session middleware, and a store for AdminJS's own session middleware (which finds the app's session in
 * place and does nothing; without a store it made a MemoryStore, whose warning a production start printed).
 * A second store on the same table, not the app's: express-session writes its cookie options into the store
 * it is given (store.generate), so sharing one let AdminJS's defaults replace ours, and a sign-in behind the
 * TLS proxy got a cookie without Secure.
 */
export type SessionHandler = RequestHandler & { store: session.Store };

export function sessionMiddleware(pool: pg.Pool, secret: string): SessionHandler {
  const Store = connectPg(session);
  const store = rememberSessions(throttleTouch(new Store({ pool, tableName: 'sessions', createTableIfMissing: false })));
  const middleware = session({
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // Secure whenever the request came over HTTPS, directly or through a trusted proxy (TRUST_PROXY,
      // X-Forwarded-Proto): sign-in works behind a TLS proxy, and over plain HTTP in development.
      secure: 'auto',
      maxAge: 8 * 60 * 60_000,
    },
  });
  // The rest of a signed-in request runs as part of its session (domain/request-session.ts).
  const handler: RequestHandler = (req, res, next) =>
    middleware(req, res, (err?: unknown) => (err || !req.session?.adminUser ? next(err) : withRequestSession(req.sessionID, () => next())));
  const forAdminJs = new Store({ pool, tableName: 'sessions', createTableIfMissing: false, pruneSessionInterval: false });
  return Object.assign(handler, { store: forAdminJs });
}

/** How many sessions an instance remembers (the least recently used are forgotten first). */
const REMEMBERED = 10_000;

/**
 * The store remembers the sessions this instance has read or written, so that a signed-in request reads none:
 * reading its session was one of the two statements a back-office request sent besides its data. What still
 * ends a session everywhere at once (a sign-out on another instance, a password change) is asked in the
 * statement that sets the request's tenant (epesi_session_stands, domain/request-session.ts), and a session
 * found ended there is destroyed here too (admin/http.ts, admin/backoffice/actors.ts). Kept as JSON: each
 * request gets its own copy to change.
 */
function rememberSessions<S extends session.Store>(store: S): S {
  const kept = new Map<string, string>();
  const keep = (sid: string, sess: session.SessionData) => {
    kept.delete(sid);
    kept.set(sid, JSON.stringify(sess));
    if (kept.size > REMEMBERED) kept.delete(kept.keys().next().value!);
  };
  const { get, set, destroy, touch } = { get: store.get.bind(store), set: store.set.bind(store), destroy: store.destroy.bind(store), touch: store.touch?.bind(store) };
  store.get = (sid, done) => {
    const json = kept.get(sid);
    const sess = json ? (JSON.parse(json) as session.SessionData) : null;
    if (sess && new Date(sess.cookie.expires ?? 0).getTime() > Date.now()) {
      keep(sid, sess);
      return done(null, sess);
    }
    kept.delete(sid);
    get(sid, (err, found) => {
      if (!err && found) keep(sid, found);
      done(err, found);
    });
  };
  store.set = (sid, sess, done) => {
    kept.delete(sid);
    set(sid, sess, (err) => {
      if (!err) keep(sid, sess);
      done?.(err);
    });
  };
  store.destroy = (sid, done) => {
    kept.delete(sid);
    destroy(sid, done);
  };
  if (touch) {
    store.touch = (sid, sess, done) => {
      if (kept.has(sid)) keep(sid, sess); // (its cookie's new expiry)
      touch(sid, sess, done);
    };
  }
  return store;
}

/** How long a session's stored expiry may lag behind its cookie's (whose 8 hours roll with every response). */
const TOUCH_EVERY_MS = 60_000;

/**
 * The store writes a session's rolling expiry at most once a minute, not on every response: an UPDATE per
 * request was a third of a back-office page's statements, to move an 8-hour expiry by a few seconds.
 */
function throttleTouch<S extends session.Store>(store: S): S {
  const touched = new Map<string, number>();
  const touch = store.touch?.bind(store);
  if (!touch) return store;
  store.touch = (sid, sess, done) => {
    const now = Date.now();
    if (now - (touched.get(sid) ?? 0) < TOUCH_EVERY_MS) return done?.();
    if (touched.size >= 10_000) touched.clear(); // (bounded: forgetting only costs an early UPDATE)
    touched.set(sid, now);
    touch(sid, sess, done);
  };
  const destroy = store.destroy.bind(store);
  store.destroy = (sid, done) => {
    touched.delete(sid);
    destroy(sid, done);
  };
  return store;
}
