// The CRM's business actions over HTTP (domain/crm/), mounted at /api/crm before the generic /api router:
//   POST /api/crm/leads/:id/convert      { createDeal?: { title?, value? } }   -> 201 { lead, contact, company, companyCreated, deal }
//   POST /api/crm/leads/:id/assign       { userId }                             -> the lead
//   GET  /api/crm/pipelines/:id/board?perColumn=                                -> { pipeline, columns: [{ stage, deals, total }] }
//   POST /api/crm/deals/:id/move         { stageId }                            -> the deal
//   POST /api/crm/activities/:id/complete                                       -> the activity
//   GET  /api/crm/products/:id/price?at=ISO-date-time                           -> { price, listPrice, currency, offer }
//   GET  /api/crm/leads/:id/assignees                                           -> { users: [{ id, name, level }] }
//   GET  /api/crm/duplicates?resource=contacts|leads&email=&excludeId=          -> { email, contacts, leads, hidden }
import { Router, type Request } from 'express';
import {
  assignableUsers, assignLead, boardFor, completeActivity, convertLead, duplicatesOf, effectivePrice, moveDeal, type ConvertLeadOptions, type DuplicateResource,
} from '../domain/crm';
import { invalid } from '../domain/errors';
import type { ScopedData } from '../domain/scoped-data';
import { actorOf, onlyQuery, wrap } from './http';

/** The JSON body as an object; no body at all is an empty one. */
function body(req: Request): Record<string, unknown> {
  const value: unknown = req.body ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('The request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A single query-string value (not a list or an object), or undefined. */
function param(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(`${name} must be given once, as text`, { [name]: 'must be text' });
  return v;
}

export interface CrmRouteOptions {
  /** Called inside each conversion's transaction (e.g. to emit the 'lead.converted' analytics event). */
  onLeadConverted?: ConvertLeadOptions['onConverted'];
}

export function crmRoutes(data: ScopedData, options: CrmRouteOptions = {}) {
  const router = Router();

  router.post(
    '/leads/:id/convert',
    onlyQuery(),
    wrap(async (req, res) => {
      const { createDeal } = body(req);
      if (createDeal !== undefined && createDeal !== null && (typeof createDeal !== 'object' || Array.isArray(createDeal))) {
        throw invalid('createDeal must be an object { title?, value? }', { createDeal: 'must be an object' });
      }
      const deal = createDeal as { title?: unknown; value?: unknown } | null | undefined;
      if (deal && deal.title !== undefined && deal.title !== null && typeof deal.title !== 'string') throw invalid('createDeal.title must be text', { title: 'must be text' });
      if (deal && deal.value !== undefined && deal.value !== null && typeof deal.value !== 'string' && typeof deal.value !== 'number') {
        throw invalid('createDeal.value must be an amount', { value: 'must be an amount' });
      }
      const conversion = await convertLead(data, await actorOf(req, data), req.params.id, {
        createDeal: deal ? { title: deal.title as string | undefined, value: deal.value as string | number | null | undefined } : undefined,
        onConverted: options.onLeadConverted,
      });
      res.status(201).json(conversion);
    }),
  );

  router.post(
    '/leads/:id/assign',
    onlyQuery(),
    wrap(async (req, res) => {
      const { userId } = body(req);
      if (userId === undefined || userId === null) throw invalid('userId is required', { userId: 'is required' });
      res.json(await assignLead(data, await actorOf(req, data), req.params.id, userId));
    }),
  );

  router.get(
    '/leads/:id/assignees',
    onlyQuery(),
    wrap(async (req, res) => res.json({ users: await assignableUsers(data, await actorOf(req, data), req.params.id) })),
  );

  router.get(
    '/pipelines/:id/board',
    onlyQuery('perColumn'),
    wrap(async (req, res) => {
      const raw = param(req, 'perColumn');
      const perColumn = raw === undefined ? undefined : /^\d+$/.test(raw) ? Number(raw) : NaN;
      res.json(await boardFor(data, await actorOf(req, data), req.params.id, { perColumn }));
    }),
  );

  router.post(
    '/deals/:id/move',
    onlyQuery(),
    wrap(async (req, res) => {
      const { stageId } = body(req);
      if (stageId === undefined || stageId === null) throw invalid('stageId is required', { stageId: 'is required' });
      res.json(await moveDeal(data, await actorOf(req, data), req.params.id, stageId));
    }),
  );

  router.post(
    '/activities/:id/complete',
    onlyQuery(),
    wrap(async (req, res) => res.json(await completeActivity(data, await actorOf(req, data), req.params.id))),
  );

  router.get(
    '/products/:id/price',
    onlyQuery('at'),
    wrap(async (req, res) => {
      const raw = param(req, 'at');
      const at = raw === undefined ? new Date() : new Date(raw);
      if (Number.isNaN(at.getTime())) throw invalid('at must be a date and time (ISO 8601)', { at: 'must be a date and time' });
      res.json(await effectivePrice(data, await actorOf(req, data), req.params.id, at));
    }),
  );

  router.get(
    '/duplicates',
    onlyQuery('resource', 'email', 'excludeId'),
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const resource = param(req, 'resource') as DuplicateResource;
      res.json(await duplicatesOf(data, actor, resource, param(req, 'email'), param(req, 'excludeId')));
    }),
  );

  return router;
}
