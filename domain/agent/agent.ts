// The Epesi Agent: the back office's assistant for the signed-in user. A question becomes one tool call
// (intents.ts), the tool reads through the scoped data layer as the user (tools.ts), and the exchange is stored in
// the user's own agent_conversations / agent_messages, also through the scoped layer: the ability lets every user
// read and write only their own conversations, so they stay private (another user's is a 404).
import { invalid } from '../errors';
import type { Actor, Row, ScopedData } from '../scoped-data';
import { parseQuestion, type Intent } from './intents';
import { runTool, type ToolResult } from './tools';

export const MAX_QUESTION = 1000;

export interface AskInput {
  conversationId?: unknown;
  question: unknown;
}

export interface AskResult {
  conversation: Row;
  question: Row;
  answer: Row;
  intent: Intent;
  result: Pick<ToolResult, 'tool' | 'args' | 'total' | 'rows'>;
}

function checkQuestion(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw invalid('question is required: what do you want to know?', { question: 'is required' });
  const q = raw.trim();
  if (q.length > MAX_QUESTION) throw invalid(`question must be at most ${MAX_QUESTION} characters`, { question: `at most ${MAX_QUESTION} characters` });
  return q;
}

function checkConversationId(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw invalid('conversationId must be the id of one of your conversations', { conversationId: 'must be a positive whole number' });
  }
  return n;
}

const titleOf = (question: string) => (question.length > 80 ? `${question.slice(0, 77)}...` : question);

/** Answers a question for the actor, in a conversation of theirs (a new one without conversationId). */
export async function ask(data: ScopedData, actor: Actor, input: AskInput, options: { now?: Date } = {}): Promise<AskResult> {
  const question = checkQuestion(input.question);
  const conversationId = checkConversationId(input.conversationId);
  const intent = parseQuestion(question);
  const me = actor.principal.userId;
  // One transaction: the question is stored with its answer or not at all.
  return data.transaction(actor, async (scoped) => {
    const conversation = conversationId
      ? await scoped.get(actor, 'agent_conversations', conversationId)
      : await scoped.create(actor, 'agent_conversations', { title: titleOf(question), user_id: me });
    const asked = await scoped.create(actor, 'agent_messages', { conversation_id: conversation.id, user_id: me, role: 'user', content: question });
    const result = await runTool(scoped, actor, intent, options.now ?? new Date());
    const answer = await scoped.create(actor, 'agent_messages', { conversation_id: conversation.id, user_id: me, role: 'assistant', content: result.answer });
    if (conversation.is_active === false) Object.assign(conversation, await scoped.update(actor, 'agent_conversations', conversation.id, { is_active: true }));
    const { tool, args, total, rows } = result;
    return { conversation, question: asked, answer, intent, result: { tool, args, total, rows } };
  });
}

/** The actor's own conversations, newest first. */
export async function conversationsOf(data: ScopedData, actor: Actor, page = 1): Promise<{ records: Row[]; total: number }> {
  return data.list(actor, 'agent_conversations', { sortBy: 'created_at', direction: 'desc', page, perPage: 50 });
}

/** One of the actor's conversations with its messages, oldest first (another user's: 404). */
export async function conversationWithMessages(data: ScopedData, actor: Actor, id: unknown): Promise<{ conversation: Row; messages: Row[] }> {
  const conversation = await data.get(actor, 'agent_conversations', id);
  const { records } = await data.list(actor, 'agent_messages', {
    filters: { conversation_id: conversation.id as number },
    sortBy: 'id',
    direction: 'asc',
    perPage: 500,
    withTotal: false,
  });
  return { conversation, messages: records };
}
