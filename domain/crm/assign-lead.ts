// Assigning a lead to a user: who it is for, who assigned it and when. The assignee must be one the actor may
// assign to (assignableUsers): a user the actor can read, of the lead's workspace (or the actor's), at or below
// the actor's level. Anyone else is a 400, as any unusable reference is.
import { invalid } from '../errors';
import type { Actor, Row, ScopedData } from '../scoped-data';

type Scoped = Parameters<Parameters<ScopedData['transaction']>[1]>[0];

export interface Assignee {
  id: number;
  name: string;
  level: number;
}

const fullName = (u: Row) => [u.first_name, u.last_name].filter(Boolean).join(' ') || String(u.username);

/** Who the actor may hand this lead to, front line (lowest level) first, then by full name. */
async function assignable(scoped: Scoped, actor: Actor, lead: Row): Promise<Assignee[]> {
  if (!actor.ability.can('read', 'users')) return [];
  const { records: users } = await scoped.list(actor, 'users', { perPage: 500, withTotal: false });
  const { records: roles } = await scoped.list(actor, 'roles', { perPage: 500, withTotal: false }).catch(() => ({ records: [] as Row[] }));
  const levelOf = new Map(roles.map((r) => [r.id, Number(r.level)]));
  const workspace = (lead.workspace_id ?? actor.principal.workspaceId) as number | null;
  return users
    .map((u) => ({ u, level: levelOf.get(u.role_id) ?? Number.MAX_SAFE_INTEGER }))
    .filter(({ u, level }) => (workspace === null || u.workspace_id === workspace || u.workspace_id === null) && level <= actor.principal.level)
    .map(({ u, level }) => ({ id: u.id as number, name: fullName(u), level }))
    .sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
}

export async function assignableUsers(data: ScopedData, actor: Actor, leadId: unknown): Promise<Assignee[]> {
  return data.transaction(actor, async (scoped) => assignable(scoped, actor, await scoped.get(actor, 'leads', leadId)));
}

export async function assignLead(data: ScopedData, actor: Actor, leadId: unknown, userId: unknown): Promise<Row> {
  return data.transaction(actor, async (scoped) => {
    const lead = await scoped.get(actor, 'leads', leadId, { forUpdate: true });
    const message = `No user #${String(userId)} you can assign leads to`;
    // (A malformed id is a 400 from the layer; someone the actor cannot see, or no read on users at all, is one here.)
    const [assignee] = actor.ability.can('read', 'users') ? await scoped.findMany(actor, 'users', [userId]) : [];
    if (!assignee) throw invalid(message, { userId: message });
    if (!(await assignable(scoped, actor, lead)).some((u) => u.id === assignee.id)) {
      const why = `${fullName(assignee)} is not someone you can assign this lead to (another workspace, or above your level)`;
      throw invalid(why, { userId: why });
    }
    return scoped.update(actor, 'leads', lead.id, {
      assigned_to_id: assignee.id,
      assigned_by_id: actor.principal.userId,
      assigned_at: new Date(),
    });
  });
}
