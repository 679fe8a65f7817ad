// The AdminJS back office at /admin: every resource generated from the schema, each one a ScopedResource
// over the scoped data layer, signed in through the same Authenticator as the API.
import './bundle-dir';
import AdminJSExpress from '@adminjs/express';
import AdminJS from 'adminjs';
import compression from 'compression';
import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Authenticator } from '../../domain/auth';
import { resources } from '../../domain/resources';
import { DomainError, invalid, notFound } from '../../domain/errors';
import { homeOf } from '../../domain/home';
import { FAVICON_PATH } from './favicon';
import { BODY_LIMIT_BYTES } from '../../domain/limits';
import type { ScopedData } from '../../domain/scoped-data';
import { SESSION_COOKIE, type SessionHandler } from '../session';
import { loginToken } from '../csrf';
import { actorOfAdmin, attachActor } from './actors';
import { loginRoutes } from './login-route';
import { safePages } from './page-html';
import { assetHandler, assetsReady, ASSETS_PATH } from './frontend-assets';
import { componentLoader, Components } from './components';
import { TenantAuthProvider } from './auth-provider';
import { labels } from './labels';
import { resourceOptions } from './options';
import { assertSpecs } from './resources/check';
import { ScopedResource } from './resource';

export const ROOT_PATH = '/admin';

/**
 * AdminJS answers its API with 200 and the error inside the body. Its own UI reads it there; an API client
 * (or a user who guessed a URL) gets the status too: 403 for a forbidden action, 404 for a missing record,
 * 400 for a bad list query. Form validation stays 200, where AdminJS shows the messages on the fields.
 */
const statusFromAdminErrors: RequestHandler = (req, res, next) => {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    const error = (body as { record?: { baseError?: { type?: string } | null } } | undefined)?.record?.baseError;
    if (error && res.statusCode === 200) {
      if (error.type === 'ForbiddenError') res.status(403);
      else if (error.type === 'NotFoundError') res.status(404);
      else if (req.method === 'GET') res.status(400);
    }
    return send(body);
  };
  next();
};

const KINDS = {
  actions: ['resource', 'isResourceType'],
  records: ['record', 'isRecordType'],
  bulk: ['bulk', 'isBulkType'],
} as const;

/**
 * AdminJS throws a TypeError (a 500) for an action a resource does not have, or one of another kind (a record
 * action under /actions/), and for `recordIds` that is not one text (`recordIds[]=1`): a 404 and a 400 first.
 */
const knownActions =
  (admin: AdminJS): RequestHandler =>
  (req, _res, next) => {
    // /resources/:resource/actions/:action[/:query], /resources/:resource/records/:id/:action, /resources/:resource/bulk/:action
    const [root, resourceId, kind, ...rest] = req.path.split('/').slice(1).map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part; // (malformed %-escapes name no resource or action: a 404 below)
      }
    });
    const actionName = kind === 'records' ? rest[1] : rest[0];
    if (root !== 'resources' || !Object.hasOwn(KINDS, kind ?? '') || actionName === undefined) return next();
    const resource = admin.resources.find((r) => r.id() === resourceId);
    if (!resource) return next(notFound('resource', resourceId));
    // (Own keys only: `__proto__` and `constructor` name Object's members, and calling them threw a 500.)
    const actions = resource.decorate().actions;
    const action = Object.hasOwn(actions, actionName) ? actions[actionName] : undefined;
    const [label, is] = KINDS[kind as keyof typeof KINDS];
    if (!action?.[is]()) return next(notFound(`${label} action of ${resourceId}`, actionName));
    const { recordIds } = req.query;
    if (recordIds !== undefined && typeof recordIds !== 'string') return next(invalid('recordIds must be one comma-separated list of ids'));
    next();
  };

