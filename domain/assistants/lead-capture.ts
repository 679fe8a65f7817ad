// A visitor's lead form: a prospect of the assistant, the conversation marked lead_captured and, when the assistant
// is set to (creates_leads), a lead in the CRM with source 'assistant', assigned by the tenant's rule below.
// Runs inside the assistant's tenant (ScopedData.inTenant with no user: row-level security applies, the writes are
// the system's and carry no actor in the audit log).
//
// Lead quality, from what the visitor gave and said: one point each for a company, a phone number, an address at
// a company domain (not a free mail provider) and buying intent in the conversation (a quote, a price, a demo...).
// 3-4 points: hot; 2: warm; 1: cold; 0: unqualified. The CRM lead's score follows: 80, 50, 20, 5.
//
// Who gets the lead (the tenant's assignment rule): the front line of the assistant's workspace, else of the tenant.
//   - Candidates: the users of the workspace assistant's workspace; for a tenant assistant (or a workspace without
//     users), all users of the tenant. Among them, those of the lowest role level (the agents, with the default roles).
//   - Round robin by least recently assigned: the candidate whose latest leads.assigned_at is the oldest (never
//     assigned first), ties by user id. Deterministic, needs no state of its own, and stays fair when people join,
//     leave or get leads assigned by hand.
//   - Captures in one tenant are serialized (a transaction-level advisory lock), so two at the same moment do not
//     both go to the same person.
//   - A lead with the same email (ignoring case) that is not yet converted is reused: no duplicate lead, and the
//     prospect's notes name it.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { assistantConversations, assistantMessages, assistantProspects, leads } from '../../schema';
import type { Tx } from '../scoped-data';
import { BUYING_INTENT } from './providers';
import type { LeadDetails } from './payload';

export type LeadQuality = 'hot' | 'warm' | 'cold' | 'unqualified';
export const LEAD_SCORE: Record<LeadQuality, number> = { hot: 80, warm: 50, cold: 20, unqualified: 5 };

const FREE_MAIL = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'icloud.com',
  'me.com', 'aol.com', 'gmx.de', 'gmx.net', 'web.de', 'proton.me', 'protonmail.com', 'mail.com', 'yandex.ru', 'wp.pl', 'o2.pl', 'zoho.com',
]);

export function leadQuality(lead: LeadDetails, visitorSaid: string[]): LeadQuality {
  const domain = lead.email.split('@')[1]?.toLowerCase() ?? '';
  const points = [
    Boolean(lead.company),
    Boolean(lead.phone),
    domain !== '' && !FREE_MAIL.has(domain),
    visitorSaid.some((m) => BUYING_INTENT.test(m)),
  ].filter(Boolean).length;
  return points >= 3 ? 'hot' : points === 2 ? 'warm' : points === 1 ? 'cold' : 'unqualified';
}

/** The next user to get a lead from this assistant (see the rule above), or null in a tenant without users. */
export async function nextAssignee(tx: Tx, tenantId: number, workspaceId: number | null): Promise<number | null> {
  const pick = async (workspace: number | null) => {
    const { rows } = await tx.execute(sql`
      WITH candidates AS (
        SELECT u.id, r.level FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
        WHERE u.tenant_id = ${tenantId} AND (${workspace}::integer IS NULL OR u.workspace_id = ${workspace}::integer)
      ), front AS (SELECT id FROM candidates WHERE level = (SELECT min(level) FROM candidates))
      SELECT f.id FROM front f
      ORDER BY (SELECT max(l.assigned_at) FROM leads l WHERE l.tenant_id = ${tenantId} AND l.assigned_to_id = f.id) ASC NULLS FIRST, f.id
      LIMIT 1`);
    return (rows[0] as { id: number } | undefined)?.id ?? null;
  };
  return (workspaceId !== null ? await pick(workspaceId) : null) ?? pick(null);
}

export interface CaptureContext {
  tenantId: number;
  assistant: { id: number; name: string; workspaceId: number | null; createsLeads: boolean };
  conversationId: number;
}

export interface Capture {
  prospectId: number;
  quality: LeadQuality;
  /** The CRM lead created or reused; null when the assistant does not create leads. */
  leadId: number | null;
  leadCreated: boolean;
  assignedToId: number | null;
}

