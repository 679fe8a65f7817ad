// The CRM's headline figures over the range, each beside the same figure over the previous period of the same
// length (as Umami compares). What each counts:
//   leads_created          leads created in the range
//   leads_converted        of those, the ones converted (status 'converted'; the schema keeps no conversion time)
//   lead_conversion_rate   leads_converted / leads_created
//   deals_created, deals_created_value   deals created in the range, and their total value
//   deals_won, won_value   deals won (probability 100) whose close date (expected_close_date) is in the range
//   deals_closed           deals won or lost (probability 0) with their close date in the range
//   win_rate               deals_won / deals_closed
// Each table is limited to the actor's scope (a manager's figures are their team's).
import { sql } from 'drizzle-orm';
import type { Actor, ScopedData } from '../../domain/scoped-data';
import type { TimeRange } from '../params';
import { comparedRanges, figureRows, previousRange, ratio, type FigureSpec, type QueryResult } from './common';
import { dateIn, inActorTenant, scoped, select, tenantCurrency, type CrmFilter } from './crm';

interface Counts {
  leads_created: number;
  leads_converted: number;
  deals_created: number;
  deals_created_value: string;
  deals_won: number;
  deals_closed: number;
  won_value: string;
}

const FIGURES: FigureSpec<Counts>[] = [
  ['leads_created', 'count', (c) => c.leads_created],
  ['leads_converted', 'count', (c) => c.leads_converted],
  ['lead_conversion_rate', 'rate', (c) => ratio(c.leads_converted, c.leads_created)],
  ['deals_created', 'count', (c) => c.deals_created],
  ['deals_created_value', 'money', (c) => Number(c.deals_created_value)],
  ['deals_won', 'count', (c) => c.deals_won],
  ['deals_closed', 'count', (c) => c.deals_closed],
  ['win_rate', 'rate', (c) => ratio(c.deals_won, c.deals_closed)],
  ['won_value', 'money', (c) => Number(c.won_value)],
];

export async function crmHeadlines(data: ScopedData, actor: Actor, f: CrmFilter & { range: TimeRange }): Promise<QueryResult> {
  const { current, previous, currency } = await inActorTenant(data, actor, async (tx) => {
    const counts = async (range: TimeRange) => {
      const created = { ...f, range };
      const now = { workspace: f.workspace };
      const closed = sql`${scoped(data, actor, 'deals', now)} AND ${dateIn(sql`deals.expected_close_date`, range)}`;
      const [r] = await select<Counts>(
        tx,
        sql`SELECT (SELECT count(*)::int FROM leads WHERE ${scoped(data, actor, 'leads', created)}) AS leads_created,
                   (SELECT count(*)::int FROM leads WHERE ${scoped(data, actor, 'leads', created)} AND leads.status = 'converted') AS leads_converted,
                   (SELECT count(*)::int FROM deals WHERE ${scoped(data, actor, 'deals', created)}) AS deals_created,
                   (SELECT coalesce(sum(deals.value), 0)::numeric(14, 2)::text FROM deals WHERE ${scoped(data, actor, 'deals', created)}) AS deals_created_value,
                   (SELECT count(*)::int FROM deals WHERE ${closed} AND deals.probability = 100) AS deals_won,
                   (SELECT count(*)::int FROM deals WHERE ${closed} AND deals.probability IN (0, 100)) AS deals_closed,
                   (SELECT coalesce(sum(deals.value), 0)::numeric(14, 2)::text FROM deals WHERE ${closed} AND deals.probability = 100) AS won_value`,
      );
      return r!;
    };
    return { current: await counts(f.range), previous: await counts(previousRange(f.range)), currency: await tenantCurrency(tx) };
  });
  return { rows: figureRows(FIGURES, current, previous), summary: { ...comparedRanges(f.range), currency } };
}
