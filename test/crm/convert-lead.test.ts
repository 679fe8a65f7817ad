// convertLead: contact, company (found by name or created), optional deal in the default pipeline's first
// stage, lead marked converted; one transaction, so every refusal (including one in the middle) writes nothing.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { convertLead } from '../../domain/crm';
import { expectRefused } from '../security/helpers';
import { agentWithout, crmWorld, newLead, writesNothing } from './fixture';

const w = crmWorld();
const ws = () => w.acme.workspaces[0]!;

describe('convertLead', () => {
  it('creates the contact from the lead, links the visible company with that name (any case) and marks the lead converted', async () => {
    const agent = await w.actor('agent');
    const project = await w.one('SELECT id FROM projects WHERE tenant_id = $1 AND workspace_id = $2 ORDER BY id LIMIT 1', [w.acme.id, ws()]);
    const company = await w.one(`SELECT * FROM companies WHERE tenant_id = $1 AND name = 'Northwind Traders'`, [w.acme.id]);
    const lead = await newLead(w, { company: 'NORTHWIND traders', assigned_to_id: w.acme.users.agent!.id, project_id: project.id });
    const since = await w.lastAuditId();
    const companies = (await w.one('SELECT count(*)::int AS n FROM companies')).n;

    const result = await convertLead(w.data, agent, lead.id);

    const contact = await w.one('SELECT * FROM contacts WHERE id = $1', [result.contact.id]);
    expect(contact).toMatchObject({
      first_name: lead.first_name,
      last_name: lead.last_name,
      email: lead.email,
      phone: lead.phone,
      job_title: lead.job_title,
      company_id: company.id,
      assigned_to_id: w.acme.users.agent!.id,
      workspace_id: ws(),
      project_id: project.id,
      tenant_id: w.acme.id,
    });
    expect(result).toMatchObject({ companyCreated: false, deal: null, company: { id: company.id }, lead: { id: lead.id, status: 'converted' } });
    expect((await w.one('SELECT status FROM leads WHERE id = $1', [lead.id])).status).toBe('converted');
    expect((await w.one('SELECT count(*)::int AS n FROM companies')).n).toBe(companies);

    const audit = await w.auditSince(since);
    expect(audit.map((a) => [a.resource, a.action, a.record_id])).toEqual([
      ['contacts', 'create', contact.id],
      ['leads', 'update', lead.id],
    ]);
    expect(audit.every((a) => a.actor_id === w.acme.users.agent!.id && a.tenant_id === w.acme.id)).toBe(true);
    expect(audit[1]!.before).toMatchObject({ status: 'qualified' });
    expect(audit[1]!.after).toMatchObject({ status: 'converted' });
  });

  it('creates the company when no company with that name is visible (one in another workspace does not count)', async () => {
    const agent = await w.actor('agent');
    // Contoso Manufacturing exists, but in the other workspace: the agent cannot see it.
    const other = await w.one(`SELECT id, workspace_id FROM companies WHERE tenant_id = $1 AND name = 'Contoso Manufacturing'`, [w.acme.id]);
    expect(other.workspace_id).not.toBe(ws());
    const lead = await newLead(w, { company: '  Contoso Manufacturing ', assigned_to_id: w.acme.users.agent!.id });
    const since = await w.lastAuditId();

    const result = await convertLead(w.data, agent, lead.id);

    expect(result.companyCreated).toBe(true);
    expect(result.company!.id).not.toBe(other.id);
    const company = await w.one('SELECT * FROM companies WHERE id = $1', [result.company!.id]);
    expect(company).toMatchObject({ name: 'Contoso Manufacturing', workspace_id: ws(), project_id: null, tenant_id: w.acme.id });
    expect((await w.one('SELECT company_id FROM contacts WHERE id = $1', [result.contact.id])).company_id).toBe(company.id);
    const audit = await w.auditSince(since);
    expect(audit.map((a) => [a.resource, a.action])).toEqual([
      ['companies', 'create'],
      ['contacts', 'create'],
      ['leads', 'update'],
    ]);
  });

  it('a lead without a company gives a contact without one; an unassigned lead gives a contact owned by the actor', async () => {
    const director = await w.actor('director');
    const lead = await newLead(w, { company: null, assigned_to_id: null, phone: null, job_title: null });
    const result = await convertLead(w.data, director, lead.id);
    expect(result.company).toBeNull();
    const contact = await w.one('SELECT * FROM contacts WHERE id = $1', [result.contact.id]);
    expect(contact).toMatchObject({ company_id: null, assigned_to_id: w.acme.users.director!.id, phone: null, job_title: null, workspace_id: ws() });
  });

  it('opens a deal in the first stage (lowest order) of the default pipeline', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    const since = await w.lastAuditId();

    const result = await convertLead(w.data, agent, lead.id, { createDeal: { title: 'Big drill order', value: '1234.50' } });

    const first = await w.one(
      `SELECT s.id FROM sales_stages s JOIN sales_pipelines p ON p.id = s.sale_pipeline_id
        WHERE p.tenant_id = $1 AND p.is_default AND p.workspace_id IS NULL ORDER BY s."order" LIMIT 1`,
      [w.acme.id],
    );
    const deal = await w.one('SELECT * FROM deals WHERE id = $1', [result.deal!.id]);
    expect(deal).toMatchObject({
      title: 'Big drill order',
      value: '1234.50',
      stage_id: first.id,
      contact_id: result.contact.id,
      company_id: result.company!.id,
      assigned_to_id: w.acme.users.agent!.id,
      workspace_id: ws(),
      probability: null,
      tenant_id: w.acme.id,
    });
    const audit = await w.auditSince(since);
    expect(audit.map((a) => a.resource)).toEqual(['companies', 'contacts', 'deals', 'leads']);
  });

  it('names the deal after the lead and its company when no title is given', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id, first_name: 'Nora', last_name: 'Quist', company: 'Quist Bakery' });
    const result = await convertLead(w.data, agent, lead.id, { createDeal: {} });
    expect((await w.one('SELECT title, value FROM deals WHERE id = $1', [result.deal!.id]))).toEqual({ title: 'Nora Quist (Quist Bakery)', value: null });
  });

  it("prefers the default pipeline of the lead's workspace over the tenant-wide one", async () => {
    const g = w.globex;
    const agent = await w.actor('agent', g);
    const pipeline = await w.insert('sales_pipelines', { title: 'EMEA pipeline', is_default: true, workspace_id: g.workspaces[0], tenant_id: g.id });
    // Inserted out of order: the first stage is the one with the lowest order, not the lowest id.
    await w.insert('sales_stages', { sale_pipeline_id: pipeline.id, title: 'Later', order: 7, workspace_id: g.workspaces[0], tenant_id: g.id });
    const first = await w.insert('sales_stages', { sale_pipeline_id: pipeline.id, title: 'First', order: 2, workspace_id: g.workspaces[0], tenant_id: g.id });
    const lead = await newLead(w, { assigned_to_id: g.users.agent!.id, workspace_id: g.workspaces[0] }, g);

    const result = await convertLead(w.data, agent, lead.id, { createDeal: { value: 10 } });
    expect((await w.one('SELECT stage_id, value FROM deals WHERE id = $1', [result.deal!.id]))).toEqual({ stage_id: first.id, value: '10.00' });
  });

  it('hands the conversion to onConverted inside the same transaction (the analytics hook)', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    let seen: unknown;
    const inside: Record<string, unknown> = {};
    const result = await convertLead(w.data, agent, lead.id, {
      onConverted: async (conversion, { tx }) => {
        seen = conversion;
        // What the analytics outbox will do: a row written by the same transaction.
        await tx.execute(sql`INSERT INTO events (event_name, user_id, tenant_id, event_properties)
          VALUES ('lead.converted', ${agent.principal.userId}, ${w.acme.id}, ${JSON.stringify({ lead_id: lead.id })}::jsonb)`);
        // The transaction sees the conversion; nobody else does yet.
        inside.tx = ((await tx.execute(sql`SELECT status FROM leads WHERE id = ${lead.id}`)).rows[0] as { status: string }).status;
        inside.others = (await w.one('SELECT status FROM leads WHERE id = $1', [lead.id])).status;
      },
    });
    expect(seen).toBe(result);
    expect(inside).toEqual({ tx: 'converted', others: 'qualified' });
    const events = await w.rows(`SELECT user_id FROM events WHERE event_name = 'lead.converted' AND event_properties->>'lead_id' = $1`, [String(lead.id)]);
    expect(events).toEqual([{ user_id: agent.principal.userId }]);
  });
});

