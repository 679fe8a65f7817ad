// The kanban board of one pipeline: its stages in order, each with the deals the actor may see (newest first,
// at most `perColumn` of them) and how many there are in all. One transaction, through the scoped layer: a
// deal outside the actor's scope is neither shown nor counted.
import { invalid } from '../errors';
import { MAX_PER_PAGE, type Actor, type Row, type ScopedData } from '../scoped-data';

export interface BoardColumn {
  stage: Row;
  deals: Row[];
  /** Every deal of the stage the actor may see, also those beyond `perColumn` (above 10,000: 10,001, "more"). */
  total: number;
  /** The value of all those deals, exact decimal text. */
  value: string;
}

export interface Board {
  pipeline: Row;
  columns: BoardColumn[];
}

export const DEFAULT_PER_COLUMN = 50;

export async function boardFor(data: ScopedData, actor: Actor, pipelineId: unknown, options: { perColumn?: number } = {}): Promise<Board> {
  const perColumn = options.perColumn ?? DEFAULT_PER_COLUMN;
  if (!Number.isInteger(perColumn) || perColumn < 1 || perColumn > MAX_PER_PAGE) {
    throw invalid(`perColumn must be a whole number from 1 to ${MAX_PER_PAGE}`, { perColumn: `1 to ${MAX_PER_PAGE}` });
  }
  return data.transaction(actor, async (scoped) => {
    const pipeline = await scoped.get(actor, 'sales_pipelines', pipelineId);
    const { records: stages } = await scoped.list(actor, 'sales_stages', {
      filters: { sale_pipeline_id: pipeline.id as number },
      sortBy: 'order',
      direction: 'asc',
      perPage: MAX_PER_PAGE,
      withTotal: false,
    });
    // Every column's value in one grouped statement (not a sum per stage).
    const values =
      stages.length && actor.ability.can('read', 'deals', 'value')
        ? new Map((await scoped.tally(actor, 'deals', 'stage_id', { filters: { stage_id: stages.map((s) => String(s.id)) } }, 'value')).map((t) => [t.key, t.sum]))
        : null;
    const columns: BoardColumn[] = [];
    for (const stage of stages) {
      const { records, total } = await scoped.list(actor, 'deals', { filters: { stage_id: stage.id as number }, perPage: perColumn });
      columns.push({ stage, deals: records, total, value: values ? (values.get(String(stage.id)) ?? '0') : '' });
    }
    return { pipeline, columns };
  });
}
