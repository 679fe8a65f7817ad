// The Epesi Agent over HTTP, for the signed-in user (the back office's floating panel calls these):
//   POST /api/agent/ask                 { conversationId?, question }  -> { conversation, question, answer, intent, result }
//   GET  /api/agent/conversations       the user's own conversations, newest first
//   GET  /api/agent/conversations/:id   one of them with its messages (another user's: 404)
import { Router, type Request } from 'express';
import { ask, conversationsOf, conversationWithMessages } from '../domain/agent';
import { invalid } from '../domain/errors';
import type { ScopedData } from '../domain/scoped-data';
import { actorOf, wrap } from './http';

function body(req: Request): Record<string, unknown> {
  const value: unknown = req.body ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('The request body must be a JSON object: { conversationId?, question }');
  return value as Record<string, unknown>;
}

export function agentRoutes(data: ScopedData) {
  const router = Router();

  router.post(
    '/ask',
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const { conversationId, question, ...rest } = body(req);
      const unknown = Object.keys(rest);
      if (unknown.length) throw invalid(`Unknown field(s): ${unknown.join(', ')}; send { conversationId?, question }`, Object.fromEntries(unknown.map((f) => [f, 'is not a field of a question'])));
      res.json(await ask(data, actor, { conversationId, question }));
    }),
  );

  router.get(
    '/conversations',
    wrap(async (req, res) => {
      const page = Number((req.query as Record<string, unknown>).page ?? 1);
      res.json(await conversationsOf(data, await actorOf(req, data), Number.isSafeInteger(page) && page > 0 ? page : 1));
    }),
  );

  router.get(
    '/conversations/:id',
    wrap(async (req, res) => res.json(await conversationWithMessages(data, await actorOf(req, data), req.params.id))),
  );

  return router;
}
