// The home page per role: a few figures of the signed-in user's work, each counted through the scoped data
// layer with exactly the filters of the back-office list it links to. One definition (resource + filters in
// the AdminJS list's own form) gives both the number and the link, so the two cannot drift apart.
//
// "Open", "won": a deal's outcome is its probability (100 won, 0 lost, anything between still open), as the
// analytics headlines and the assistant's intents read it. An activity is open while planned or in progress.
import { DomainError } from './errors';
import type { Actor, FilterValue, ScopedData } from './scoped-data';

/** A list filter as the AdminJS list URL carries it: one value, or a range (both ends inclusive). */
export type ListFilter = string | { from?: string; to?: string };

export interface FigureDef {
  label: string;
  resource: string;
  filters: Record<string, ListFilter>;
  /** Also the sum of this number field over the same records (a deal's value). */
  sumOf?: string;
}

export interface Figure extends FigureDef {
  count: number;
  sum?: string;
  href: string;
}

export interface HomeSection {
  title: string;
  figures: Figure[];
}

/** A section before it is measured. */
interface Plan {
  title: string;
  /** To be measured one by one, or measured already (a grouped tally). */
  figures: FigureDef[] | Figure[];
  /** Show only the figures above zero. */
  nonZero?: boolean;
}

export interface Home {
  role: 'agent' | 'manager' | 'director' | 'admin';
  sections: HomeSection[];
  /** Those who may see the analytics dashboards (directors; managers their team's). */
  analytics?: string;
}

export const OPEN_DEAL: Record<string, ListFilter> = { probability: { from: '1', to: '99' } };
export const WON_DEAL: Record<string, ListFilter> = { probability: '100' };
const OPEN_ACTIVITY_STATES = [
  ['planned', 'not started'],
  ['in_progress', 'in progress'],
] as const;

const DAY = 86_400_000;
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (now: Date, back = 0) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
/** A month as a date range (the last day inclusive) or a timestamp range (its last millisecond inclusive). */
const monthOf = (now: Date, back: number, kind: 'date' | 'time') => {
  const from = monthStart(now, back);
  const end = new Date(monthStart(now, back - 1).getTime() - (kind === 'date' ? DAY : 1));
  return kind === 'date' ? { from: ymd(from), to: ymd(end) } : { from: from.toISOString(), to: end.toISOString() };
};
const lastDays = (now: Date, days: number) => ({ from: new Date(now.getTime() - days * DAY).toISOString() });

/** The AdminJS list of exactly these records. */
export function listHref(resource: string, filters: Record<string, ListFilter>): string {
  const p = new URLSearchParams();
  for (const [field, v] of Object.entries(filters)) {
    if (typeof v === 'string') p.set(`filters.${field}`, v);
    else for (const end of ['from', 'to'] as const) if (v[end] !== undefined) p.set(`filters.${field}~~${end}`, v[end]!);
  }
  return `/admin/resources/${resource}?${p.toString()}`;
}

/** The filters in the scoped layer's form, as the back office's list passes them on (admin/backoffice/resource.ts). */
export const scopedFilters = (filters: Record<string, ListFilter>): Record<string, FilterValue> => ({ ...filters });

/** The work figures of an agent (owner = me) or a manager (no owner filter: their read scope is the team). */
function workFigures(actor: Actor, now: Date, mine: boolean): Plan[] {
  const me = mine ? String(actor.principal.userId) : undefined;
  const owned = (field: string): Record<string, ListFilter> => (me ? { [field]: me } : {});
  const today = ymd(now);
  const yesterday = ymd(new Date(now.getTime() - DAY));
  const activities = (when: string, due: ListFilter): FigureDef[] =>
    OPEN_ACTIVITY_STATES.map(([status, words]) => ({
      label: `${when}, ${words}`,
      resource: 'activities',
      filters: { ...owned('user_id'), status, due_date: due },
    }));
  return [
    { title: 'Open deals', figures: [{ label: 'Open deals', resource: 'deals', filters: { ...owned('assigned_to_id'), ...OPEN_DEAL }, sumOf: 'value' }] },
    { title: 'Activities', figures: [...activities('Overdue', { to: yesterday }), ...activities('Due today', { from: today, to: today })] },
    { title: 'Leads', figures: [{ label: 'Assigned in the last 7 days', resource: 'leads', filters: { ...owned('assigned_to_id'), assigned_at: lastDays(now, 7) } }] },
  ].map((s) => ({ ...s, figures: s.figures }));
}

/**
 * Open pipeline by stage (in pipeline and stage order), each stage's deals the actor may read, counted and summed
 * in one grouped statement (two per stage took 2.4 s for a Director at 1M deals). Stages that hold no open deal
 * (a "Closed Won" stage, an empty one) are left out: a row of zeros says nothing.
 */
