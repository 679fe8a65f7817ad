// The back office's global search (the top bar's search box):
//   GET /api/search?q=phrase    -> { q, groups: [{ resource, label, hits: [{ id, title, href }], more, listHref }] }
import { Router } from 'express';
import { searchAll, searchPhrase } from '../domain/search';
import type { ScopedData } from '../domain/scoped-data';
import { ROOT_PATH } from './backoffice';
import { resourceLabel } from './backoffice/labels';
import { actorOf, onlyQuery, wrap } from './http';

export function searchRoutes(data: ScopedData) {
  const router = Router();
  router.get(
    '/search',
    onlyQuery('q'),
    wrap(async (req, res) => {
      const q = searchPhrase(req.query.q);
      const groups = await searchAll(data, await actorOf(req, data), q);
      const base = (resource: string) => `${ROOT_PATH}/resources/${resource}`;
      res.json({
        q,
        groups: groups.map((g) => ({
          ...g,
          label: resourceLabel(g.resource),
          hits: g.hits.map((h) => ({ ...h, href: `${base(g.resource)}/records/${String(h.id)}/show` })),
          // The resource's list with the same phrase in its quick search (the title filter).
          listHref: `${base(g.resource)}?${new URLSearchParams({ 'filters.__title': q })}`,
        })),
      });
    }),
  );
  return router;
}
