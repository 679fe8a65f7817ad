// The related panels of a record page, over the scoped data layer:
//   GET /api/:resource/:id/related                 every panel the user may read, each with its first page
//   GET /api/:resource/:id/related/:other?page=&perPage=&sortBy=&direction=   one panel's page
import { Router } from 'express';
import { invalid } from '../domain/errors';
import type { RelatedQuery, ScopedData } from '../domain/scoped-data';
import { panelsOf } from './backoffice/related';
import { actorOf, wrap } from './http';

function queryOf(q: Record<string, unknown>): RelatedQuery {
  const direction = q.direction === undefined ? undefined : q.direction === 'asc' || q.direction === 'desc' ? q.direction : null;
  if (direction === null) throw invalid('direction must be asc or desc');
  return {
    page: q.page === undefined ? undefined : Number(q.page) || 1,
    perPage: q.perPage === undefined ? undefined : Number(q.perPage) || 5,
    sortBy: typeof q.sortBy === 'string' ? q.sortBy : undefined,
    direction,
  };
}

export function relatedRoutes(data: ScopedData) {
  const router = Router();
  router.get(
    '/:resource/:id/related',
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const name = String(req.params.resource);
      data.resource(actor, 'read', name);
      const panels = panelsOf(name).filter((p) => actor.ability.can('read', p.resource));
      const pages = await Promise.all(panels.map((p) => data.related(actor, name, req.params.id, p.resource, queryOf(req.query as Record<string, unknown>))));
      res.json(panels.map((p, i) => ({ ...p, canAdd: actor.ability.can('create', p.resource), ...pages[i] })));
    }),
  );
  router.get(
    '/:resource/:id/related/:other',
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const q = req.query as Record<string, unknown>;
      res.json(await data.related(actor, String(req.params.resource), req.params.id, String(req.params.other), queryOf(q)));
    }),
  );
  return router;
}
