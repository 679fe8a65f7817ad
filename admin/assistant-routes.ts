// Back-office actions on an assistant beyond its record (the record itself is the generic /api/assistants), for
// the signed-in user with manage_assistants. Mounted at /api/assistants before the generic API: any other path
// falls through to it.
//   GET  /api/assistants/:id/embed        { publicKey, widgetCode, allowedOrigins, endpoint } (refreshes widget_code)
//   POST /api/assistants/:id/rotate-key   a new public key; the old one stops working at once
//   POST /api/assistants/:id/sync         rebuild the products and projects documents from the CRM now
import { Router } from 'express';
import { assistantEmbed, rotatePublicKey, syncKnowledge } from '../domain/assistants';
import type { ScopedData } from '../domain/scoped-data';
import { actorOf, wrap } from './http';

/** publicUrl: the app's address as websites reach it (PUBLIC_URL), written into the embed code. */
export function assistantRoutes(data: ScopedData, publicUrl: string) {
  const router = Router();
  router.get('/:id/embed', wrap(async (req, res) => res.json(await assistantEmbed(data, await actorOf(req, data), req.params.id, publicUrl))));
  router.post('/:id/rotate-key', wrap(async (req, res) => res.json(await rotatePublicKey(data, await actorOf(req, data), req.params.id, publicUrl))));
  router.post('/:id/sync', wrap(async (req, res) => res.json({ documents: await syncKnowledge(data, await actorOf(req, data), req.params.id) })));
  return router;
}
