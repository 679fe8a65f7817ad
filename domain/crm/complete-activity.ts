// Marking an activity done: status 'completed' and today's date (UTC). Idempotent: an activity already
// completed keeps its completion date and is not written again (no audit row either).
import type { Actor, Row, ScopedData } from '../scoped-data';

export async function completeActivity(data: ScopedData, actor: Actor, activityId: unknown, now: Date = new Date()): Promise<Row> {
  return data.transaction(actor, async (scoped) => {
    const activity = await scoped.get(actor, 'activities', activityId, { forUpdate: true });
    if (activity.status === 'completed') return activity;
    return scoped.update(actor, 'activities', activity.id, { status: 'completed', completed_date: now.toISOString().slice(0, 10) });
  });
}
