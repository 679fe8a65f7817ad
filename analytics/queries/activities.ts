// Activities per user and per team, for the activities created in the range (default 30 days) that the actor
// may see: totals by status and overdue (planned or in progress, due before today, UTC). `by=team`: one row per
// user who manages someone, summing their whole team (everyone below them in the manager tree, and themselves).
import { sql } from 'drizzle-orm';
import type { Actor, ScopedData } from '../../domain/scoped-data';
import type { QueryResult, ResultRow } from './common';
import { inActorTenant, scoped, select, type CrmFilter } from './crm';

export interface ActivitiesParams extends CrmFilter {
  by: 'user' | 'team';
}

const MEASURES = ['total', 'completed', 'planned', 'in_progress', 'cancelled', 'overdue'] as const;
type Counts = Record<(typeof MEASURES)[number], number>;

export async function activitiesReport(data: ScopedData, actor: Actor, p: ActivitiesParams): Promise<QueryResult> {
  const { perUser, users } = await inActorTenant(data, actor, async (tx) => ({
    perUser: await select<Counts & { user_id: number | null }>(
      tx,
      sql`SELECT activities.user_id, count(*)::int AS total,
                 count(*) FILTER (WHERE activities.status = 'completed')::int AS completed,
                 count(*) FILTER (WHERE activities.status = 'planned')::int AS planned,
                 count(*) FILTER (WHERE activities.status = 'in_progress')::int AS in_progress,
                 count(*) FILTER (WHERE activities.status = 'cancelled')::int AS cancelled,
                 count(*) FILTER (WHERE activities.status IN ('planned', 'in_progress') AND activities.due_date < (now() AT TIME ZONE 'UTC')::date)::int AS overdue
          FROM activities WHERE ${scoped(data, actor, 'activities', p)}
          GROUP BY activities.user_id ORDER BY total DESC, activities.user_id`,
    ),
    // Names and the manager tree, as labels (row-level security keeps them to the tenant).
    users: await select<{ id: number; username: string; name: string; manager_id: number | null }>(
      tx,
      sql`SELECT id, username, first_name || ' ' || last_name AS name, manager_id FROM users`,
    ),
  }));
  const byId = new Map(users.map((u) => [u.id, u]));
  if (p.by === 'user') {
    return {
      rows: perUser.map((r) => ({
        user_id: r.user_id,
        username: r.user_id === null ? null : (byId.get(r.user_id)?.username ?? null),
        name: r.user_id === null ? 'Unassigned' : (byId.get(r.user_id)?.name ?? null),
        ...Object.fromEntries(MEASURES.map((m) => [m, r[m]])),
      })),
    };
  }
  const counts = new Map(perUser.filter((r) => r.user_id !== null).map((r) => [r.user_id!, r]));
  const reports = new Map<number, number[]>();
  for (const u of users) if (u.manager_id !== null) reports.set(u.manager_id, [...(reports.get(u.manager_id) ?? []), u.id]);
  const rows: ResultRow[] = [];
  for (const lead of users.filter((u) => reports.has(u.id)).sort((a, b) => a.id - b.id)) {
    const team = new Set<number>([lead.id]);
    for (const id of team) for (const r of reports.get(id) ?? []) team.add(r);
    const row: ResultRow = { team_lead_id: lead.id, team_lead: lead.username, members: team.size };
    for (const m of MEASURES) row[m] = [...team].reduce((s, id) => s + (counts.get(id)?.[m] ?? 0), 0);
    rows.push(row);
  }
  return { rows };
}
