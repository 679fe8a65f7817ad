// The HTTP application: everything a browser or API client reaches. Services are passed in, never created
// here, so tests run the same app against their own databases.
import express from 'express';
import { Authenticator } from '../domain/auth';
import type { Database } from '../domain/db';
import type { LimitStore } from '../domain/rate-limit';
import { BODY_LIMIT_BYTES } from '../domain/limits';
import { ScopedData } from '../domain/scoped-data';
import { providerFromConfig } from '../domain/assistants';
import { loadConfig, type Config } from '../domain/config';
import { agentRoutes } from './agent-routes';
import { apiRoutes } from './api';
import { assistantRoutes } from './assistant-routes';
import { backOffice, ROOT_PATH } from './backoffice';
import { favicon, FAVICON_PATH } from './backoffice/favicon';
import { authRoutes } from './auth-routes';
import { crmRoutes } from './crm-routes';
import { healthHandler, livenessHandler, readinessHandler } from './health';
import { httpHelpers } from './http';
import { errorHandler } from './http-errors';
import { requestLogging, silentLogger, type Logger } from './logging';
import { sameOriginWrites } from './csrf';
import { securityHeaders } from './security-headers';
import { SESSION_COOKIE, sessionMiddleware } from './session';
import { widgetRoutes } from './widget-routes';
import type { ClickHouseClient } from '../analytics/clickhouse';
import { emitLeadConverted, emitLogin } from '../analytics/outbox';
import type { EventHandOff } from '../analytics/hand-off';
import { analyticsRouter } from '../analytics/routes';

export interface AppDeps {
  database: Database;
  clickhouse: ClickHouseClient | null;
  /** Why ClickHouse is absent, e.g. how to install it. */
  clickhouseHint?: string;
  sessionSecret: string;
  /** The configuration read at start; absent: read from the environment now (tests set variables before). */
  config?: Config;
  /** Where request and error lines go (JSON); absent: nowhere. */
  logger?: Logger;
  /** The running shipper's hand-off: accepted ingest batches go to it in memory as well (analytics/hand-off.ts). */
  handOff?: EventHandOff;
  /** Where the limits' counters live (sign-in, widget, ingest; domain/rate-limit.ts); absent: PostgreSQL. */
  limits?: LimitStore;
}

export function createApp(deps: AppDeps) {
  const data = new ScopedData(deps.database);
  const limits: LimitStore = deps.limits ?? { kind: 'postgres', pool: deps.database.pool };
  const auth = new Authenticator(deps.database.pool, data, { onLogin: emitLogin, limits });
  const config = deps.config ?? loadConfig();
  const logger = deps.logger ?? silentLogger();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended'); // filters[field]=value
  // Whose X-Forwarded-For/-Proto to believe (req.ip, req.secure and so the session cookie's Secure flag).
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogging(logger));
  app.use(securityHeaders());
  const services = { pool: deps.database.pool, clickhouse: deps.clickhouse, clickhouseHint: deps.clickhouseHint };
  app.get('/health', healthHandler(services));
  app.get('/livez', livenessHandler);
  app.get('/readyz', readinessHandler(services));
  app.get([FAVICON_PATH, '/favicon.ico'], favicon);
  // The assistants' public website widget: no session; its own CORS, rate limits and validation.
  app.use(widgetRoutes(deps.database.pool, data, { provider: providerFromConfig(config.openai, (m) => logger.warn(m)), perKeyLimit: config.widgetRateLimit, limits }));
  const session = sessionMiddleware(deps.database.pool, deps.sessionSecret);
  // Every write riding on the session cookie, and every sign-in, from this app's own origin only (admin/csrf.ts).
  app.use(sameOriginWrites(SESSION_COOKIE, ['/auth/login', `${ROOT_PATH}/login`], [`${ROOT_PATH}/logout`]));
  // Ingest API (its own body limit, key or session) and the dashboards' JSON API: before the generic /api.
  app.use(analyticsRouter({ data, http: httpHelpers, pool: deps.database.pool, clickhouse: deps.clickhouse, clickhouseHint: deps.clickhouseHint, session, handOff: deps.handOff, limits: config.ingest, rateLimits: limits }));
  // AdminJS parses its own bodies (formidable) and refuses requests another parser has read.
  const body = [express.json({ limit: BODY_LIMIT_BYTES }), express.urlencoded({ extended: true, limit: BODY_LIMIT_BYTES })];
  app.use('/auth', session, ...body, authRoutes(auth, data));
  app.use('/api/crm', session, ...body, crmRoutes(data, { onLeadConverted: emitLeadConverted }));
  app.use('/api/agent', session, ...body, agentRoutes(data));
  app.use('/api/assistants', session, ...body, assistantRoutes(data, config.publicUrl));
  app.use('/api', session, ...body, apiRoutes(data));
  const back = backOffice(data, auth, deps.sessionSecret, session);
  app.use(ROOT_PATH, back.router);
  app.get('/', (_req, res) => res.redirect(ROOT_PATH));
  app.use(errorHandler);
  return { app, data, auth, admin: back.admin };
}
