// The analytics HTTP surface, mounted by admin/app.ts with one line:
//   POST /ingest/v1/events                         the ingest API (analytics/ingest.ts): ingest key or session
//   GET  /api/analytics                            the dashboard queries and whether the user may run each
//   GET  /api/analytics/:query[?from&to&interval&workspace&breakdown&...]   JSON {query, rows, summary?, source?}
//   GET  /api/analytics/:query.csv                 the same rows as CSV (needs export_data)
//   POST /api/analytics/ingest-keys                {name, workspace_id?} -> 201 {key, record}: the key is shown once
//   POST /api/analytics/ingest-keys/:id/rotate     a new secret for a key -> {key, record}
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type pg from 'pg';
import { cellText, csvLine, neutralise } from '../domain/csv/format';
import { DomainError, forbidden, notFound } from '../domain/errors';
import type { Actor, ScopedData } from '../domain/scoped-data';
import type { ClickHouseClient } from './clickhouse';
import { acceptEvents, ingestLimits, writerGate, IngestTooLarge, parseBody, type IngestLimits, type IngestSender } from './ingest';
import type { EventHandOff } from './hand-off';
import { createIngestKey, IngestKeyResolver, rotateIngestKey } from './ingest-keys';
import { AnalyticsUnavailable, QUERIES } from './queries';
import type { ResultRow } from './queries/common';
import { limiter, take, type LimitStore } from '../domain/rate-limit';

/**
 * The app's HTTP helpers (admin/http.ts), passed in: this layer imports nothing from admin/. Errors go on to
 * the app's one error mapper (admin/http-errors.ts) as DomainErrors.
 */
