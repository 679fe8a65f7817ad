// The kanban move: a deal to another stage of the same pipeline.
//
// Probability is left as it is. The schema has no probability per stage (the demo's stage percentages live
// only in its seed script), and deriving one from a stage's position or title would be a guess that
// overwrites what a salesperson entered; so a move changes the stage and nothing else.
import { invalid } from '../errors';
import type { Actor, Row, ScopedData } from '../scoped-data';

export async function moveDeal(data: ScopedData, actor: Actor, dealId: unknown, stageId: unknown): Promise<Row> {
  return data.transaction(actor, async (scoped) => {
    const deal = await scoped.get(actor, 'deals', dealId, { forUpdate: true });
    const [target] = await scoped.findMany(actor, 'sales_stages', [stageId]);
    if (!target) {
      const message = `No sales stage #${String(stageId)} you can move deals to`;
      throw invalid(message, { stageId: message });
    }
    // A deal in no pipeline yet may be placed in any stage; a deal on a board moves only within its pipeline.
    if (deal.stage_id !== null && deal.stage_id !== undefined) {
      const [current] = await scoped.findMany(actor, 'sales_stages', [deal.stage_id]);
      if (!current) {
        throw invalid(`Deal #${String(deal.id)} is in a stage outside your view; it cannot be moved from here`, { stageId: 'current stage not visible' });
      }
      if (current.sale_pipeline_id !== target.sale_pipeline_id) {
        const message = `Stage "${String(target.title)}" belongs to another pipeline than the deal's stage "${String(current.title)}"`;
        throw invalid(message, { stageId: message });
      }
    }
    return scoped.update(actor, 'deals', deal.id, { stage_id: target.id });
  });
}
