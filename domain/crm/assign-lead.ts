// Assigning a lead to a user: who it is for, who assigned it and when. The assignee must be one the actor may
// assign to (assignableUsers): a user the actor can read, of the lead's workspace (or the actor's), and
//  - below level 3 (own or team records): of the actor's team, their manager tree (themselves and everyone
//    below them). A front-line user with no one below them hands work to their colleagues: their manager's
//    tree at or below their own level (so an agent never assigns upwards, nor to another manager's agents);
//  - at level 3 and above (all records of their workspace): anyone in that workspace.
// Anyone else is a 400 naming why, as any unusable reference is.
import { invalid } from '../errors';
import type { Actor, Row, ScopedData } from '../scoped-data';

type Scoped = Parameters<Parameters<ScopedData['transaction']>[1]>[0];

export interface Assignee {
  id: number;
  name: string;
  level: number;
}

/** From this level up a user sees every record of their workspace, so they may assign to anyone in it. */
export const ASSIGN_ANYONE_LEVEL = 3;

const fullName = (u: Row) => [u.first_name, u.last_name].filter(Boolean).join(' ') || String(u.username);

/** `root` and everyone below them in the manager tree, from the users the actor can read. */
function treeOf(root: number, users: Row[]): Set<number> {
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of users) {
      if (u.manager_id == null || !tree.has(u.manager_id as number) || tree.has(u.id as number)) continue;
      tree.add(u.id as number);
      grew = true;
    }
  }
  return tree;
}

/** The users this actor's team is made of (see the header): a filter over the users they can read. */
function teamFilter(actor: Actor, users: Row[]): (u: Row, level: number) => boolean {
  const { principal } = actor;
  if (principal.level >= ASSIGN_ANYONE_LEVEL) return () => true;
  if (principal.teamIds.length > 1) return (u) => principal.teamIds.includes(u.id as number);
  const managerId = users.find((u) => u.id === principal.userId)?.manager_id as number | null | undefined;
  const colleagues = managerId == null ? new Set([principal.userId]) : treeOf(managerId, users);
  return (u, level) => u.id === principal.userId || (colleagues.has(u.id as number) && level <= principal.level);
}

/** Who the actor may hand this lead to, front line (lowest level) first, then by full name. */
async function assignable(scoped: Scoped, actor: Actor, lead: Row): Promise<Assignee[]> {
  if (!actor.ability.can('read', 'users')) return [];
  const { records: users } = await scoped.list(actor, 'users', { perPage: 500, withTotal: false });
  const { records: roles } = await scoped.list(actor, 'roles', { perPage: 500, withTotal: false }).catch(() => ({ records: [] as Row[] }));
  const levelOf = new Map(roles.map((r) => [r.id, Number(r.level)]));
  const workspace = (lead.workspace_id ?? actor.principal.workspaceId) as number | null;
  const inTeam = teamFilter(actor, users);
  return users
    .map((u) => ({ u, level: levelOf.get(u.role_id) ?? Number.MAX_SAFE_INTEGER }))
    .filter(({ u, level }) => (workspace === null || u.workspace_id === workspace || u.workspace_id === null) && inTeam(u, level))
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
      const why =
        actor.principal.level >= ASSIGN_ANYONE_LEVEL
          ? `${fullName(assignee)} is not someone you can assign this lead to: they work in another workspace`
          : `${fullName(assignee)} is not someone you can assign this lead to: only your team in the lead's workspace (you and the people below you; for the front line, your colleagues)`;
      throw invalid(why, { userId: why });
    }
    return scoped.update(actor, 'leads', lead.id, {
      assigned_to_id: assignee.id,
      assigned_by_id: actor.principal.userId,
      assigned_at: new Date(),
    });
  });
}
