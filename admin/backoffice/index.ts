// The AdminJS back office at /admin: every resource generated from the schema, each one a ScopedResource
// over the scoped data layer, signed in through the same Authenticator as the API.
import './bundle-dir';
import AdminJSExpress from '@adminjs/express';
import AdminJS from 'adminjs';
import { Router, type RequestHandler } from 'express';
import type { Authenticator } from '../../domain/auth';
import { resources } from '../../domain/resources';
import type { ScopedData } from '../../domain/scoped-data';
import { SESSION_COOKIE } from '../session';
import { attachActor } from './actors';
import { componentLoader, Components } from './components';
import { TenantAuthProvider } from './auth-provider';
import { labels } from './labels';
import { resourceOptions } from './options';
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

export function backOffice(data: ScopedData, auth: Authenticator, sessionSecret: string, session: RequestHandler) {
  const admin = new AdminJS({
    rootPath: ROOT_PATH,
    loginPath: `${ROOT_PATH}/login`,
    logoutPath: `${ROOT_PATH}/logout`,
    componentLoader,
    branding: { companyName: 'EpesiCRM', withMadeWithLove: false, logo: false },
    locale: { language: 'en', availableLanguages: ['en'], translations: { en: labels() } },
    dashboard: { component: Components.Dashboard },
    pages: {
      Analytics: { component: Components.Analytics, icon: 'BarChart2' },
      'Deal board': { component: Components.DealBoard, icon: 'Columns' },
      'Roles and permissions': { component: Components.RolesMatrix, icon: 'Lock' },
    },
    resources: [...resources.values()].map((r) => ({ resource: new ScopedResource(r, data), options: resourceOptions(r, data) })),
  });

  const router = Router();
  // The app's session (PostgreSQL store) runs first; AdminJS's own session middleware then finds it in place.
  router.use(session, attachActor(data, `${ROOT_PATH}/login`));
  router.use('/api', statusFromAdminErrors);
  return {
    admin,
    router: AdminJSExpress.buildAuthenticatedRouter(
      admin,
      { provider: new TenantAuthProvider(auth, data), cookiePassword: sessionSecret, cookieName: SESSION_COOKIE },
      router,
      { resave: false, saveUninitialized: false, secret: sessionSecret },
    ),
  };
}