export interface RouteHelpers {
  wrap(fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler;
  actorOf(req: Request, data: ScopedData): Promise<Actor>;
}

export interface AnalyticsDeps {
  data: ScopedData;
  http: RouteHelpers;
  pool: pg.Pool;
  clickhouse: ClickHouseClient | null;
  clickhouseHint?: string;
  /** The app's session middleware (only run for requests without an ingest key). */
  session: RequestHandler;
  limits?: Partial<IngestLimits>;
  /** Where the ingest rate counters live, shared by every instance (domain/rate-limit.ts); absent: PostgreSQL. */
  rateLimits?: LimitStore;
  /** The running shipper's hand-off (analytics/hand-off.ts), if it runs in this process. */
  handOff?: EventHandOff;
}

/** A chart's rows as CSV, written like every export (domain/csv/format.ts): numbers as they are. */
export function toCsv(rows: ResultRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (typeof v === 'number' ? String(v) : cellText(v));
  return csvLine(columns.map(neutralise)) + rows.map((r) => csvLine(columns.map((c) => cell(r[c])))).join('');
}

/** The ingest API's own refusals as DomainErrors (its body limit named), for the app's error mapper. */
function ingestErrors(err: unknown, _req: Request, _res: Response, next: NextFunction) {
  const e = err as { type?: string; limit?: number };
  if (err instanceof IngestTooLarge) return next(new DomainError('too_large', err.message));
  if (e?.type === 'entity.too.large') {
    return next(new DomainError('too_large', `The request body is larger than the ingest limit of ${e.limit} bytes: send smaller batches`));
  }
  next(err);
}

export function analyticsRouter(deps: AnalyticsDeps): Router {
  const { data } = deps;
  const { wrap, actorOf } = deps.http;
  const limits = ingestLimits(deps.limits);
  const writers = writerGate(limits);
  const keys = new IngestKeyResolver(deps.pool);
  // A burst's worth of events per the seconds the rate takes to earn it: the rate on average, the burst at once.
  const store: LimitStore = deps.rateLimits ?? { kind: 'postgres', pool: deps.pool };
  const rate = (name: string, perSecond: number, burst: number) => ({ perSecond, burst, limit: limiter(store, name, burst, burst / perSecond) });
  const perKey = rate('ingest-key', limits.keyRatePerSecond, limits.keyBurst);
  const perUser = rate('ingest-user', limits.sessionRatePerSecond, limits.sessionBurst);
  const router = Router();

  // --- ingest ------------------------------------------------------------------------------------------------
  const identify = async (req: Request, res: Response) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      const identity = key ? await keys.resolve(key) : null;
      if (!identity) throw new DomainError('unauthenticated', 'Unknown or revoked ingest key (Authorization: Bearer epk_...)');
      res.locals.sender = { kind: 'key', ...identity } satisfies IngestSender;
      return;
    }
    await new Promise<void>((done, fail) => deps.session(req, res, (err?: unknown) => (err ? fail(err) : done())));
    if (!req.session?.adminUser) throw new DomainError('unauthenticated', 'Send an ingest key (Authorization: Bearer epk_...) or sign in');
    const actor = await actorOf(req, data);
    res.locals.sender = { kind: 'session', tenantId: actor.principal.tenantId, userId: actor.principal.userId, workspaceId: actor.principal.workspaceId } satisfies IngestSender;
  };
  // Who is sending, before the body is read: an unknown key costs no parsing.
  const authenticate: RequestHandler = (req, res, next) => void identify(req, res).then(() => next(), next);
  router.post(
    '/ingest/v1/events',
    authenticate,
    express.json({ limit: limits.maxBodyBytes }),
    wrap(async (req, res) => {
      const sender = res.locals.sender as IngestSender;
      const parsed = parseBody(req.body, sender, limits);
      const bucket = sender.kind === 'key' ? perKey : perUser;
      const admit = async (count: number) => {
        const wait = await take(bucket.limit, sender.kind === 'key' ? String(sender.keyId) : `${sender.tenantId}:${sender.userId}`, count);
        if (wait > 0) {
          const message = `Rate limit: at most ${bucket.perSecond} events per second (bursts of ${bucket.burst}); nothing was accepted, retry in ${wait} s`;
          throw new DomainError('too_many', message, {}, wait);
        }
      };
      res.json({ accepted: await acceptEvents(data, sender, parsed, req, admit, deps.handOff, writers) });
    }),
    ingestErrors,
  );

  // --- dashboards JSON API -------------------------------------------------------------------------------------
  const api = Router();
  api.get(
    '/',
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      res.json({
        queries: Object.entries(QUERIES).map(([name, q]) => ({
          name,
          permission: q.gate === 'analytics' ? 'view_analytics' : 'view_reports',
          allowed: actor.ability.can('read', q.gate),
          csv: actor.ability.can('read', q.gate) && actor.ability.can('export', q.gate),
        })),
        clickhouse: deps.clickhouse !== null,
      });
    }),
  );
  api.post(
    '/ingest-keys',
    wrap(async (req, res) => res.status(201).json(await createIngestKey(data, await actorOf(req, data), (req.body ?? {}) as Record<string, unknown>))),
  );
  api.post('/ingest-keys/:id/rotate', wrap(async (req, res) => res.json(await rotateIngestKey(data, await actorOf(req, data), req.params.id))));
  api.get(
    '/:query',
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const raw = String(req.params.query);
      const csv = raw.endsWith('.csv');
      const name = csv ? raw.slice(0, -4) : raw;
      // Own names only: QUERIES['constructor'] or ['__proto__'] is the object's prototype machinery, not a query
      // (it answered 500: def.run is not a function).
      const def = Object.hasOwn(QUERIES, name) ? QUERIES[name] : undefined;
      if (!def) throw notFound('analytics query', name);
      if (csv && !actor.ability.can('export', def.gate)) throw forbidden(`You may not export ${name}: it needs the export_data permission`);
      const result = await def.run({ data, actor, clickhouse: deps.clickhouse, clickhouseHint: deps.clickhouseHint }, req.query as Record<string, unknown>);
      if (csv) {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
        res.send(toCsv(result.rows));
        return;
      }
      res.json({ query: name, ...result });
    }),
  );
  // Anything else under /api/analytics (a POST to a query, a DELETE of a key) is a JSON 404 that says what
  // exists, not Express's HTML "Cannot POST" page.
  api.use((req: Request, _res: Response, next: NextFunction) =>
    next(notFound(`analytics endpoint ${req.method} ${req.baseUrl}${req.path} (queries: GET /api/analytics/:query[.csv]; keys: POST /api/analytics/ingest-keys[/:id/rotate])`)),
  );
  api.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    // ClickHouse absent, or unreachable (a connection error, not a query error): 503, retry later.
    const down = err instanceof AnalyticsUnavailable || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up/.test(String((err as Error)?.message));
    if (!down) return next(err);
    const message = err instanceof AnalyticsUnavailable ? err.message : 'Event analytics are unavailable: ClickHouse does not answer. Try again shortly.';
    next(new DomainError('unavailable', message, {}, 30));
  });
  router.use('/api/analytics', deps.session, express.json({ limit: '100kb' }), api);
  return router;
}