/** Set just before AdminJS's body parser (express-formidable) runs: an error with it set and no body parsed is the parser's. */
const READING = Symbol('reading the body');
const markReading: RequestHandler = (req, _res, next) => {
  (req as unknown as Record<symbol, boolean>)[READING] = true;
  next();
};
/** A body that is not what it says (broken JSON or multipart, an unknown content type): formidable's error, a 400. */
const unreadableBody: ErrorRequestHandler = (err, req, _res, next) => {
  const r = req as unknown as Record<symbol, boolean> & { express_formidable?: { parsed?: boolean } };
  if (!r[READING] || r.express_formidable?.parsed) return next(err);
  if (/^max\w+ exceeded/.test(String((err as Error)?.message))) {
    return next(new DomainError('too_large', `The request body is too large (at most ${BODY_LIMIT_BYTES / 1024 / 1024} MB)`));
  }
  next(invalid(`The request body could not be read: ${(err as Error)?.message ?? 'malformed'}`));
};

export function backOffice(data: ScopedData, auth: Authenticator, sessionSecret: string, session: SessionHandler) {
  assertSpecs(); // before the first request: a spec naming no field, or a table without one, stops the start
  const admin = new AdminJS({
    rootPath: ROOT_PATH,
    loginPath: `${ROOT_PATH}/login`,
    logoutPath: `${ROOT_PATH}/logout`,
    componentLoader,
    branding: { companyName: 'EpesiCRM', withMadeWithLove: false, logo: false, favicon: FAVICON_PATH },
    locale: { language: 'en', availableLanguages: ['en'], translations: { en: labels() } },
    // The home's figures, each counted through the scoped layer as the list it links to (domain/home.ts).
    dashboard: { component: Components.Dashboard, handler: async (_req, _res, ctx) => homeOf(data, actorOfAdmin(ctx.currentAdmin)) },
    pages: {
      Analytics: { component: Components.Analytics, icon: 'BarChart2' },
      'Deal board': { component: Components.DealBoard, icon: 'Columns' },
      'Roles and permissions': { component: Components.RolesMatrix, icon: 'Lock' },
    },
    resources: [...resources.values()].map((r) => ({ resource: new ScopedResource(r, data), options: resourceOptions(r, data) })),
  });

  const router = Router();
  // The scripts, hashed and precompressed (frontend-assets.ts), before the session: a file for everyone.
  router.use(ASSETS_PATH, assetsReady, assetHandler());
  router.use(assetsReady);
  // Pages and AdminJS's JSON compressed as they are sent (the `compression` package: brotli or gzip, as the
  // browser accepts). Not the sign-in page: it carries the form token, and a compressed secret beside text an
  // attacker can put in the same answer leaks through its length (BREACH); it is small anyway.
  router.use(compression({ filter: (req, res) => !req.originalUrl.startsWith(`${ROOT_PATH}/login`) && compression.filter(req, res) }));
  // The app's session (PostgreSQL store) runs first; AdminJS's own session middleware then finds it in place.
  router.use(session, attachActor(data, `${ROOT_PATH}/login`));
  // Our sign-in ahead of AdminJS's: a new session id, and a form token.
  router.use(loginRoutes(admin, auth, data, loginToken(sessionSecret)));
  router.use(safePages);
  router.use('/api', statusFromAdminErrors, knownActions(admin));
  router.use(markReading);
  AdminJSExpress.buildAuthenticatedRouter(
    admin,
    { provider: new TenantAuthProvider(auth, data), cookiePassword: sessionSecret, cookieName: SESSION_COOKIE },
    router,
    // (Its session middleware finds the app's session in place and does nothing; given the app's store, it
    // creates no MemoryStore, whose warning a production start printed.)
    { resave: false, saveUninitialized: false, secret: sessionSecret, store: session.store },
    // The JSON API's body limit (formidable's own is 20 MB of fields): one limit, whichever way a record is sent.
    { maxFieldsSize: BODY_LIMIT_BYTES, maxFileSize: BODY_LIMIT_BYTES },
  );
  router.use(unreadableBody);
  return { admin, router };
}
