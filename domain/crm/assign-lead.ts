// Assigning a lead to a user: who it is for, who assigned it and when. The assignee must be a user the actor
// can read (same tenant, within the actor's view of users); anyone else is a 400, as any unusable reference is.
import { invalid } from '../errors';
import type { Actor, Row, ScopedData } from '../scoped-data';

export async function assignLead(data: ScopedData, actor: Actor, leadId: unknown, userId: unknown): Promise<Row> {
  return data.transaction(actor, async (scoped) => {
    const lead = await scoped.get(actor, 'leads', leadId, { forUpdate: true });
    const message = `No user #${String(userId)} you can assign leads to`;
    // (A malformed id is a 400 from the layer; someone the actor cannot see, or no read on users at all, is one here.)
    const [assignee] = actor.ability.can('read', 'users') ? await scoped.findMany(actor, 'users', [userId]) : [];
    if (!assignee) throw invalid(message, { userId: message });
    return scoped.update(actor, 'leads', lead.id, {
      assigned_to_id: assignee.id,
      assigned_by_id: actor.principal.userId,
      assigned_at: new Date(),
    });
  });
}
