// The OpenAI-compatible HTTP provider against a tiny chat-completions server on 127.0.0.1 started by this test
// (no network): what it sends (the system prompt, the retrieved knowledge, the conversation, model and key), what
// it does with the answer, and the offline fallback when the endpoint fails. Then the same through the app.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FallbackProvider, OfflineResponder, OpenAiCompatibleProvider, providerFromConfig, type ReplyInput } from '../../domain/assistants/providers';
import { loadConfig } from '../../domain/config';
import { startApp } from '../http/client';
import { assistantWorld, siteOrigin } from './fixture';

const w = assistantWorld();

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A fake chat-completions endpoint: records every request; answers `reply` (or fails with `status`). */
let server: Server;
let base = '';
const received: Received[] = [];
const behaviour = { status: 200, reply: 'From the model: the hammer drill costs 189.00 USD.' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      res.statusCode = behaviour.status;
      res.setHeader('content-type', 'application/json');
      res.end(
        behaviour.status === 200
          ? JSON.stringify({ id: 'cmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: behaviour.reply }, finish_reason: 'stop' }] })
          : JSON.stringify({ error: { message: 'overloaded' } }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const input: ReplyInput = {
  assistant: { name: 'Acme Helper', systemPrompt: 'You are the website assistant of Acme Corp. Be friendly and concise.' },
  question: 'How much is the hammer drill? Send me a quote.',
  history: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! How can I help?' },
  ],
  passages: [{ documentId: 7, documentName: 'Product catalog', type: 'products', text: 'Acme Cordless Hammer Drill 20V (ACME-DRL-200): 189.00 USD.', score: 3.2 }],
};

describe('OpenAiCompatibleProvider', () => {
  it('posts the system prompt, the retrieved knowledge and the conversation to {base}/chat/completions', async () => {
    received.length = 0;
    const provider = new OpenAiCompatibleProvider({ baseUrl: `${base}/`, apiKey: 'sk-test-123', model: 'test-model' });
    const reply = await provider.reply(input);
    expect(reply).toEqual({
      content: behaviour.reply,
      sources: [{ documentId: 7, name: 'Product catalog', type: 'products' }],
      offerLeadForm: true,
      provider: 'openai',
    });
    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(req!.headers.authorization).toBe('Bearer sk-test-123');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.body.model).toBe('test-model');
    const messages = req!.body.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[0]!.content.startsWith(input.assistant.systemPrompt)).toBe(true);
    expect(messages[0]!.content).toContain('[1] (products: Product catalog) Acme Cordless Hammer Drill 20V (ACME-DRL-200): 189.00 USD.');
    expect(messages.at(-1)).toEqual({ role: 'user', content: input.question });
  });

  it('sends no Authorization header without a key, and refuses an answer without content', async () => {
    received.length = 0;
    behaviour.reply = '';
    try {
      await expect(new OpenAiCompatibleProvider({ baseUrl: base, model: 'm' }).reply(input)).rejects.toThrow(/no message content/);
      expect(received[0]!.headers.authorization).toBeUndefined();
    } finally {
      behaviour.reply = 'From the model: the hammer drill costs 189.00 USD.';
    }
  });

  it('providerFromConfig: offline without configuration; the HTTP provider with the offline fallback when configured', async () => {
    const providerFromEnv = (env: NodeJS.ProcessEnv) => providerFromConfig(loadConfig(env).openai);
    expect(providerFromEnv({})).toBeInstanceOf(OfflineResponder);
    const configured = providerFromEnv({ OPENAI_BASE_URL: base, OPENAI_MODEL: 'env-model', OPENAI_API_KEY: 'sk-env' });
    expect(configured).toBeInstanceOf(FallbackProvider);
    received.length = 0;
    expect((await configured.reply(input)).provider).toBe('openai');
    expect(received[0]!.body.model).toBe('env-model');
    expect(received[0]!.headers.authorization).toBe('Bearer sk-env');

    // The endpoint fails: the visitor still gets the offline answer, and the failure is logged.
    behaviour.status = 503;
    const logged: string[] = [];
    try {
      const fallback = new FallbackProvider(new OpenAiCompatibleProvider({ baseUrl: base, model: 'm' }), new OfflineResponder(), (m) => logged.push(m));
      const reply = await fallback.reply(input);
      expect(reply.provider).toBe('offline');
      expect(reply.content).toContain('Acme Cordless Hammer Drill 20V');
      expect(logged[0]).toMatch(/answered 503/);
    } finally {
      behaviour.status = 200;
    }
  });
});

describe('the widget with OPENAI_BASE_URL set', () => {
  it('sends the assistant\'s own system prompt from the database and stores the model\'s reply', async () => {
    const site = w.assistants['acme/site']!;
    process.env.OPENAI_BASE_URL = base;
    process.env.OPENAI_MODEL = 'widget-model';
    const app = await startApp(w.db);
    delete process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_MODEL;
    try {
      received.length = 0;
      const visitorId = randomUUID();
      const res = await fetch(`${app.base}/widget/v1/${site.public_key}/messages`, {
        method: 'POST',
        headers: { origin: siteOrigin('acme'), 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId, content: 'What does the cordless hammer drill cost?' }),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as any).reply.content).toBe(behaviour.reply);
      expect(received).toHaveLength(1);
      const [system] = received[0]!.body.messages;
      expect(system.role).toBe('system');
      expect(system.content.startsWith(site.system_prompt)).toBe(true);
      expect(system.content).toContain('Acme Cordless Hammer Drill 20V');
      expect(received[0]!.body.model).toBe('widget-model');
      const stored = await w.one(
        "SELECT m.content, m.metadata FROM assistant_messages m JOIN assistant_conversations c ON c.id = m.conversation_id WHERE c.visitor_id = $1 AND m.role = 'assistant'",
        [visitorId],
      );
      expect(stored).toMatchObject({ content: behaviour.reply, metadata: { provider: 'openai' } });
    } finally {
      await app.close();
    }
  });
});
