// moveDeal (the kanban move, within the deal's pipeline only) and boardFor (the pipeline's stages in order,
// each with the deals the actor may see, capped, with a count). Expected boards are computed with SQL here.
import { describe, expect, it } from 'vitest';
import { boardFor, moveDeal } from '../../domain/crm';
import { expectRefused } from '../security/helpers';
import { agentWithout, crmWorld, writesNothing } from './fixture';

const w = crmWorld();

/** The acme pipeline by title, and its stages in order. */
async function pipeline(title: string, tenant = w.acme): Promise<{ id: number; stages: { id: number; title: string }[] }> {
  const p = await w.one('SELECT id FROM sales_pipelines WHERE tenant_id = $1 AND title = $2', [tenant.id, title]);
  const stages = await w.rows('SELECT id, title FROM sales_stages WHERE sale_pipeline_id = $1 ORDER BY "order"', [p.id]);
  return { id: p.id, stages: stages as { id: number; title: string }[] };
}

/** A deal of `username` in acme's first workspace, in `stageId`, written by the system. */
const dealOf = (username: string, stageId: number | null, probability = 40) =>
  w.insert('deals', {
    title: `Kanban deal of ${username}`,
    value: '100.00',
    stage_id: stageId,
    probability,
    assigned_to_id: w.acme.users[username]!.id,
    workspace_id: w.acme.workspaces[0],
    tenant_id: w.acme.id,
  });

describe('moveDeal', () => {
  it('moves a deal to another stage of its pipeline, leaves its probability, and is audited', async () => {
    const agent = await w.actor('agent');
    const standard = await pipeline('Standard Sales');
    const deal = await dealOf('agent', standard.stages[0]!.id);
    const since = await w.lastAuditId();

    const moved = await moveDeal(w.data, agent, deal.id, standard.stages[2]!.id);

    expect(moved).toMatchObject({ id: deal.id, stage_id: standard.stages[2]!.id, probability: 40 });
    expect(await w.one('SELECT stage_id, probability FROM deals WHERE id = $1', [deal.id])).toEqual({ stage_id: standard.stages[2]!.id, probability: 40 });
    const audit = await w.auditSince(since);
    expect(audit).toEqual([expect.objectContaining({ resource: 'deals', record_id: deal.id, action: 'update', actor_id: w.acme.users.agent!.id })]);
    expect(audit[0]!.before).toMatchObject({ stage_id: standard.stages[0]!.id });
    expect(audit[0]!.after).toMatchObject({ stage_id: standard.stages[2]!.id });
  });

  it('to the stage it is in: nothing written', async () => {
    const agent = await w.actor('agent');
    const standard = await pipeline('Standard Sales');
    const deal = await dealOf('agent', standard.stages[1]!.id);
    await writesNothing(w, () => moveDeal(w.data, agent, deal.id, standard.stages[1]!.id));
  });

  it('a deal in no pipeline yet may be placed in any stage', async () => {
    const agent = await w.actor('agent');
    const enterprise = await pipeline('Enterprise Accounts');
    const deal = await dealOf('agent', null);
    await moveDeal(w.data, agent, deal.id, enterprise.stages[0]!.id);
    expect((await w.one('SELECT stage_id FROM deals WHERE id = $1', [deal.id])).stage_id).toBe(enterprise.stages[0]!.id);
  });

  it('a stage of another pipeline is a 400; nothing written', async () => {
    const agent = await w.actor('agent');
    const standard = await pipeline('Standard Sales');
    const enterprise = await pipeline('Enterprise Accounts');
    const deal = await dealOf('agent', standard.stages[0]!.id);
    await writesNothing(w, async () => {
      const e = await expectRefused(moveDeal(w.data, agent, deal.id, enterprise.stages[1]!.id), 'invalid');
      expect(e.message).toMatch(/another pipeline/);
      expect(e.fields.stageId).toBeDefined();
    });
  });

  it("another tenant's stage or no such stage is a 400; another tenant's deal or one outside the scope a 404", async () => {
    const agent = await w.actor('agent');
    const standard = await pipeline('Standard Sales');
    const theirs = await pipeline('Residential Sales', w.globex);
    const deal = await dealOf('agent', standard.stages[0]!.id);
    const colleagues = await dealOf('agent2', standard.stages[0]!.id);
    const globexDeal = await w.one('SELECT id FROM deals WHERE tenant_id = $1 ORDER BY id LIMIT 1', [w.globex.id]);
    await writesNothing(w, async () => {
      await expectRefused(moveDeal(w.data, agent, deal.id, theirs.stages[1]!.id), 'invalid');
      await expectRefused(moveDeal(w.data, agent, deal.id, 999_999), 'invalid');
      await expectRefused(moveDeal(w.data, agent, deal.id, 'first'), 'invalid');
      await expectRefused(moveDeal(w.data, agent, globexDeal.id, standard.stages[1]!.id), 'not_found');
      await expectRefused(moveDeal(w.data, agent, colleagues.id, standard.stages[1]!.id), 'not_found');
    });
  });

  it('without manage_deals: 403', async () => {
    const standard = await pipeline('Standard Sales');
    const { id, actor } = await agentWithout(w, ['manage_deals']);
    const deal = await dealOf('agent', standard.stages[0]!.id);
    await w.db.pool.query('UPDATE deals SET assigned_to_id = $2 WHERE id = $1', [deal.id, id]);
    await writesNothing(w, () => expectRefused(moveDeal(w.data, actor, deal.id, standard.stages[1]!.id), 'forbidden'));
  });
});

