// completeActivity: status completed, completed_date today (UTC), idempotent.
import { describe, expect, it } from 'vitest';
import { completeActivity } from '../../domain/crm';
import { expectRefused } from '../security/helpers';
import { agentWithout, crmWorld, writesNothing } from './fixture';

const w = crmWorld();

describe('completeActivity', () => {
  const plannedOf = async (username: string) =>
    w.insert('activities', {
      subject: 'Call back',
      status: 'planned',
      due_date: '2026-10-05',
      user_id: w.acme.users[username]!.id,
      workspace_id: w.acme.workspaces[0],
      tenant_id: w.acme.id,
    });

  it("sets status completed and today's UTC date; a second call changes nothing and writes no audit row", async () => {
    const agent = await w.actor('agent');
    const activity = await plannedOf('agent');
    const since = await w.lastAuditId();
    // Just before midnight in UTC+14 is still the previous day in UTC.
    const now = new Date('2026-10-07T23:30:00Z');

    const done = await completeActivity(w.data, agent, activity.id, now);
    expect(done).toMatchObject({ id: activity.id, status: 'completed', completed_date: '2026-10-07' });
    expect(await w.one('SELECT status, completed_date FROM activities WHERE id = $1', [activity.id])).toEqual({
      status: 'completed',
      completed_date: '2026-10-07',
    });
    const audit = await w.auditSince(since);
    expect(audit).toEqual([expect.objectContaining({ resource: 'activities', record_id: activity.id, action: 'update', actor_id: w.acme.users.agent!.id })]);

    await writesNothing(w, async () => {
      const again = await completeActivity(w.data, agent, activity.id, new Date('2026-10-09T10:00:00Z'));
      expect(again).toMatchObject({ status: 'completed', completed_date: '2026-10-07' });
    });
  });

  it('defaults to the current UTC date', async () => {
    const agent = await w.actor('agent');
    const activity = await plannedOf('agent');
    const today = new Date().toISOString().slice(0, 10);
    const done = await completeActivity(w.data, agent, activity.id);
    // (Around midnight UTC the date may have turned during the call.)
    expect([today, new Date().toISOString().slice(0, 10)]).toContain(done.completed_date);
  });

  it("another tenant's activity or one outside the scope is a 404; without manage_activities a 403", async () => {
    const agent = await w.actor('agent');
    const colleagues = await plannedOf('agent2');
    const theirs = await w.insert('activities', { subject: 'Theirs', user_id: w.globex.users.agent!.id, tenant_id: w.globex.id });
    const { id, actor } = await agentWithout(w, ['manage_activities']);
    const own = await plannedOf('agent');
    await w.db.pool.query('UPDATE activities SET user_id = $2 WHERE id = $1', [own.id, id]);
    await writesNothing(w, async () => {
      await expectRefused(completeActivity(w.data, agent, theirs.id), 'not_found');
      await expectRefused(completeActivity(w.data, agent, colleagues.id), 'not_found');
      await expectRefused(completeActivity(w.data, actor, own.id), 'forbidden');
    });
  });
});
