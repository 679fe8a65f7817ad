// Which pipeline a new deal goes into: the default pipeline of the workspace, else the tenant-wide default,
// and its first stage (lowest order). Read through the scoped layer, so only pipelines the actor can see count.
import { conflict } from '../errors';
import type { Actor, Row, ScopedData } from '../scoped-data';

export async function defaultPipeline(scoped: ScopedData, actor: Actor, workspaceId: number | null): Promise<Row> {
  const places = workspaceId === null ? [null] : [workspaceId, null];
  for (const workspace of places) {
    const { records } = await scoped.list(actor, 'sales_pipelines', {
      filters: { is_default: true, workspace_id: workspace },
      perPage: 1,
      withTotal: false,
    });
    if (records[0]) return records[0];
  }
  const where = workspaceId === null ? 'for the organization' : `for workspace #${workspaceId} or the organization`;
  throw conflict(`There is no default sales pipeline ${where}: mark a pipeline as the default first`, { pipeline: 'no default pipeline' });
}

export async function firstStageOfDefaultPipeline(scoped: ScopedData, actor: Actor, workspaceId: number | null): Promise<{ pipeline: Row; stage: Row }> {
  const pipeline = await defaultPipeline(scoped, actor, workspaceId);
  const { records } = await scoped.list(actor, 'sales_stages', {
    filters: { sale_pipeline_id: pipeline.id as number },
    sortBy: 'order',
    direction: 'asc',
    perPage: 1,
    withTotal: false,
  });
  if (!records[0]) {
    throw conflict(`The default sales pipeline "${String(pipeline.title)}" has no stages: add one first`, { pipeline: 'has no stages' });
  }
  return { pipeline, stage: records[0] };
}
