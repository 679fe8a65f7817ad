// Pipeline performance: per pipeline and stage (in stage order, empty stages included), the deals the actor may
// see, their total value, probability-weighted value and average probability; deals in no stage last.
// Current state by default; with from/to, only deals created in that range (their current stage). Money as exact
// decimal strings, in the tenant's currency (summary.currency).
import { sql } from 'drizzle-orm';
import type { Actor, ScopedData } from '../../domain/scoped-data';
import type { QueryResult, ResultRow } from './common';
import { inActorTenant, scoped, select, tenantCurrency, type CrmFilter } from './crm';

interface Line {
  pipeline_id: number | null;
  pipeline: string | null;
  stage_id: number | null;
  stage: string | null;
  stage_order: number | null;
  deals: number;
  value: string;
  weighted_value: string;
  avg_probability: number | null;
}

const measures = sql`count(deals.id)::int AS deals,
  coalesce(sum(deals.value), 0)::numeric(14, 2)::text AS value,
  coalesce(sum(deals.value * coalesce(deals.probability, 0) / 100.0), 0)::numeric(14, 2)::text AS weighted_value,
  round(avg(deals.probability))::int AS avg_probability`;

export async function pipelinePerformance(data: ScopedData, actor: Actor, f: CrmFilter): Promise<QueryResult> {
  const lines = await inActorTenant(data, actor, async (tx) => {
    const staged = await select<Line>(
      tx,
      sql`SELECT sales_pipelines.id AS pipeline_id, sales_pipelines.title AS pipeline, sales_stages.id AS stage_id,
                 sales_stages.title AS stage, sales_stages."order" AS stage_order, ${measures}
          FROM sales_stages
          JOIN sales_pipelines ON sales_pipelines.tenant_id = sales_stages.tenant_id AND sales_pipelines.id = sales_stages.sale_pipeline_id
          LEFT JOIN deals ON deals.tenant_id = sales_stages.tenant_id AND deals.stage_id = sales_stages.id AND ${scoped(data, actor, 'deals', f)}
          WHERE ${scoped(data, actor, 'sales_stages')} AND ${scoped(data, actor, 'sales_pipelines')}
          GROUP BY sales_pipelines.id, sales_pipelines.title, sales_stages.id, sales_stages.title, sales_stages."order"
          ORDER BY sales_pipelines.id, sales_stages."order"`,
    );
    const [unstaged] = await select<Line>(
      tx,
      sql`SELECT NULL::int AS pipeline_id, NULL AS pipeline, NULL::int AS stage_id, NULL AS stage, NULL::int AS stage_order, ${measures}
          FROM deals WHERE deals.stage_id IS NULL AND ${scoped(data, actor, 'deals', f)}`,
    );
    return { lines: unstaged && unstaged.deals > 0 ? [...staged, unstaged] : staged, currency: await tenantCurrency(tx) };
  });
  // What the figures cover, for the chart's caption: the deals created in the range, or every deal as it stands.
  const covers = f.range ? { from: f.range.from.toISOString(), to: f.range.to.toISOString() } : { from: null, to: null };
  return { rows: lines.lines.map((l) => ({ ...l }) as ResultRow), summary: { currency: lines.currency, ...covers } };
}
