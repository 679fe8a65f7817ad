// The HTTP application: everything a browser or API client reaches. Services are passed in, never created
// here, so tests run the same app against their own databases.
import express from 'express';
import { Authenticator } from '../domain/auth';
import type { Database } from '../domain/db';
import { BODY_LIMIT_BYTES } from '../domain/limits';
import { ScopedData } from '../domain/scoped-data';
import { providerFromEnv } from '../domain/assistants';
import { agentRoutes } from './agent-routes';
import { apiRoutes } from './api';
import { assistantRoutes } from './assistant-routes';
import { backOffice, ROOT_PATH } from './backoffice';
import { authRoutes } from './auth-routes';
import { crmRoutes } from './crm-routes';
import { healthHandler } from './health';
import { errorHandler } from './http-errors';
import { sameOriginWrites } from './csrf';
import { securityHeaders } from './security-headers';
import { SESSION_COOKIE, sessionMiddleware } from './session';
import { widgetRoutes } from './widget-routes';
import type { ClickHouseClient } from '../analytics/clickhouse';
import { emitLeadConverted } from '../analytics/outbox';
import type { EventHandOff } from '../analytics/hand-off';
import { analyticsRouter } from '../analytics/routes';

export interface AppDeps {
  database: Database;
  clickhouse: ClickHouseClient | null;
  /** Why ClickHouse is absent, e.g. how to install it. */
  clickhouseHint?: string;
  sessionSecret: string;
  /** The running shipper's hand-off: accepted ingest batches go to it in memory as well (analytics/hand-off.ts). */
  handOff?: EventHandOff;
}

export function createApp(deps: AppDeps) {
  const data = new ScopedData(deps.database);
  const auth = new Authenticator(deps.database.pool, data);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended'); // filters[field]=value
  if (process.env.NODE_ENV === 'production') app.set('trust proxy', 1);
  app.use(securityHeaders());
  app.get('/health', healthHandler({ pool: deps.database.pool, clickhouse: deps.clickhouse, clickhouseHint: deps.clickhouseHint }));
  // The assistants' public website widget: no session; its own CORS, rate limits and validation.
  app.use(widgetRoutes(deps.database.pool, data, { provider: providerFromEnv() }));
  const session = sessionMiddleware(deps.database.pool, deps.sessionSecret);
  // Every write riding on the session cookie, and every sign-in, from this app's own origin only (admin/csrf.ts).
  app.use(sameOriginWrites(SESSION_COOKIE, ['/auth/login', `${ROOT_PATH}/login`], [`${ROOT_PATH}/logout`]));
  // Ingest API (its own body limit, key or session) and the dashboards' JSON API: before the generic /api.
  app.use(analyticsRouter({ data, pool: deps.database.pool, clickhouse: deps.clickhouse, clickhouseHint: deps.clickhouseHint, session, handOff: deps.handOff }));
  // AdminJS parses its own bodies (formidable) and refuses requests another parser has read.
  const body = [express.json({ limit: BODY_LIMIT_BYTES }), express.urlencoded({ extended: true, limit: BODY_LIMIT_BYTES })];
  app.use('/auth', session, ...body, authRoutes(auth, data));
  app.use('/api/crm', session, ...body, crmRoutes(data, { onLeadConverted: emitLeadConverted }));
  app.use('/api/agent', session, ...body, agentRoutes(data));
  app.use('/api/assistants', session, ...body, assistantRoutes(data));
  app.use('/api', session, ...body, apiRoutes(data));
  const back = backOffice(data, auth, deps.sessionSecret, session);
  app.use(ROOT_PATH, back.router);
  app.get('/', (_req, res) => res.redirect(ROOT_PATH));
  app.use(errorHandler);
  return { app, data, auth, admin: back.admin };
}
