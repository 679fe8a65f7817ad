// The Epesi Agent's tools. Each one reads ONLY through ScopedData.list / ScopedData.count as the asking user's
// actor: the user's tenant, workspace, data scope (own / team / all) and field rules apply to every row a tool
// sees, so an answer can never reveal a row the user may not see. Aggregates (sums, rankings) are computed over
// those rows only. Nothing here writes.
import { forbidden } from '../errors';
import { countText, type Actor, type FilterValue, type ListQuery, type Row, type ScopedData } from '../scoped-data';
import type { Entity, Intent, Owner, Period, Scope } from './intents';

export interface ToolResult {
  tool: Intent['tool'];
  args: Record<string, unknown>;
  /** How many rows matched (for rankings: how many deals were ranked). */
  total: number;
  /** What the answer shows: records, or aggregate rows. */
  rows: Row[];
  answer: string;
}

interface EntitySpec {
  owner: string;
  date: string;
  dateKind: 'date' | 'timestamp';
  datePhrase: string;
  sortBy: string;
  direction: 'asc' | 'desc';
  noun: [string, string];
}

const SPEC: Record<Entity, EntitySpec> = {
  deals: { owner: 'assigned_to_id', date: 'expected_close_date', dateKind: 'date', datePhrase: 'closing', sortBy: 'expected_close_date', direction: 'asc', noun: ['deal', 'deals'] },
  leads: { owner: 'assigned_to_id', date: 'created_at', dateKind: 'timestamp', datePhrase: 'created', sortBy: 'created_at', direction: 'desc', noun: ['lead', 'leads'] },
  contacts: { owner: 'assigned_to_id', date: 'created_at', dateKind: 'timestamp', datePhrase: 'added', sortBy: 'created_at', direction: 'desc', noun: ['contact', 'contacts'] },
  activities: { owner: 'user_id', date: 'due_date', dateKind: 'date', datePhrase: 'due', sortBy: 'due_date', direction: 'asc', noun: ['activity', 'activities'] },
};

/** Rows the tools read at most for an aggregate; beyond it the answer says it looked at the first ones. */
export const AGGREGATE_CAP = 20_000;
const PAGE = 500;
const DAY = 86_400_000;

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** A period as inclusive UTC days [from, to]; overdue: up to yesterday. */
export function periodRange(period: Period, now: Date): { from?: Date; to: Date } {
  const today = startOfDay(now);
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const month = (offset: number) => ({ from: new Date(Date.UTC(y, m + offset, 1)), to: new Date(Date.UTC(y, m + offset + 1, 0)) });
  switch (period) {
    case 'today':
      return { from: today, to: today };
    case 'this_week': {
      const from = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY); // Monday
      return { from, to: new Date(from.getTime() + 6 * DAY) };
    }
    case 'this_month':
      return month(0);
    case 'last_month':
      return month(-1);
    case 'next_month':
      return month(1);
    case 'this_quarter': {
      const q = Math.floor(m / 3) * 3;
      return { from: new Date(Date.UTC(y, q, 1)), to: new Date(Date.UTC(y, q + 3, 0)) };
    }
    case 'this_year':
      return { from: new Date(Date.UTC(y, 0, 1)), to: new Date(Date.UTC(y, 11, 31)) };
    case 'overdue':
      return { to: new Date(today.getTime() - DAY) };
  }
}

const PERIOD_WORDS: Record<Period, string> = {
  today: 'today', this_week: 'this week', this_month: 'this month', last_month: 'last month', next_month: 'next month',
  this_quarter: 'this quarter', this_year: 'this year', overdue: 'overdue',
};