async function pipelineFigures(data: ScopedData, actor: Actor): Promise<Figure[]> {
  const stages = await data.list(actor, 'sales_stages', { natural: true, titles: true, perPage: 100, withTotal: false }).catch(unreadable);
  if (!stages?.records.length) return [];
  const tallies = await data.tally(actor, 'deals', 'stage_id', { filters: scopedFilters(OPEN_DEAL) }, 'value').catch(unreadable);
  const byStage = new Map((tallies ?? []).map((t) => [t.key, t]));
  return stages.records.flatMap((s) => {
    const t = byStage.get(String(s.id));
    if (!t) return [];
    const filters = { stage_id: String(s.id), ...OPEN_DEAL };
    return [{ label: String(s.__title ?? s.title), resource: 'deals', filters, sumOf: 'value', count: t.count, sum: t.sum, href: listHref('deals', filters) }];
  });
}

function directorFigures(now: Date): Plan[] {
  return [
    {
      title: 'Deals won (by close date)',
      figures: [
        { label: 'This month', resource: 'deals', filters: { ...WON_DEAL, expected_close_date: monthOf(now, 0, 'date') }, sumOf: 'value' },
        { label: 'Last month', resource: 'deals', filters: { ...WON_DEAL, expected_close_date: monthOf(now, 1, 'date') }, sumOf: 'value' },
      ],
    },
    { title: 'Leads', figures: [{ label: 'New this month', resource: 'leads', filters: { created_at: monthOf(now, 0, 'time') } }] },
  ];
}

function adminFigures(now: Date): Plan[] {
  const week = lastDays(now, 7);
  return [
    {
      title: 'Changed in the last 7 days',
      figures: [
        { label: 'Users changed', resource: 'users', filters: { updated_at: week } },
        // (roles keep no updated_at: a new role is what the schema can tell)
        { label: 'Roles added', resource: 'roles', filters: { created_at: week } },
      ],
    },
    {
      title: 'In use',
      figures: [
        { label: 'Ingest keys used in the last 7 days', resource: 'ingest_keys', filters: { last_used_at: week } },
        { label: 'Active assistants', resource: 'assistants', filters: { is_active: 'true' } },
      ],
    },
  ];
}

export const roleOf = (level: number): Home['role'] => (level >= 5 ? 'admin' : level >= 3 ? 'director' : level === 2 ? 'manager' : 'agent');

/** Counts (and sums) one figure through the scoped layer, with the filters its link carries. */
export async function measure(data: ScopedData, actor: Actor, def: FigureDef): Promise<Figure> {
  const query = { filters: scopedFilters(def.filters) };
  const href = listHref(def.resource, def.filters);
  if (def.sumOf) {
    // Count and value in one statement (the sum reads every record anyway, so the count is exact at no cost).
    const [t] = await data.tally(actor, def.resource, null, query, def.sumOf);
    return { ...def, count: t?.count ?? 0, sum: t?.sum ?? '0', href };
  }
  return { ...def, count: await data.count(actor, def.resource, query), href };
}

/** A figure of a list the actor may not read (a custom role without it), or not by that field: left out. */
const unreadable = (err: unknown): null => {
  if (err instanceof DomainError && (err.kind === 'forbidden' || err.kind === 'invalid')) return null;
  throw err;
};

/** The home of the signed-in actor. `now` fixes "today" and "this month" (UTC). */
export async function homeOf(data: ScopedData, actor: Actor, now = new Date()): Promise<Home> {
  const role = roleOf(actor.principal.level);
  const sections: Plan[] =
    role === 'admin'
      ? adminFigures(now)
      : role === 'director'
        ? [{ title: 'Open pipeline by stage', figures: await pipelineFigures(data, actor), nonZero: true }, ...directorFigures(now)]
        : [
            ...workFigures(actor, now, role === 'agent'),
            ...(role === 'manager' ? [{ title: 'Team pipeline by stage', figures: await pipelineFigures(data, actor), nonZero: true }] : []),
          ];
  const analyst = actor.principal.permissions.some((p) => p === 'view_analytics' || p === 'view_reports');
  // (one figure after another: a request's reads share one connection)
  const measured: HomeSection[] = [];
  for (const s of sections) {
    const figures: Figure[] = [];
    for (const def of s.figures) {
      const f = 'count' in def ? def : await measure(data, actor, def).catch(unreadable);
      if (f && (f.count > 0 || !s.nonZero)) figures.push(f);
    }
    measured.push({ title: s.title, figures });
  }
  return { role, sections: measured, ...(analyst ? { analytics: '/admin/pages/Analytics' } : {}) };
}
