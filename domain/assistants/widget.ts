// The public side of an assistant: what its widget shows and what a visitor's message does. There is no user
// here. After findAssistantByKey (embed.ts) has resolved the key, every read and write happens inside the
// assistant's tenant through ScopedData.inTenant(tenantId, null, ...): the one sanctioned system path of a
// request without a user. Row-level security applies; the writes carry no actor (the audit log records users'
// changes). Only these functions use it, and they touch only the assistant's own conversation rows, its documents
// (the lazy sync), its prospects and, for a lead form, one new CRM lead.
//
// A reply from a provider (possibly an HTTP call of seconds) is never awaited inside a transaction: the visitor's
// message is stored first, the reply is stored when it arrives.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { assistantConversations, assistantMessages, assistants } from '../../schema';
import { notFound } from '../errors';
import type { ScopedData, Tx } from '../scoped-data';
import type { PublicAssistant } from './embed';
import { freshDocuments, type AssistantScope, type KnowledgeDocument } from './knowledge';
import { captureLead, type Capture } from './lead-capture';
import type { VisitorMessage } from './payload';
import type { ChatTurn, Reply, ReplyProvider } from './providers';
import { retrieve } from './retrieve';

/** A message as the widget shows it (no ids, no internal metadata). */
export interface PublicMessage {
  role: 'user' | 'assistant';
  type: 'text' | 'lead_form' | 'file';
  content: string;
  createdAt: Date;
  /** The widget offers its lead form under this reply. */
  offerLeadForm?: boolean;
}

export interface WidgetConfig {
  name: string;
  description: string | null;
  greeting: string;
  leadForm: { fields: string[]; required: string[] };
}

export interface PostResult {
  message: PublicMessage;
  reply: PublicMessage;
  leadCaptured: boolean;
}

/** What a capture did, for the caller's own logging or tests; never sent to the visitor. */
export interface PostOutcome extends PostResult {
  conversationId: number;
  capture?: Capture;
  provider?: string;
}

interface LoadedAssistant extends AssistantScope {
  name: string;
  description: string | null;
  systemPrompt: string;
  createsLeads: boolean;
}

const HISTORY_TURNS = 10;
const MAX_REPLY = 8000;

const toPublic = (m: { role: 'user' | 'assistant'; messageType: 'text' | 'lead_form' | 'file'; content: string; createdAt: Date; metadata: Record<string, unknown> }): PublicMessage => ({
  role: m.role,
  type: m.messageType,
  content: m.content,
  createdAt: m.createdAt,
  ...(m.metadata.offerLeadForm === true ? { offerLeadForm: true } : {}),
});

export class WidgetService {
  constructor(
    private readonly data: ScopedData,
    private readonly provider: ReplyProvider,
  ) {}

  /** The one system path: a transaction inside the assistant's tenant, as no user. */
  private inTenant<T>(a: PublicAssistant, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.data.inTenant(a.tenantId, null, fn);
  }

  private async assistant(tx: Tx, a: PublicAssistant): Promise<LoadedAssistant> {
    const [row] = await tx
      .select({
        id: assistants.id, tenantId: assistants.tenantId, scope: assistants.scope, workspaceId: assistants.workspaceId, name: assistants.name,
        description: assistants.description, systemPrompt: assistants.systemPrompt, createsLeads: assistants.createsLeads, isActive: assistants.isActive,
      })
      .from(assistants)
      .where(and(eq(assistants.tenantId, a.tenantId), eq(assistants.id, a.id)));
    if (!row || !row.isActive) throw notFound('assistant');
    return row;
  }

  /** The visitor's open conversation with the assistant (the latest), or null. */
  private async openConversation(tx: Tx, a: PublicAssistant, visitorId: string) {
    const [row] = await tx
      .select({ id: assistantConversations.id, leadCaptured: assistantConversations.leadCaptured })
      .from(assistantConversations)
      .where(
        and(
          eq(assistantConversations.tenantId, a.tenantId),
          eq(assistantConversations.assistantId, a.id),
          eq(assistantConversations.visitorId, visitorId),
          eq(assistantConversations.status, 'open'),
        ),
      )
      .orderBy(desc(assistantConversations.createdAt), desc(assistantConversations.id))
      .limit(1);
    return row ?? null;
  }