/** The filters of a question's scope on an entity: owner, period, state. */
export function filtersFor(entity: Entity, scope: Scope, actor: Actor, now: Date): Record<string, FilterValue> {
  const spec = SPEC[entity];
  const f: Record<string, FilterValue> = {};
  if (scope.owner === 'mine') f[spec.owner] = [actor.principal.userId];
  if (scope.owner === 'team') f[spec.owner] = actor.principal.teamIds;
  const state = scope.state ?? (scope.period === 'overdue' && (entity === 'deals' || entity === 'activities') ? 'open' : undefined);
  if (scope.period && !(scope.period === 'overdue' && (entity === 'leads' || entity === 'contacts'))) {
    const { from, to } = periodRange(scope.period, now);
    f[spec.date] =
      spec.dateKind === 'date'
        ? { from: from ? ymd(from) : undefined, to: ymd(to) }
        : { from: from?.toISOString(), to: new Date(to.getTime() + DAY - 1).toISOString() };
  }
  if (entity === 'deals' && state) {
    // A deal's outcome is its probability: 100 won, 0 lost, anything between still open.
    f.probability = state === 'won' ? 100 : state === 'lost' ? 0 : { from: 1, to: 99 };
  }
  if (entity === 'leads' && state) f.status = state;
  if (entity === 'activities' && state) f.status = state === 'open' ? ['planned', 'in_progress'] : state;
  return f;
}

function describe(entity: Entity, scope: Scope, total: number): string {
  const spec = SPEC[entity];
  const state = scope.state ?? (scope.period === 'overdue' && entity === 'deals' ? 'open' : undefined);
  const noun = spec.noun[total === 1 ? 0 : 1];
  const owner: Record<Owner, string> = { mine: 'assigned to you', team: 'assigned to you or your team', all: 'that you can see' };
  const overdue = scope.period === 'overdue' && (entity === 'deals' || entity === 'activities');
  const when = !scope.period || scope.period === 'overdue' ? '' : `${spec.datePhrase} ${PERIOD_WORDS[scope.period]}`;
  // (Overdue means still open: "3 overdue activities", not "3 open overdue activities".)
  const adjective = overdue && (!scope.state || scope.state === 'open') ? 'overdue' : state?.replace('_', ' ');
  return [countText(total), adjective, noun, owner[scope.owner], when].filter(Boolean).join(' ');
}

const money = (cents: number) => (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const cents = (v: unknown) => (v === null || v === undefined || v === '' ? 0 : Math.round(Number(v) * 100));

/** Every row of a query the actor may read, page by page, up to `cap` rows. */
async function collect(data: ScopedData, actor: Actor, name: string, query: ListQuery, cap = AGGREGATE_CAP): Promise<{ rows: Row[]; complete: boolean }> {
  const rows: Row[] = [];
  for (let page = 1; rows.length < cap; page++) {
    const { records } = await data.list(actor, name, { ...query, page, perPage: PAGE, withTotal: false, sortBy: 'id', direction: 'asc' });
    rows.push(...records);
    if (records.length < PAGE) return { rows, complete: true };
  }
  return { rows: rows.slice(0, cap), complete: false };
}

/** Labels of referenced records the actor may read (others stay "#id"). */
async function labels(data: ScopedData, actor: Actor, name: string, ids: number[], label: (r: Row) => string): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((id) => typeof id === 'number'))];
  const out = new Map<number, string>();
  if (!unique.length || !actor.ability.can('read', name)) return out;
  for (let at = 0; at < unique.length; at += PAGE) {
    try {
      const { records } = await data.list(actor, name, { filters: { id: unique.slice(at, at + PAGE) }, perPage: PAGE, withTotal: false });
      for (const r of records) out.set(r.id as number, label(r));
    } catch (err) {
      if ((err as { kind?: string }).kind !== 'forbidden') throw err;
    }
  }
  return out;
}

const person = (r: Row) => `${String(r.first_name ?? '')} ${String(r.last_name ?? '')}`.trim() || String(r.username ?? `#${String(r.id)}`);

