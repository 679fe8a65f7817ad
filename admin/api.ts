// A JSON API over the scoped data layer, one shape for every resource:
//   GET    /api/:resource?q=&sortBy=&direction=&page=&perPage=&filters[field]=value
//   GET    /api/:resource/:id           POST /api/:resource          PATCH /api/:resource/:id
//   DELETE /api/:resource/:id           POST /api/:resource/bulk-delete { ids: [...] }
//   GET    /api/:resource/:id/explain?action=update   which rule allows or denies it
//   GET    /api/search?q=                across every resource the user may read (admin/search-routes.ts)
//   GET    /api/:resource/export.csv    POST /api/:resource/import[?dryRun=1]   CSV (admin/csv-routes.ts)
import { Router } from 'express';
import { explain } from '../domain/ability';
import { auditTitles, historyOf } from '../domain/history';
import { invalid } from '../domain/errors';
import { ACTIONS, PERMISSION_GRANTS, type Action } from '../domain/permissions';
import { PERMISSIONS } from '../schema';
import { COUNT_CAP, type FilterValue, type ScopedData } from '../domain/scoped-data';
import { actorOf, onlyQuery, wrap } from './http';
import { csvRoutes } from './csv-routes';
import { relatedRoutes } from './related-routes';
import { searchRoutes } from './search-routes';

const body = (value: unknown) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('The request body must be a JSON object');
  return value as Record<string, unknown>;
};

export function apiRoutes(data: ScopedData) {
  const router = Router();
  router.use(csvRoutes(data)); // first: 'export.csv' is no :id
  router.use(relatedRoutes(data));
  router.use(searchRoutes(data)); // before /:resource: 'search' is no resource

  // The permission strings and what each allows, for the roles matrix.
  router.get('/meta/permissions', (_req, res) => {
    const grants = Object.fromEntries(
      Object.entries(PERMISSION_GRANTS).map(([p, gs]) => [p, gs.map((g) => `${g.actions.join(', ')} on ${g.subjects.join(', ')}`).join('; ')]),
    );
    res.json({ permissions: PERMISSIONS, grants });
  });

  router.get(
    '/:resource',
    onlyQuery('q', 'sortBy', 'direction', 'page', 'perPage', 'filters'),
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const q = req.query as Record<string, unknown>;
      const filters = (typeof q.filters === 'object' && q.filters !== null ? q.filters : {}) as Record<string, FilterValue>;
      const direction = q.direction === 'asc' ? 'asc' : q.direction === undefined || q.direction === 'desc' ? 'desc' : null;
      if (!direction) throw invalid('direction must be asc or desc');
      const result = await data.list(actor, String(req.params.resource), {
          filters,
          q: typeof q.q === 'string' ? q.q : undefined,
          sortBy: typeof q.sortBy === 'string' ? q.sortBy : undefined,
          direction,
          page: q.page === undefined ? undefined : Number(q.page) || 1,
          perPage: q.perPage === undefined ? undefined : Number(q.perPage) || 20,
      });
      // total is exact up to COUNT_CAP; COUNT_CAP + 1 means "more than that".
      res.json({ ...result, totalExact: result.total <= COUNT_CAP });
    }),
  );

  router.get(
    '/:resource/:id',
    onlyQuery(),
    wrap(async (req, res) => res.json(await data.get(await actorOf(req, data), String(req.params.resource), req.params.id))),
  );

  router.get(
    '/:resource/:id/explain',
    onlyQuery('action'),
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const action = String(req.query.action ?? 'read') as Action;
      if (!ACTIONS.includes(action)) throw invalid(`action must be one of ${ACTIONS.join(', ')}`);
      const record = await data.get(actor, String(req.params.resource), req.params.id);
      res.json(explain(actor.ability, action, String(req.params.resource), record));
    }),
  );

  router.get(
    '/:resource/:id/history',
    onlyQuery(),
    wrap(async (req, res) => res.json(await historyOf(data, await actorOf(req, data), String(req.params.resource), req.params.id))),
  );

  // The audit log's show page: the entry's references by their titles (AuditChanges).
  router.get(
    '/audit_log/:id/titles',
    onlyQuery(),
    wrap(async (req, res) => res.json(await auditTitles(data, await actorOf(req, data), req.params.id))),
  );

  router.post(
    '/:resource/bulk-delete',
    onlyQuery(),
    wrap(async (req, res) => {
      const ids = body(req.body).ids;
      if (!Array.isArray(ids) || ids.length === 0) throw invalid('ids must be a non-empty list');
      res.json({ deleted: await data.removeMany(await actorOf(req, data), String(req.params.resource), ids) });
    }),
  );

  router.post(
    '/:resource',
    onlyQuery(),
    wrap(async (req, res) => res.status(201).json(await data.create(await actorOf(req, data), String(req.params.resource), body(req.body)))),
  );

  router.patch(
    '/:resource/:id',
    onlyQuery(),
    wrap(async (req, res) =>
      res.json(await data.update(await actorOf(req, data), String(req.params.resource), req.params.id, body(req.body))),
    ),
  );

  router.delete(
    '/:resource/:id',
    onlyQuery(),
    wrap(async (req, res) => {
      await data.remove(await actorOf(req, data), String(req.params.resource), req.params.id);
      res.status(204).end();
    }),
  );

  return router;
}