const splitName = (name: string) => {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1 ? { firstName: parts.slice(0, -1).join(' '), lastName: parts.at(-1)! } : { firstName: parts[0]!, lastName: '-' };
};

/** `note`: what the visitor wrote on the form, if anything. */
export async function captureLead(tx: Tx, ctx: CaptureContext, lead: LeadDetails, note: string | null = null): Promise<Capture> {
  const { tenantId, assistant, conversationId } = ctx;
  // One capture at a time per tenant: the assignment reads and then writes who was assigned last.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('epesi.assistant_lead_capture'), ${tenantId})`);

  const said = await tx
    .select({ content: assistantMessages.content, type: assistantMessages.messageType })
    .from(assistantMessages)
    .where(and(eq(assistantMessages.tenantId, tenantId), eq(assistantMessages.conversationId, conversationId), eq(assistantMessages.role, 'user')))
    .orderBy(asc(assistantMessages.createdAt), asc(assistantMessages.id));
  const quality = leadQuality(lead, [...said.filter((m) => m.type === 'text').map((m) => m.content), ...(note ? [note] : [])]);
  const question = said.find((m) => m.type === 'text')?.content ?? note ?? undefined;

  let leadId: number | null = null;
  let leadCreated = false;
  let assignedToId: number | null = null;
  if (assistant.createsLeads) {
    const [existing] = await tx
      .select({ id: leads.id, assignedToId: leads.assignedToId })
      .from(leads)
      .where(and(eq(leads.tenantId, tenantId), sql`lower(${leads.email}) = lower(${lead.email})`, sql`${leads.status} <> 'converted'`))
      .orderBy(desc(leads.createdAt), desc(leads.id))
      .limit(1);
    if (existing) {
      leadId = existing.id;
      assignedToId = existing.assignedToId;
    } else {
      assignedToId = await nextAssignee(tx, tenantId, assistant.workspaceId);
      const [created] = await tx
        .insert(leads)
        .values({
          ...splitName(lead.name),
          email: lead.email,
          phone: lead.phone,
          company: lead.company,
          source: 'assistant',
          status: 'new',
          score: LEAD_SCORE[quality],
          notes: [`Captured by the assistant "${assistant.name}" (conversation #${conversationId}); lead quality: ${quality}.`, question ? `Asked: ${question}` : '']
            .filter(Boolean)
            .join('\n'),
          assignedToId,
          assignedAt: assignedToId === null ? null : sql`now()`,
          workspaceId: assistant.workspaceId,
          tenantId,
        })
        .returning({ id: leads.id });
      leadId = created!.id;
      leadCreated = true;
    }
  }

  const notes = [question ? `Asked: ${question}` : '', leadId !== null ? `CRM lead #${leadId}${leadCreated ? '' : ' (already in the CRM)'}` : '']
    .filter(Boolean)
    .join('\n') || null;
  const values = { email: lead.email, name: lead.name, company: lead.company, phone: lead.phone, source: 'website_chat', leadQuality: quality, notes };
  // One prospect per conversation: a second form in the same conversation updates it.
  const [prior] = await tx
    .select({ id: assistantProspects.id })
    .from(assistantProspects)
    .where(and(eq(assistantProspects.tenantId, tenantId), eq(assistantProspects.conversationId, conversationId)))
    .limit(1);
  const [prospect] = prior
    ? await tx.update(assistantProspects).set(values).where(and(eq(assistantProspects.tenantId, tenantId), eq(assistantProspects.id, prior.id))).returning({ id: assistantProspects.id })
    : await tx.insert(assistantProspects).values({ ...values, assistantId: assistant.id, conversationId, tenantId }).returning({ id: assistantProspects.id });

  await tx
    .update(assistantConversations)
    .set({ leadCaptured: true, visitorEmail: lead.email, visitorName: lead.name, visitorCompany: lead.company })
    .where(and(eq(assistantConversations.tenantId, tenantId), eq(assistantConversations.id, conversationId)));

  return { prospectId: prospect!.id, quality, leadId, leadCreated, assignedToId };
}