describe('convertLead refusals write nothing', () => {
  it('converting a converted lead is a 409', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    await convertLead(w.data, agent, lead.id, { createDeal: {} });
    await writesNothing(w, async () => {
      const e = await expectRefused(convertLead(w.data, agent, lead.id, { createDeal: {} }), 'conflict');
      expect(e.message).toMatch(/already converted/);
    });
  });

  it("another tenant's lead is a 404, and so is a lead of the same tenant outside the actor's scope", async () => {
    const agent = await w.actor('agent');
    const theirs = await newLead(w, { assigned_to_id: w.globex.users.agent!.id, workspace_id: w.globex.workspaces[0] }, w.globex);
    const colleagues = await newLead(w, { assigned_to_id: w.acme.users.agent2!.id });
    await writesNothing(w, async () => {
      await expectRefused(convertLead(w.data, agent, theirs.id, { createDeal: {} }), 'not_found');
      await expectRefused(convertLead(w.data, agent, colleagues.id), 'not_found');
      await expectRefused(convertLead(w.data, agent, 'nope'), 'invalid');
    });
  });

  it('without manage_contacts: 403', async () => {
    const { id, actor } = await agentWithout(w, ['manage_contacts']);
    const lead = await newLead(w, { assigned_to_id: id });
    await writesNothing(w, () => expectRefused(convertLead(w.data, actor, lead.id), 'forbidden'));
  });

  it('without manage_deals, asking for a deal: 403 after the company and contact were written, all rolled back', async () => {
    const { id, actor } = await agentWithout(w, ['manage_deals']);
    const lead = await newLead(w, { assigned_to_id: id, company: 'Rollback Industries' });
    await writesNothing(w, async () => {
      const e = await expectRefused(convertLead(w.data, actor, lead.id, { createDeal: { title: 'Never' } }), 'forbidden');
      expect(e.message).toMatch(/deals/);
    });
    expect((await w.one(`SELECT count(*)::int AS n FROM companies WHERE name = 'Rollback Industries'`)).n).toBe(0);
    // Without a deal the same user converts the lead.
    const result = await convertLead(w.data, actor, lead.id);
    expect(result.deal).toBeNull();
  });

  it('without manage_leads (the lead is still readable through view_own_data): 403 at the last step, all rolled back', async () => {
    const { id, actor } = await agentWithout(w, ['manage_leads']);
    const lead = await newLead(w, { assigned_to_id: id });
    await writesNothing(w, () => expectRefused(convertLead(w.data, actor, lead.id, { createDeal: {} }), 'forbidden'));
  });

  it('a bad deal value is a 400 naming the field', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    await writesNothing(w, async () => {
      const e = await expectRefused(convertLead(w.data, agent, lead.id, { createDeal: { value: 'lots' } }), 'invalid');
      expect(e.fields.value).toBeDefined();
    });
  });

  it('no default pipeline (workspace or tenant-wide): a clear 409, nothing written; without a deal it converts', async () => {
    const g = w.globex;
    const agent = await w.actor('agent', g);
    const lead = await newLead(w, { assigned_to_id: g.users.agent!.id, workspace_id: g.workspaces[1] }, g);
    const defaults = await w.rows('SELECT id FROM sales_pipelines WHERE tenant_id = $1 AND is_default', [g.id]);
    await w.db.pool.query('UPDATE sales_pipelines SET is_default = false WHERE tenant_id = $1', [g.id]);
    try {
      // (The agent's own workspace is the first one; the lead of the second is not theirs to see.)
      await w.db.pool.query('UPDATE leads SET workspace_id = $2 WHERE id = $1', [lead.id, g.workspaces[0]]);
      await writesNothing(w, async () => {
        const e = await expectRefused(convertLead(w.data, agent, lead.id, { createDeal: {} }), 'conflict');
        expect(e.message).toMatch(/no default sales pipeline/i);
      });
      expect((await convertLead(w.data, agent, lead.id)).deal).toBeNull();
    } finally {
      await w.db.pool.query('UPDATE sales_pipelines SET is_default = true WHERE id = ANY($1::int[])', [defaults.map((d) => d.id)]);
    }
  });

  it('a default pipeline without stages: a clear 409', async () => {
    const g = w.globex;
    const agent = await w.actor('agent', g);
    const lead = await newLead(w, { assigned_to_id: g.users.agent!.id, workspace_id: g.workspaces[0] }, g);
    const defaults = await w.rows('SELECT id FROM sales_pipelines WHERE tenant_id = $1 AND is_default', [g.id]);
    await w.db.pool.query('UPDATE sales_pipelines SET is_default = false WHERE tenant_id = $1', [g.id]);
    const empty = await w.insert('sales_pipelines', { title: 'Empty', is_default: true, tenant_id: g.id });
    try {
      await writesNothing(w, async () => {
        const e = await expectRefused(convertLead(w.data, agent, lead.id, { createDeal: {} }), 'conflict');
        expect(e.message).toMatch(/has no stages/);
      });
    } finally {
      await w.db.pool.query('DELETE FROM sales_pipelines WHERE id = $1', [empty.id]);
      await w.db.pool.query('UPDATE sales_pipelines SET is_default = true WHERE id = ANY($1::int[])', [defaults.map((d) => d.id)]);
    }
  });

  it('a failing onConverted hook undoes the conversion', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    await writesNothing(w, () =>
      expect(convertLead(w.data, agent, lead.id, { createDeal: {}, onConverted: async () => Promise.reject(new Error('outbox down')) })).rejects.toThrow(
        'outbox down',
      ),
    );
  });

  it('two conversions of the same lead at once: one wins, the other is a 409', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    const contacts = (await w.one('SELECT count(*)::int AS n FROM contacts')).n;
    const outcomes = await Promise.allSettled([convertLead(w.data, agent, lead.id), convertLead(w.data, agent, lead.id)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: 'conflict' });
    expect((await w.one('SELECT count(*)::int AS n FROM contacts')).n).toBe(contacts + 1);
  });
});
