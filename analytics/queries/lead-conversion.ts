// Lead -> contact -> deal conversion of the leads created in the range (default 90 days): how many there are,
// how many were converted, how many of those became a contact (a contact with the lead's email, ignoring case:
// the schema keeps no lead -> contact link, and conversion copies the email), and how many of those contacts
// have a deal; with the value of those deals. Each count is within the actor's scope of that table.
import { sql } from 'drizzle-orm';
import type { Actor, ScopedData, Tx } from '../../domain/scoped-data';
import { ratio, type QueryResult } from './common';
import { inActorTenant, scoped, select, tenantCurrency, type CrmFilter } from './crm';

export async function leadConversion(data: ScopedData, actor: Actor, f: CrmFilter): Promise<QueryResult> {
  const [[r], currency] = await inActorTenant(data, actor, async (tx) => [await counts(tx), await tenantCurrency(tx)] as const);
  function counts(tx: Tx) {
    const contact = sql`SELECT contacts.id FROM contacts
      WHERE contacts.tenant_id = leads.tenant_id AND lower(contacts.email) = lower(leads.email) AND ${scoped(data, actor, 'contacts')}`;
    const converted = sql`leads.status = 'converted'`;
    return select<{ leads: number; converted: number; contacts: number; deals: number; deal_value: string }>(
      tx,
      sql`WITH l AS (
            SELECT leads.id, ${converted} AS converted,
                   ${converted} AND EXISTS (${contact}) AS contact,
                   ${converted} AND EXISTS (SELECT 1 FROM deals WHERE deals.contact_id IN (${contact}) AND ${scoped(data, actor, 'deals')}) AS deal
            FROM leads WHERE ${scoped(data, actor, 'leads', f)}
          )
          SELECT count(*)::int AS leads, count(*) FILTER (WHERE converted)::int AS converted,
                 count(*) FILTER (WHERE contact)::int AS contacts, count(*) FILTER (WHERE deal)::int AS deals,
                 (SELECT coalesce(sum(deals.value), 0)::numeric(14, 2)::text FROM deals
                  WHERE ${scoped(data, actor, 'deals')} AND deals.contact_id IN (
                    SELECT contacts.id FROM contacts JOIN leads ON contacts.tenant_id = leads.tenant_id AND lower(contacts.email) = lower(leads.email)
                    WHERE ${converted} AND ${scoped(data, actor, 'leads', f)} AND ${scoped(data, actor, 'contacts')})) AS deal_value
          FROM l`,
    );
  }
  const steps: [string, number][] = [['leads', r!.leads], ['converted', r!.converted], ['contacts', r!.contacts], ['deals', r!.deals]];
  return {
    rows: steps.map(([step, count], i) => ({
      step,
      count,
      rate: ratio(count, r!.leads),
      step_rate: i === 0 ? ratio(count, count) : ratio(count, steps[i - 1]![1]),
    })),
    // conversion_rate: leads converted / leads created in the range; deal_rate: leads that led to a deal / leads.
    summary: { deal_value: r!.deal_value, conversion_rate: ratio(r!.converted, r!.leads), deal_rate: ratio(r!.deals, r!.leads), currency },
  };
}
