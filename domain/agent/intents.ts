// The Epesi Agent's understanding of a question: a few question shapes, recognised by keywords, each turned into
// one tool call (tools.ts). Deterministic and offline; anything it does not recognise gets the help answer.
//
//   "my open deals this month"             list deals, owner mine, state open, closing this month
//   "leads assigned to my team"            list leads, owner team
//   "how many new leads this week"         count leads, state new, created this week
//   "top 3 products by deal value"         top products, ranked by the value of the deals the user can see
//   "pipeline by stage" / "deals per stage" deals grouped by stage
//   "overdue activities" / "my tasks today" list activities
// "my" / "me" / "mine": rows assigned to the user; "my team": assigned to the user or anyone below them in the
// manager tree; neither: every row the user may see. The user's own data scope always applies on top (the tools
// read through the scoped data layer only).

export const ENTITIES = ['deals', 'leads', 'contacts', 'activities'] as const;
export type Entity = (typeof ENTITIES)[number];
export type Owner = 'mine' | 'team' | 'all';
export const PERIODS = ['today', 'this_week', 'this_month', 'last_month', 'next_month', 'this_quarter', 'this_year', 'overdue'] as const;
export type Period = (typeof PERIODS)[number];

export interface Scope {
  owner: Owner;
  period?: Period;
  /** deals: open | won | lost; leads: their status; activities: their status. */
  state?: string;
}

export type Intent =
  | ({ tool: 'list_records' | 'count_records'; entity: Entity } & Scope)
  | ({ tool: 'top_products_by_deal_value'; limit: number } & Scope)
  | ({ tool: 'deals_by_stage' } & Scope)
  | { tool: 'help' };

const has = (q: string, re: RegExp) => re.test(q);

const ENTITY_WORDS: [Entity, RegExp][] = [
  ['deals', /\b(deals?|opportunit(y|ies))\b/],
  ['leads', /\bleads?\b/],
  ['contacts', /\b(contacts?|customers?)\b/],
  ['activities', /\b(activit(y|ies)|tasks?|to-?dos?|calls?|meetings?|follow-?ups?)\b/],
];

function ownerOf(q: string): Owner {
  if (has(q, /\b(my|our) (sales )?team('?s)?\b|\bteam('?s)?\b|\bmy reports\b|\bmy (agents|people)\b/)) return 'team';
  if (has(q, /\b(my|mine|me|i)\b/)) return 'mine';
  return 'all';
}

function periodOf(q: string): Period | undefined {
  if (has(q, /\b(overdue|late|past due)\b/)) return 'overdue';
  if (has(q, /\btoday\b/)) return 'today';
  if (has(q, /\bthis week\b/)) return 'this_week';
  if (has(q, /\blast month\b/)) return 'last_month';
  if (has(q, /\bnext month\b/)) return 'next_month';
  if (has(q, /\bthis month\b|\bmonth\b/)) return 'this_month';
  if (has(q, /\bthis quarter\b|\bquarter\b/)) return 'this_quarter';
  if (has(q, /\bthis year\b/)) return 'this_year';
  return undefined;
}

function stateOf(q: string, entity: Entity | 'products'): string | undefined {
  if (entity === 'deals' || entity === 'products') {
    if (has(q, /\b(open|active|ongoing)\b/)) return 'open';
    if (has(q, /\bwon\b/)) return 'won';
    if (has(q, /\blost\b/)) return 'lost';
    return undefined;
  }
  if (entity === 'leads') return /\b(new|contacted|unqualified|qualified|converted)\b/.exec(q)?.[1];
  if (entity === 'activities') {
    if (has(q, /\bin[ -]progress\b/)) return 'in_progress';
    return /\b(planned|completed|cancelled)\b/.exec(q)?.[1];
  }
  return undefined;
}

/** The first entity the question names (by position), if any. */
function entityOf(q: string): Entity | undefined {
  let best: { entity: Entity; at: number } | undefined;
  for (const [entity, re] of ENTITY_WORDS) {
    const m = re.exec(q);
    if (m && (!best || m.index < best.at)) best = { entity, at: m.index };
  }
  return best?.entity;
}

export function parseQuestion(question: string): Intent {
  const q = question.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();
  const owner = ownerOf(q);
  const period = periodOf(q);
  if (has(q, /\bproducts?\b/) && has(q, /\b(top|best|biggest|largest|most)\b|\bby (deal )?value\b|\brevenue\b/)) {
    const limit = Math.min(20, Math.max(1, Number(/\btop (\d{1,2})\b/.exec(q)?.[1] ?? 5)));
    return { tool: 'top_products_by_deal_value', owner, period: period === 'overdue' ? undefined : period, state: stateOf(q, 'products'), limit };
  }
  const entity = entityOf(q) ?? (has(q, /\bpipeline\b/) ? 'deals' : undefined);
  if (!entity) return { tool: 'help' };
  if (entity === 'deals' && has(q, /\b(by|per|in each|for each) stage\b|\bpipeline\b|\bstages\b/)) {
    return { tool: 'deals_by_stage', owner, period, state: stateOf(q, 'deals') };
  }
  const tool = has(q, /\bhow many\b|\bcount\b|\bnumber of\b|\btotal\b/) ? 'count_records' : 'list_records';
  return { tool, entity, owner, period, state: stateOf(q, entity) };
}
