// Where an assistant's replies come from. Every provider gets the same input: the assistant's system prompt, the
// conversation so far, the visitor's question and the passages BM25 retrieved from the knowledge base.
//   - OfflineResponder: built in, no network. Answers from the best passages; deterministic (tests rely on it).
//   - OpenAiCompatibleProvider: POST {base}/chat/completions of any OpenAI-compatible server (OpenAI, Azure,
//     vLLM, Ollama, llama.cpp...). The system prompt and the retrieved passages go in the system message.
// providerFromConfig() picks one: OPENAI_BASE_URL (or OPENAI_API_KEY alone, for api.openai.com) selects the HTTP
// provider, which falls back to the offline responder when the endpoint fails; nothing set: offline only.
import type { Config } from '../config';
import type { Passage } from './knowledge';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ReplyInput {
  assistant: { name: string; systemPrompt: string };
  question: string;
  /** Earlier turns of the conversation, oldest first (the question itself not included). */
  history: ChatTurn[];
  /** Retrieved from the knowledge base, best first. */
  passages: (Passage & { score: number })[];
}

export interface Reply {
  content: string;
  /** The documents the reply drew on. */
  sources: { documentId: number; name: string; type: string }[];
  /** The widget should offer the lead form (a quote, a demo, a question the knowledge base cannot answer). */
  offerLeadForm: boolean;
  /** Which provider answered. */
  provider: string;
}

export interface ReplyProvider {
  readonly name: string;
  reply(input: ReplyInput): Promise<Reply>;
}

/** A visitor asking to buy, for a price or for a person: time to offer the lead form. */
export const BUYING_INTENT = /\b(quote|quotation|pric(e|es|ing)|cost|costs|buy|purchas\w*|order|demo|trial|offer|discount|contract|sales|call me|contact me|reach me)\b/i;
const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|hallo|bonjour|hola)\b[\s!.,]*$/i;

const sourcesOf = (passages: ReplyInput['passages']) => {
  const seen = new Map<number, Reply['sources'][number]>();
  for (const p of passages) if (!seen.has(p.documentId)) seen.set(p.documentId, { documentId: p.documentId, name: p.documentName, type: p.type });
  return [...seen.values()];
};

/** The answer part of an FAQ passage ("Q: ...\nA: ..."), else the passage. */
const answerOf = (p: Passage) => /(?:^|\n)A:\s*([\s\S]+)$/.exec(p.text)?.[1]?.trim() ?? p.text;

export class OfflineResponder implements ReplyProvider {
  readonly name = 'offline';

  /** Passages scoring below this share of the best one are left out of the answer. */
  constructor(private readonly keep = 0.6) {}

  async reply({ assistant, question, passages }: ReplyInput): Promise<Reply> {
    const intent = BUYING_INTENT.test(question);
    if (GREETING.test(question)) {
      return { content: `Hello! I am ${assistant.name}. Ask me about our products, or leave your details and we will get back to you.`, sources: [], offerLeadForm: false, provider: this.name };
    }
    const best = passages[0];
    if (!best) {
      return {
        content: 'I could not find that in what I know. Leave your name and email and a member of our team will answer you personally.',
        sources: [],
        offerLeadForm: true,
        provider: this.name,
      };
    }
    const used = passages.filter((p, i) => i === 0 || (i < 3 && p.score >= best.score * this.keep && p.type === best.type));
    const lines = used.map(answerOf);
    const intro = best.type === 'products' ? (used.length > 1 ? 'Here is what matches your question:' : 'Here is what I found:') : '';
    const outro = intent ? 'Would you like a quote? Leave your details and our sales team will get back to you.' : '';
    const content = [intro, used.length > 1 ? lines.map((l) => `- ${l}`).join('\n') : lines[0], outro].filter(Boolean).join('\n');
    return { content, sources: sourcesOf(used), offerLeadForm: intent, provider: this.name };
  }
}

export interface OpenAiOptions {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
}

/** The system message: the assistant's own prompt, then the rules of the knowledge base and the passages. */
export function systemMessage(input: ReplyInput): string {
  const knowledge = input.passages.length
    ? input.passages.map((p, i) => `[${i + 1}] (${p.type}: ${p.documentName}) ${p.text}`).join('\n')
    : '(nothing relevant found)';
  return [
    input.assistant.systemPrompt.trim(),
    '',
    'Answer from the knowledge below. If it does not contain the answer, say so and offer to pass the question to the team.',
    'Knowledge:',
    knowledge,
  ].join('\n');
}

export class OpenAiCompatibleProvider implements ReplyProvider {
  readonly name = 'openai';

  constructor(private readonly options: OpenAiOptions) {}

  async reply(input: ReplyInput): Promise<Reply> {
    const { baseUrl, apiKey, model, timeoutMs = 20_000 } = this.options;
    const messages = [
      { role: 'system', content: systemMessage(input) },
      ...input.history.slice(-10),
      { role: 'user', content: input.question },
    ];
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ model, messages, temperature: 0.2 }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`chat completions answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || !content.trim()) throw new Error('chat completions returned no message content');
    return { content: content.trim(), sources: sourcesOf(input.passages), offerLeadForm: BUYING_INTENT.test(input.question), provider: this.name };
  }
}

/** The primary provider, or the fallback when it fails (logged): a visitor always gets an answer. */
export class FallbackProvider implements ReplyProvider {
  get name() {
    return this.primary.name;
  }

  constructor(
    private readonly primary: ReplyProvider,
    private readonly fallback: ReplyProvider,
    private readonly log: (message: string) => void = (m) => console.warn(m),
  ) {}

  async reply(input: ReplyInput): Promise<Reply> {
    try {
      return await this.primary.reply(input);
    } catch (err) {
      this.log(`assistant provider ${this.primary.name} failed, answering offline: ${(err as Error).message}`);
      return this.fallback.reply(input);
    }
  }
}

/** The configured provider (OPENAI_BASE_URL, or OPENAI_API_KEY alone for api.openai.com); none: the offline responder. */
export function providerFromConfig(openai: Config['openai'], log?: (message: string) => void): ReplyProvider {
  const offline = new OfflineResponder();
  const { baseUrl, apiKey, model, timeoutMs } = openai;
  if (!baseUrl) return offline;
  return new FallbackProvider(new OpenAiCompatibleProvider({ baseUrl, apiKey, model, timeoutMs }), offline, log);
}