export async function listRecords(data: ScopedData, actor: Actor, entity: Entity, scope: Scope, now: Date, limit = 10): Promise<ToolResult> {
  const spec = SPEC[entity];
  const filters = filtersFor(entity, scope, actor, now);
  const { records, total } = await data.list(actor, entity, { filters, sortBy: spec.sortBy, direction: spec.direction, perPage: limit });
  const args = { entity, ...scope, filters };
  let answer = `You have ${describe(entity, scope, total)}`;
  if (scope.owner === 'all') answer = `There ${total === 1 ? 'is' : 'are'} ${describe(entity, scope, total)}`;
  if (entity === 'deals' && total > 0) {
    const all = total <= AGGREGATE_CAP ? await collect(data, actor, 'deals', { filters }) : null;
    if (all?.complete) answer += `, worth ${money(all.rows.reduce((s, d) => s + cents(d.value), 0))} in total`;
  }
  if (!total) return { tool: 'list_records', args, total, rows: [], answer: `${answer}.` };
  const owners = await labels(data, actor, 'users', records.map((r) => r[spec.owner] as number), person);
  const stages = entity === 'deals' ? await labels(data, actor, 'sales_stages', records.map((r) => r.stage_id as number), (r) => String(r.title)) : new Map();
  const line = (r: Row, i: number) => {
    const who = owners.get(r[spec.owner] as number);
    const parts: string[] =
      entity === 'deals'
        ? [String(r.title), r.value !== null && r.value !== undefined ? money(cents(r.value)) : '', stages.get(r.stage_id as number) ?? '', r.expected_close_date ? `closes ${String(r.expected_close_date)}` : '']
        : entity === 'activities'
          ? [String(r.subject), String(r.status).replace('_', ' '), r.due_date ? `due ${String(r.due_date)}` : '']
          : [person(r), String(r.email ?? ''), entity === 'leads' ? String(r.status) : '', r.company ? String(r.company) : ''];
    if (who && scope.owner !== 'mine') parts.push(`assigned to ${who}`);
    return `${i + 1}. ${parts.filter(Boolean).join(' - ')}`;
  };
  const more = total > records.length ? `\n(showing ${records.length} of ${countText(total)})` : '';
  return { tool: 'list_records', args, total, rows: records, answer: `${answer}:\n${records.map(line).join('\n')}${more}` };
}

export async function countRecords(data: ScopedData, actor: Actor, entity: Entity, scope: Scope, now: Date): Promise<ToolResult> {
  const filters = filtersFor(entity, scope, actor, now);
  const total = await data.count(actor, entity, { filters });
  const answer = scope.owner === 'all' ? `There ${total === 1 ? 'is' : 'are'} ${describe(entity, scope, total)}.` : `You have ${describe(entity, scope, total)}.`;
  return { tool: 'count_records', args: { entity, ...scope, filters }, total, rows: [{ count: total }], answer };
}

export async function topProductsByDealValue(data: ScopedData, actor: Actor, scope: Scope, now: Date, limit = 5): Promise<ToolResult> {
  const filters = filtersFor('deals', scope, actor, now);
  const { rows: deals, complete } = await collect(data, actor, 'deals', { filters });
  const byProduct = new Map<number, { cents: number; deals: number }>();
  for (const d of deals) {
    if (typeof d.product_id !== 'number') continue;
    const entry = byProduct.get(d.product_id) ?? { cents: 0, deals: 0 };
    entry.cents += cents(d.value);
    entry.deals += 1;
    byProduct.set(d.product_id, entry);
  }
  const ranked = [...byProduct].sort(([a, x], [b, y]) => y.cents - x.cents || a - b).slice(0, limit);
  const names = await labels(data, actor, 'products', ranked.map(([id]) => id), (r) => String(r.title ?? r.name));
  const rows = ranked.map(([id, e]) => ({ product_id: id, product: names.get(id) ?? `product #${id}`, value: (e.cents / 100).toFixed(2), deals: e.deals }));
  const which = describe('deals', scope, deals.length).replace(/^\d+ /, '');
  const args = { ...scope, limit, filters };
  if (!rows.length) return { tool: 'top_products_by_deal_value', args, total: deals.length, rows, answer: `No ${which} have a product, so there is nothing to rank.` };
  const lines = rows.map((r, i) => `${i + 1}. ${r.product} - ${money(cents(r.value))} over ${r.deals} ${r.deals === 1 ? 'deal' : 'deals'}`);
  const note = complete ? '' : `\n(based on the first ${AGGREGATE_CAP} deals)`;
  return {
    tool: 'top_products_by_deal_value',
    args,
    total: deals.length,
    rows,
    answer: `Top ${rows.length} ${rows.length === 1 ? 'product' : 'products'} by deal value, over ${deals.length} ${which}:\n${lines.join('\n')}${note}`,
  };
}

