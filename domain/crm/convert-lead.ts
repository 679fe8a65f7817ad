// Converting a lead: a contact from the lead, its company found (or created) by name, optionally a deal in the
// first stage of the default pipeline, and the lead marked converted. One transaction through the scoped
// layer: a refusal at any step (a missing permission, a record outside the actor's scope) writes nothing.
import { conflict } from '../errors';
import type { Actor, Row, ScopedData, Tx } from '../scoped-data';
import { firstStageOfDefaultPipeline } from './pipelines';

/** The analytics event a conversion is reported as (emitted through `onConverted`). */
export const LEAD_CONVERTED_EVENT = 'lead.converted';

export interface ConvertLeadOptions {
  /** Also open a deal (needs manage_deals); title defaults to the lead's name and company. */
  createDeal?: { title?: string; value?: string | number | null };
  /**
   * Runs inside the conversion's transaction after every write, e.g. to emit the 'lead.converted' analytics
   * event into the outbox; if it throws, the whole conversion is undone.
   */
  onConverted?: (conversion: LeadConversion, context: ConversionContext) => Promise<void>;
}

export interface ConversionContext {
  actor: Actor;
  /** The scoped layer bound to the conversion's transaction. */
  scoped: ScopedData;
  /** The transaction itself, for system writes such as the analytics outbox. */
  tx: Tx;
}

export interface LeadConversion {
  /** The lead as it is now (status 'converted'). */
  lead: Row;
  contact: Row;
  /** null when the lead names no company. */
  company: Row | null;
  companyCreated: boolean;
  deal: Row | null;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

export async function convertLead(data: ScopedData, actor: Actor, leadId: unknown, options: ConvertLeadOptions = {}): Promise<LeadConversion> {
  return data.transaction(actor, async (scoped, tx) => {
    // Locked: two conversions of the same lead at once cannot both pass the check below.
    const lead = await scoped.get(actor, 'leads', leadId, { forUpdate: true });
    if (lead.status === 'converted') throw conflict(`Lead #${String(lead.id)} is already converted`, { status: 'is already converted' });

    const inLead = { workspace_id: lead.workspace_id ?? null, project_id: lead.project_id ?? null };
    const owner = lead.assigned_to_id ?? actor.principal.userId;

    const { company, created: companyCreated } = await companyFor(scoped, actor, lead, inLead);
    const contact = await scoped.create(actor, 'contacts', {
      first_name: lead.first_name,
      last_name: lead.last_name,
      email: lead.email,
      phone: lead.phone ?? null,
      job_title: lead.job_title ?? null,
      company_id: company?.id ?? null,
      assigned_to_id: owner,
      ...inLead,
    });

    let deal: Row | null = null;
    if (options.createDeal) {
      const { stage } = await firstStageOfDefaultPipeline(scoped, actor, lead.workspace_id as number | null);
      const name = `${String(lead.first_name)} ${String(lead.last_name)}`;
      deal = await scoped.create(actor, 'deals', {
        title: text(options.createDeal.title) ?? (company ? `${name} (${String(company.name)})` : name),
        value: options.createDeal.value ?? null,
        stage_id: stage.id,
        contact_id: contact.id,
        company_id: company?.id ?? null,
        assigned_to_id: owner,
        ...inLead,
      });
    }

    const converted = await scoped.update(actor, 'leads', lead.id, { status: 'converted' });
    const conversion: LeadConversion = { lead: converted, contact, company, companyCreated, deal };
    await options.onConverted?.(conversion, { actor, scoped, tx });
    return conversion;
  });
}

/**
 * The company the lead names: one the actor can see with that name (ignoring case), preferring the lead's
 * workspace, then a tenant-wide one, then the oldest; else a new one in the lead's workspace and project.
 */
async function companyFor(
  scoped: ScopedData,
  actor: Actor,
  lead: Row,
  inLead: { workspace_id: unknown; project_id: unknown },
): Promise<{ company: Row | null; created: boolean }> {
  const name = text(lead.company);
  if (!name) return { company: null, created: false };
  const { records } = await scoped.list(actor, 'companies', {
    filters: { name: { equals: name } },
    sortBy: 'id',
    direction: 'asc',
    perPage: 100,
    withTotal: false,
  });
  const rank = (c: Row) => (c.workspace_id === inLead.workspace_id ? 0 : c.workspace_id === null ? 1 : 2);
  const found = [...records].sort((a, b) => rank(a) - rank(b))[0];
  if (found) return { company: found, created: false };
  return { company: await scoped.create(actor, 'companies', { name, ...inLead }), created: true };
}