describe('boardFor', () => {
  /** The board computed with SQL: per stage (in order), the ids of the deals matching `visible`, newest first. */
  async function expectedBoard(pipelineId: number, visible: string, params: unknown[]) {
    const stages = await w.rows('SELECT id FROM sales_stages WHERE sale_pipeline_id = $1 ORDER BY "order"', [pipelineId]);
    const columns = [];
    for (const s of stages) {
      const deals = await w.rows(`SELECT id FROM deals WHERE stage_id = $1 AND (${visible}) ORDER BY created_at DESC, id DESC`, [s.id, ...params]);
      columns.push({ stage: s.id as number, deals: deals.map((d) => d.id as number) });
    }
    return columns;
  }
  const ownOrSupervised = (n: number) => `(coalesce(assigned_to_id = $${n} OR supervisor_id = $${n}, false))`;
  const inWorkspace = (n: number) => `(workspace_id = $${n} OR workspace_id IS NULL)`;
  const shape = (board: Awaited<ReturnType<typeof boardFor>>) =>
    board.columns.map((c) => ({ stage: c.stage.id as number, deals: c.deals.map((d) => d.id as number) }));

  it('an agent sees their own deals of their workspace, a director every deal of the workspace: different, correct boards', async () => {
    const standard = await pipeline('Standard Sales');
    const agent = await w.actor('agent');
    const director = await w.actor('director');
    const ws = w.acme.workspaces[0];

    const agentBoard = await boardFor(w.data, agent, standard.id, { perColumn: 500 });
    const directorBoard = await boardFor(w.data, director, standard.id, { perColumn: 500 });

    const forAgent = await expectedBoard(standard.id, `${ownOrSupervised(2)} AND ${inWorkspace(3)}`, [w.acme.users.agent!.id, ws]);
    const forDirector = await expectedBoard(standard.id, inWorkspace(2), [ws]);
    expect(agentBoard.pipeline.id).toBe(standard.id);
    expect(agentBoard.columns.map((c) => c.stage.title)).toEqual(standard.stages.map((s) => s.title));
    expect(shape(agentBoard)).toEqual(forAgent);
    expect(shape(directorBoard)).toEqual(forDirector);
    expect(agentBoard.columns.map((c) => c.total)).toEqual(forAgent.map((c) => c.deals.length));
    expect(directorBoard.columns.map((c) => c.total)).toEqual(forDirector.map((c) => c.deals.length));

    // Not the same board: the director sees deals the agent does not, and the agent nothing the director does not.
    const all = (cols: { deals: number[] }[]) => cols.flatMap((c) => c.deals);
    expect(all(forAgent).length).toBeGreaterThan(0);
    expect(all(forDirector).length).toBeGreaterThan(all(forAgent).length);
    expect(all(forDirector)).toEqual(expect.arrayContaining(all(forAgent)));
    // And neither sees the other workspace's deals, which exist on this pipeline.
    const elsewhere = await w.rows(
      'SELECT d.id FROM deals d JOIN sales_stages s ON s.id = d.stage_id WHERE s.sale_pipeline_id = $1 AND d.workspace_id <> $2',
      [standard.id, ws],
    );
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(all(forDirector)).not.toEqual(expect.arrayContaining([elsewhere[0]!.id]));
  });

  it('caps each column and still counts every visible deal of the stage', async () => {
    const standard = await pipeline('Standard Sales');
    const director = await w.actor('director');
    const board = await boardFor(w.data, director, standard.id, { perColumn: 2 });
    const expected = await expectedBoard(standard.id, inWorkspace(2), [w.acme.workspaces[0]]);
    expect(board.columns.map((c) => ({ stage: c.stage.id, deals: c.deals.map((d) => d.id), total: c.total }))).toEqual(
      expected.map((c) => ({ stage: c.stage, deals: c.deals.slice(0, 2), total: c.deals.length })),
    );
    expect(expected.some((c) => c.deals.length > 2)).toBe(true);
  });

  it("another tenant's pipeline is a 404; a bad cap is a 400; the board writes nothing", async () => {
    const standard = await pipeline('Standard Sales');
    const theirs = await pipeline('Residential Sales', w.globex);
    const agent = await w.actor('agent');
    await writesNothing(w, async () => {
      await expectRefused(boardFor(w.data, agent, theirs.id), 'not_found');
      await expectRefused(boardFor(w.data, agent, standard.id, { perColumn: 0 }), 'invalid');
      await expectRefused(boardFor(w.data, agent, standard.id, { perColumn: 10_000 }), 'invalid');
      await boardFor(w.data, agent, standard.id);
    });
  });
});