export async function dealsByStage(data: ScopedData, actor: Actor, scope: Scope, now: Date): Promise<ToolResult> {
  const filters = filtersFor('deals', scope, actor, now);
  const { rows: deals, complete } = await collect(data, actor, 'deals', { filters });
  const byStage = new Map<number | null, { cents: number; deals: number }>();
  for (const d of deals) {
    const key = typeof d.stage_id === 'number' ? d.stage_id : null;
    const entry = byStage.get(key) ?? { cents: 0, deals: 0 };
    entry.cents += cents(d.value);
    entry.deals += 1;
    byStage.set(key, entry);
  }
  const stageIds = [...byStage.keys()].filter((k): k is number => k !== null);
  const stages = new Map<number, Row>();
  if (stageIds.length && actor.ability.can('read', 'sales_stages')) {
    const { records } = await data.list(actor, 'sales_stages', { filters: { id: stageIds }, perPage: PAGE, withTotal: false });
    for (const s of records) stages.set(s.id as number, s);
  }
  const order = (id: number | null) => {
    const s = id === null ? undefined : stages.get(id);
    return s ? [s.sale_pipeline_id as number, s.order as number, id!] : [Number.MAX_SAFE_INTEGER, 0, id ?? 0];
  };
  const rows = [...byStage]
    .sort(([a], [b]) => {
      const [x, y] = [order(a), order(b)];
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    })
    .map(([id, e]) => ({ stage_id: id, stage: id === null ? 'no stage' : String(stages.get(id)?.title ?? `stage #${id}`), deals: e.deals, value: (e.cents / 100).toFixed(2) }));
  const which = describe('deals', scope, deals.length);
  const lines = rows.map((r) => `- ${r.stage}: ${r.deals} ${r.deals === 1 ? 'deal' : 'deals'}, ${money(cents(r.value))}`);
  const note = complete ? '' : `\n(based on the first ${AGGREGATE_CAP} deals)`;
  return {
    tool: 'deals_by_stage',
    args: { ...scope, filters },
    total: deals.length,
    rows,
    answer: deals.length ? `${which[0]!.toUpperCase()}${which.slice(1)}, by stage:\n${lines.join('\n')}${note}` : `There are no ${which.replace(/^0 /, '')}.`,
  };
}

export const HELP = [
  'I answer questions about the CRM data you can see, for example:',
  '- "my open deals this month"',
  '- "leads assigned to my team"',
  '- "how many new leads this week"',
  '- "top 5 products by deal value"',
  '- "pipeline by stage"',
  '- "my overdue activities"',
].join('\n');

/** Runs the tool an intent names, as the actor. */
export async function runTool(data: ScopedData, actor: Actor, intent: Intent, now: Date): Promise<ToolResult> {
  switch (intent.tool) {
    case 'list_records':
    case 'count_records': {
      const { tool, entity, ...scope } = intent;
      if (!actor.ability.can('read', entity)) {
        const refusal = forbidden(`You may not read ${entity}`);
        return { tool, args: { entity, ...scope }, total: 0, rows: [], answer: `${refusal.message}, so I cannot answer that.` };
      }
      return tool === 'count_records' ? countRecords(data, actor, entity, scope, now) : listRecords(data, actor, entity, scope, now);
    }
    case 'top_products_by_deal_value': {
      const { tool: _t, limit, ...scope } = intent;
      if (!actor.ability.can('read', 'deals')) return { tool: intent.tool, args: { ...scope, limit }, total: 0, rows: [], answer: 'You may not read deals, so I cannot rank products by them.' };
      return topProductsByDealValue(data, actor, scope, now, limit);
    }
    case 'deals_by_stage': {
      const { tool: _t, ...scope } = intent;
      if (!actor.ability.can('read', 'deals')) return { tool: intent.tool, args: scope, total: 0, rows: [], answer: 'You may not read deals.' };
      return dealsByStage(data, actor, scope, now);
    }
    case 'help':
      return { tool: 'help', args: {}, total: 0, rows: [], answer: HELP };
  }
}
