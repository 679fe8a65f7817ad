// assignLead: assigned_to_id, assigned_by_id = the actor, assigned_at = now; the assignee must be a user the
// actor can read.
import { describe, expect, it } from 'vitest';
import { assignLead } from '../../domain/crm';
import { expectRefused } from '../security/helpers';
import { agentWithout, crmWorld, newLead, writesNothing } from './fixture';

const w = crmWorld();

describe('assignLead', () => {
  it('sets the assignee, the actor as assigner and the time, with an audit row', async () => {
    const manager = await w.actor('manager');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id, assigned_by_id: w.acme.users.manager!.id });
    const since = await w.lastAuditId();
    const before = Date.now();

    const result = await assignLead(w.data, manager, lead.id, w.acme.users.agent2!.id);

    const row = await w.one('SELECT * FROM leads WHERE id = $1', [lead.id]);
    expect(row).toMatchObject({ assigned_to_id: w.acme.users.agent2!.id, assigned_by_id: w.acme.users.manager!.id });
    expect((row.assigned_at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((row.assigned_at as Date).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(result).toMatchObject({ id: lead.id, assigned_to_id: w.acme.users.agent2!.id, assigned_by_id: w.acme.users.manager!.id });
    const audit = await w.auditSince(since);
    expect(audit).toEqual([expect.objectContaining({ resource: 'leads', record_id: lead.id, action: 'update', actor_id: w.acme.users.manager!.id })]);
    expect(audit[0]!.before).toMatchObject({ assigned_to_id: w.acme.users.agent!.id });
    expect(audit[0]!.after).toMatchObject({ assigned_to_id: w.acme.users.agent2!.id });
  });

  it('an agent may hand their own lead to a colleague (they stay its assigner, so it stays in their scope)', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    await assignLead(w.data, agent, lead.id, String(w.acme.users.agent2!.id));
    expect(await w.one('SELECT assigned_to_id, assigned_by_id FROM leads WHERE id = $1', [lead.id])).toEqual({
      assigned_to_id: w.acme.users.agent2!.id,
      assigned_by_id: w.acme.users.agent!.id,
    });
  });

  it('an assignee the actor cannot read (another workspace, another tenant, no such user) is a 400', async () => {
    const agent = await w.actor('agent');
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    await writesNothing(w, async () => {
      for (const userId of [w.acme.users.agent3!.id, w.globex.users.agent!.id, 999_999, 'x']) {
        const e = await expectRefused(assignLead(w.data, agent, lead.id, userId), 'invalid');
        expect(e.message).toMatch(/user/);
      }
    });
  });

  it("another tenant's lead is a 404; a lead outside the actor's scope is a 404", async () => {
    const agent = await w.actor('agent');
    const theirs = await newLead(w, { assigned_to_id: w.globex.users.agent!.id, workspace_id: w.globex.workspaces[0] }, w.globex);
    const colleagues = await newLead(w, { assigned_to_id: w.acme.users.agent2!.id });
    await writesNothing(w, async () => {
      await expectRefused(assignLead(w.data, agent, theirs.id, w.acme.users.agent!.id), 'not_found');
      await expectRefused(assignLead(w.data, agent, colleagues.id, w.acme.users.agent!.id), 'not_found');
    });
  });

  it('without manage_leads: 403', async () => {
    const { id, actor } = await agentWithout(w, ['manage_leads']);
    const lead = await newLead(w, { assigned_to_id: id });
    await writesNothing(w, () => expectRefused(assignLead(w.data, actor, lead.id, w.acme.users.agent!.id), 'forbidden'));
  });
});