  /** The open conversation, opened now if there is none (one at a time per visitor: a transaction lock). */
  private async conversationFor(tx: Tx, a: PublicAssistant, visitorId: string) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('epesi.assistant_visitor'), hashtext(${`${a.id}:${visitorId}`}))`);
    const open = await this.openConversation(tx, a, visitorId);
    if (open) return open;
    const [created] = await tx
      .insert(assistantConversations)
      .values({ assistantId: a.id, visitorId, tenantId: a.tenantId })
      .returning({ id: assistantConversations.id, leadCaptured: assistantConversations.leadCaptured });
    return created!;
  }

  private async store(tx: Tx, a: PublicAssistant, conversationId: number, m: { role: 'user' | 'assistant'; messageType: 'text' | 'lead_form'; content: string; metadata: Record<string, unknown> }) {
    const [row] = await tx
      .insert(assistantMessages)
      .values({ ...m, conversationId, tenantId: a.tenantId })
      .returning({
        role: assistantMessages.role, messageType: assistantMessages.messageType, content: assistantMessages.content,
        createdAt: assistantMessages.createdAt, metadata: assistantMessages.metadata,
      });
    // (The updated_at trigger stamps the conversation: its last activity.)
    await tx
      .update(assistantConversations)
      .set({ updatedAt: sql`now()` })
      .where(and(eq(assistantConversations.tenantId, a.tenantId), eq(assistantConversations.id, conversationId)));
    return toPublic(row!);
  }

  async config(a: PublicAssistant): Promise<WidgetConfig> {
    const assistant = await this.inTenant(a, (tx) => this.assistant(tx, a));
    return {
      name: assistant.name,
      description: assistant.description,
      greeting: `Hi! I am ${assistant.name}. How can I help you?`,
      leadForm: { fields: ['name', 'email', 'company', 'phone'], required: ['name', 'email'] },
    };
  }

  /** The messages of the visitor's open conversation, oldest first (empty when there is none). */
  async history(a: PublicAssistant, visitorId: string): Promise<{ messages: PublicMessage[]; leadCaptured: boolean }> {
    return this.inTenant(a, async (tx) => {
      await this.assistant(tx, a);
      const open = await this.openConversation(tx, a, visitorId);
      if (!open) return { messages: [], leadCaptured: false };
      const rows = await tx
        .select({
          role: assistantMessages.role, messageType: assistantMessages.messageType, content: assistantMessages.content,
          createdAt: assistantMessages.createdAt, metadata: assistantMessages.metadata,
        })
        .from(assistantMessages)
        .where(and(eq(assistantMessages.tenantId, a.tenantId), eq(assistantMessages.conversationId, open.id)))
        .orderBy(asc(assistantMessages.createdAt), asc(assistantMessages.id))
        .limit(500);
      return { messages: rows.map(toPublic), leadCaptured: open.leadCaptured };
    });
  }

  async post(a: PublicAssistant, message: VisitorMessage, origin: string | null): Promise<PostOutcome> {
    return message.type === 'lead_form' ? this.leadForm(a, message, origin) : this.question(a, message, origin);
  }

  private async question(a: PublicAssistant, message: Extract<VisitorMessage, { type: 'text' }>, origin: string | null): Promise<PostOutcome> {
    const asked = await this.inTenant(a, async (tx) => {
      const assistant = await this.assistant(tx, a);
      const conversation = await this.conversationFor(tx, a, message.visitorId);
      const earlier = await tx
        .select({ role: assistantMessages.role, content: assistantMessages.content })
        .from(assistantMessages)
        .where(and(eq(assistantMessages.tenantId, a.tenantId), eq(assistantMessages.conversationId, conversation.id)))
        .orderBy(desc(assistantMessages.createdAt), desc(assistantMessages.id))
        .limit(HISTORY_TURNS);
      const stored = await this.store(tx, a, conversation.id, { role: 'user', messageType: 'text', content: message.content, metadata: origin ? { origin } : {} });
      const documents = await freshDocuments(tx, assistant);
      return { assistant, conversation, history: earlier.reverse() as ChatTurn[], stored, documents };
    });
    const reply = await this.answer(asked.assistant, asked.documents, message.content, asked.history);
    const stored = await this.inTenant(a, (tx) =>
      this.store(tx, a, asked.conversation.id, {
        role: 'assistant',
        messageType: 'text',
        content: reply.content.slice(0, MAX_REPLY),
        metadata: { provider: reply.provider, sources: reply.sources, offerLeadForm: reply.offerLeadForm },
      }),
    );
    return { conversationId: asked.conversation.id, message: asked.stored, reply: stored, leadCaptured: asked.conversation.leadCaptured, provider: reply.provider };
  }

  /** Retrieval, then the provider. */
  answer(assistant: Pick<LoadedAssistant, 'name' | 'systemPrompt'>, documents: KnowledgeDocument[], question: string, history: ChatTurn[]): Promise<Reply> {
    return this.provider.reply({
      assistant: { name: assistant.name, systemPrompt: assistant.systemPrompt },
      question,
      history,
      passages: retrieve(documents, question),
    });
  }

  private async leadForm(a: PublicAssistant, message: Extract<VisitorMessage, { type: 'lead_form' }>, origin: string | null): Promise<PostOutcome> {
    const { lead } = message;
    return this.inTenant(a, async (tx) => {
      const assistant = await this.assistant(tx, a);
      const conversation = await this.conversationFor(tx, a, message.visitorId);
      const summary = [`Lead form: ${lead.name} <${lead.email}>`, lead.company, lead.phone].filter(Boolean).join(', ');
      const stored = await this.store(tx, a, conversation.id, {
        role: 'user',
        messageType: 'lead_form',
        content: message.content ? `${summary}\n${message.content}` : summary,
        metadata: { submitted: lead, ...(origin ? { origin } : {}) },
      });
      const capture = await captureLead(tx, { tenantId: a.tenantId, assistant, conversationId: conversation.id }, lead, message.content);
      const first = lead.name.trim().split(/\s+/)[0];
      const reply = await this.store(tx, a, conversation.id, {
        role: 'assistant',
        messageType: 'text',
        content: `Thank you, ${first}! A member of our team will contact you at ${lead.email} shortly.`,
        metadata: { prospectId: capture.prospectId, leadId: capture.leadId, leadQuality: capture.quality },
      });
      return { conversationId: conversation.id, message: stored, reply, leadCaptured: true, capture };
    });
  }
}
