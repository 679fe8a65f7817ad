// AI: the user-private Epesi Agent, and tenant assistants embedded on websites with their knowledge base and captured prospects.
import { sql } from 'drizzle-orm';
import { boolean, foreignKey, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, lower, rulesFor, tenantId, updatedAt } from '../columns';
import { tenants, users, workspaces } from './organization';

const messageRole = ['user', 'assistant'] as const;

export const agentConversations = pgTable(
  'agent_conversations',
  {
    id: id(),
    userId: integer('user_id').notNull(),
    title: text('title').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('agent_conversations', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.userId, users, 'cascade'),
      r.listIndex('user_updated', t.userId, t.updatedAt.desc()),
      // Target of agent_messages' owner check.
      unique('agent_conversations_tenant_id_id_user_key').on(t.tenantId, t.id, t.userId),
    ];
  },
);

export const agentMessages = pgTable(
  'agent_messages',
  {
    id: id(),
    conversationId: integer('conversation_id').notNull(),
    userId: integer('user_id').notNull(),
    role: text('role', { enum: messageRole }).notNull(),
    content: text('content').notNull(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('agent_messages', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.conversationId, agentConversations, 'cascade'),
      ...r.ref(t.userId, users, 'cascade'),
      // A message belongs to its conversation's user: nobody writes into another user's private conversation.
      foreignKey({
        name: 'agent_messages_conversation_owner_fk',
        columns: [t.tenantId, t.conversationId, t.userId],
        foreignColumns: [agentConversations.tenantId, agentConversations.id, agentConversations.userId],
      }).onDelete('cascade'),
      r.oneOf(t.role),
    ];
  },
);

export const assistants = pgTable(
  'assistants',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    scope: text('scope', { enum: ['tenant', 'workspace'] }).notNull().default('tenant'),
    workspaceId: integer('workspace_id'),
    systemPrompt: text('system_prompt').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    widgetCode: text('widget_code'),
    // Beyond the seed (the embeddable widget, domain/assistants/): the key the public widget endpoint is
    // addressed by, random and unguessable (gen_random_uuid: 122 random bits), set by the system only; the
    // websites allowed to call it (CORS: scheme://host[:port], lower case); whether captured prospects become CRM leads.
    publicKey: text('public_key').notNull().default(sql`('ak_' || replace(gen_random_uuid()::text, '-', ''))`),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    createsLeads: boolean('creates_leads').notNull().default(false),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('assistants', t);
    const origin = 'https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?';
    return [
      ...r.tenant(tenants),
      ...r.ref(t.workspaceId, workspaces, 'restrict'),
      r.oneOf(t.scope),
      // A workspace assistant names its workspace; a tenant assistant does not.
      r.check('scope_workspace', sql`(${t.scope} = 'workspace') = (${t.workspaceId} is not null)`),
      // Looked up across tenants by the public endpoint: unique over the whole database.
      unique('assistants_public_key_key').on(t.publicKey),
      r.matches(t.publicKey, '^ak_[0-9a-f]{24,64}$'),
      // Each entry an origin as browsers send it: scheme and host (and port), no path, no NULLs, one dimension.
      r.check(
        'allowed_origins_format',
        sql`array_to_string(${t.allowedOrigins}, ' ') ~ ${sql.raw(`'^(${origin}( ${origin})*)?$'`)} and array_position(${t.allowedOrigins}, null) is null and coalesce(array_ndims(${t.allowedOrigins}), 1) = 1`,
      ),
    ];
  },
);

export const assistantConversations = pgTable(
  'assistant_conversations',
  {
    id: id(),
    assistantId: integer('assistant_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    visitorEmail: text('visitor_email'),
    visitorName: text('visitor_name'),
    visitorCompany: text('visitor_company'),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    leadCaptured: boolean('lead_captured').notNull().default(false),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('assistant_conversations', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.assistantId, assistants, 'cascade'),
      r.oneOf(t.status),
      r.matches(t.visitorId, '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'),
      r.listIndex('visitor', t.assistantId, t.visitorId),
      // Target of assistant_prospects' consistency check.
      unique('assistant_conversations_tenant_id_id_assistant_key').on(t.tenantId, t.id, t.assistantId),
    ];
  },
);

export const assistantMessages = pgTable(
  'assistant_messages',
  {
    id: id(),
    conversationId: integer('conversation_id').notNull(),
    role: text('role', { enum: messageRole }).notNull(),
    content: text('content').notNull(),
    messageType: text('message_type', { enum: ['text', 'lead_form', 'file'] }).notNull().default('text'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('assistant_messages', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.conversationId, assistantConversations, 'cascade'),
      r.oneOf(t.role),
      r.oneOf(t.messageType),
      r.check('metadata_object', sql`jsonb_typeof(${t.metadata}) = 'object'`),
    ];
  },
);

export const assistantDocuments = pgTable(
  'assistant_documents',
  {
    id: id(),
    assistantId: integer('assistant_id').notNull(),
    type: text('type', { enum: ['products', 'projects', 'documents', 'faq'] }).notNull(),
    name: text('name').notNull(),
    description: text('description'),
    content: text('content'),
    itemCount: integer('item_count').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    lastSynced: timestamp('last_synced', { mode: 'date' }),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('assistant_documents', t);
    return [...r.tenant(tenants), ...r.ref(t.assistantId, assistants, 'cascade'), r.oneOf(t.type), r.nonNegative(t.itemCount)];
  },
);

export const assistantProspects = pgTable(
  'assistant_prospects',
  {
    id: id(),
    assistantId: integer('assistant_id').notNull(),
    conversationId: integer('conversation_id').notNull(),
    email: text('email').notNull(),
    name: text('name'),
    company: text('company'),
    phone: text('phone'),
    source: text('source'),
    leadQuality: text('lead_quality', { enum: ['hot', 'warm', 'cold', 'unqualified'] }),
    notes: text('notes'),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('assistant_prospects', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.assistantId, assistants, 'cascade'),
      ...r.ref(t.conversationId, assistantConversations, 'cascade'),
      // The prospect's conversation is one of the prospect's assistant.
      foreignKey({
        name: 'assistant_prospects_conversation_assistant_fk',
        columns: [t.tenantId, t.conversationId, t.assistantId],
        foreignColumns: [assistantConversations.tenantId, assistantConversations.id, assistantConversations.assistantId],
      }).onDelete('cascade'),
      r.oneOf(t.leadQuality),
      r.listIndex('email', lower(t.email)),
    ];
  },
);
