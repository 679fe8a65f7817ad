// The Epesi Agent: its question shapes, its tools returning exactly the rows the asking user may see (an Agent
// and a Director asking the same question get different, correct answers), and its conversations private to
// their user, over HTTP too. Expected rows are computed with plain SQL from the README's scope rules:
//   Agent (level 1, view_own_data, workspace W): rows assigned to them (any owner field), in W or tenant-wide.
//   Director (level 4, view_all_data, workspace W): every row in W or tenant-wide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../domain/agent/agent';
import { parseQuestion } from '../../domain/agent/intents';
import { listRecords, runTool, topProductsByDealValue } from '../../domain/agent/tools';
import type { Actor } from '../../domain/scoped-data';
import { DEMO_BASE_DATE } from '../../scripts/demo-data';
import { Browser, startApp } from '../http/client';
import { assistantWorld } from './fixture';

const w = assistantWorld();
/**
 * A "now" inside the demo's window of expected close dates (open deals close 7 to 150 days after the load day,
 * so it moves with the load day): the 15th of the month in which most of the agent's own open deals close.
 */
let NOW = new Date(DEMO_BASE_DATE.getTime() + 45.5 * 86_400_000);
const day = (d: Date) => d.toISOString().slice(0, 10);
let MONTH_FIRST: Date;
let MONTH_LAST: Date;

let agent: Actor;
let director: Actor;
let W: number;

beforeAll(async () => {
  agent = await w.actor('agent');
  director = await w.actor('director');
  W = w.acme.users.agent!.workspace_id!;
  expect(w.acme.users.director!.workspace_id).toBe(W);
  const [busiest] = await w.rows(
    `SELECT to_char(expected_close_date, 'YYYY-MM') AS month FROM deals WHERE tenant_id = $1 AND assigned_to_id = $2 AND probability BETWEEN 1 AND 99
       AND expected_close_date > $3::date GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [w.acme.id, w.acme.users.agent!.id, day(DEMO_BASE_DATE)],
  );
  if (busiest) NOW = new Date(`${busiest.month}-15T12:00:00Z`);
  MONTH_FIRST = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), 1));
  MONTH_LAST = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() + 1, 0));
});

/** The SQL condition of the rows `who` may see, for a table with the given owner columns. */
function visible(who: 'agent' | 'director', owners: string[]): string {
  const ws = `(workspace_id = ${W} OR workspace_id IS NULL)`;
  if (who === 'director') return ws;
  const me = w.acme.users.agent!.id;
  return `${ws} AND (${owners.map((o) => `${o} = ${me}`).join(' OR ')})`;
}

async function teamOf(username: string): Promise<number[]> {
  const rows = await w.rows(
    `WITH RECURSIVE team AS (SELECT id FROM users WHERE id = $1 UNION SELECT u.id FROM users u JOIN team ON u.manager_id = team.id)
     SELECT id FROM team ORDER BY id`,
    [w.acme.users[username]!.id],
  );
  return rows.map((r) => r.id);
}

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

describe('question shapes', () => {
  it.each([
    ['my open deals this month', { tool: 'list_records', entity: 'deals', owner: 'mine', state: 'open', period: 'this_month' }],
    ['Leads assigned to my team', { tool: 'list_records', entity: 'leads', owner: 'team' }],
    ['How many new leads this week?', { tool: 'count_records', entity: 'leads', owner: 'all', state: 'new', period: 'this_week' }],
    ['top products by deal value', { tool: 'top_products_by_deal_value', owner: 'all', limit: 5 }],
    ['Top 3 products by value of my won deals', { tool: 'top_products_by_deal_value', owner: 'mine', state: 'won', limit: 3 }],
    ['pipeline by stage for my team', { tool: 'deals_by_stage', owner: 'team' }],
    ['What are my overdue activities?', { tool: 'list_records', entity: 'activities', owner: 'mine', period: 'overdue' }],
    ['contacts added last month', { tool: 'list_records', entity: 'contacts', owner: 'all', period: 'last_month' }],
    ['What is the weather like?', { tool: 'help' }],
  ])('%s', (question, intent) => {
    expect(parseQuestion(question)).toMatchObject(intent);
  });
});

describe('tools return only the rows the user may see', () => {
  it('"leads assigned to my team": the agent gets their own leads, the director their whole team\'s in their workspace', async () => {
    const answers: Record<string, { total: number; ids: number[] }> = {};
    for (const [who, actor] of [['agent', agent], ['director', director]] as const) {
      const team = await teamOf(who);
      const expected = await w.rows(
        `SELECT id FROM leads WHERE tenant_id = $1 AND assigned_to_id = ANY($2::int[]) AND ${visible(who, ['assigned_to_id', 'assigned_by_id'])}`,
        [w.acme.id, team],
      );
      const result = await listRecords(w.data, actor, 'leads', { owner: 'team' }, NOW, 500);
      expect(result.total, who).toBe(expected.length);
      expect(ids(result.rows), who).toEqual(ids(expected));
      expect(result.total, who).toBeGreaterThan(0);
      answers[who] = { total: result.total, ids: ids(result.rows) };
    }
    expect(answers.director!.total).toBeGreaterThan(answers.agent!.total);
    // Leads of the director's team the agent must not see exist, and the agent's answer has none of them.
    const hidden = answers.director!.ids.filter((id) => !answers.agent!.ids.includes(id));
    expect(hidden.length).toBeGreaterThan(0);
  });

  it('"top products by deal value": ranked over exactly the deals each may see', async () => {
    const results: Record<string, unknown> = {};
    for (const [who, actor] of [['agent', agent], ['director', director]] as const) {
      const expected = await w.rows(
        `SELECT product_id, sum(value)::numeric(12,2)::text AS value, count(*)::int AS deals FROM deals
          WHERE tenant_id = $1 AND product_id IS NOT NULL AND ${visible(who, ['assigned_to_id', 'supervisor_id'])}
          GROUP BY product_id ORDER BY sum(value) DESC, product_id LIMIT 5`,
        [w.acme.id],
      );
      const dealCount = (await w.one(`SELECT count(*)::int AS n FROM deals WHERE tenant_id = $1 AND ${visible(who, ['assigned_to_id', 'supervisor_id'])}`, [w.acme.id])).n;
      const result = await topProductsByDealValue(w.data, actor, { owner: 'all' }, NOW, 5);
      expect(result.total, who).toBe(dealCount);
      expect(result.rows.map((r) => ({ product_id: r.product_id, value: r.value, deals: r.deals })), who).toEqual(expected);
      expect(result.answer).toContain(String(result.rows[0]!.product));
      results[who] = result.rows;
    }
    expect(results.agent).not.toEqual(results.director);
  });

  it('"open deals this month" and "my open deals this month" for both', async () => {
    const month = `expected_close_date BETWEEN '${day(MONTH_FIRST)}' AND '${day(MONTH_LAST)}' AND probability BETWEEN 1 AND 99`;
    for (const [who, actor] of [['agent', agent], ['director', director]] as const) {
      const all = await w.rows(`SELECT id FROM deals WHERE tenant_id = $1 AND ${month} AND ${visible(who, ['assigned_to_id', 'supervisor_id'])}`, [w.acme.id]);
      const mine = await w.rows(`SELECT id FROM deals WHERE tenant_id = $1 AND ${month} AND assigned_to_id = $2 AND ${visible(who, ['assigned_to_id', 'supervisor_id'])}`, [
        w.acme.id,
        w.acme.users[who]!.id,
      ]);
      const everything = await runTool(w.data, actor, parseQuestion('open deals this month'), NOW);
      expect(everything.total, who).toBe(all.length);
      const own = await runTool(w.data, actor, parseQuestion('my open deals this month'), NOW);
      expect(own.total, who).toBe(mine.length);
      // (The answer lists at most 10; all of them are among the expected rows.)
      expect(own.rows.length, who).toBe(Math.min(10, mine.length));
      for (const id of ids(own.rows)) expect(ids(mine), who).toContain(id);
    }
    const forAgent = await runTool(w.data, agent, parseQuestion('open deals this month'), NOW);
    const forDirector = await runTool(w.data, director, parseQuestion('open deals this month'), NOW);
    expect(forDirector.total).toBeGreaterThan(forAgent.total);
    expect(forAgent.answer).not.toBe(forDirector.answer);
    expect(forAgent.answer).toMatch(/^There (is|are) \d+ open deals? that you can see closing this month, worth [\d,.]+ in total:/);
  });

  it('counts follow the same scope, and another tenant is never counted', async () => {
    for (const [who, actor] of [['agent', agent], ['director', director]] as const) {
      const expected = (await w.one(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND ${visible(who, ['assigned_to_id', 'supervisor_id'])}`, [w.acme.id])).n;
      const result = await runTool(w.data, actor, parseQuestion('How many contacts are there?'), NOW);
      expect(result.total, who).toBe(expected);
    }
  });

  it('a question the agent does not understand gets the help answer, and no data', async () => {
    const result = await runTool(w.data, agent, parseQuestion('Tell me a joke'), NOW);
    expect(result).toMatchObject({ tool: 'help', rows: [], total: 0 });
    expect(result.answer).toContain('top 5 products by deal value');
  });
});

describe('conversations are private to their user', () => {
  it('stores each question and answer in the asking user\'s own conversation', async () => {
    const first = await ask(w.data, agent, { question: 'top products by deal value' }, { now: NOW });
    expect(first.conversation).toMatchObject({ user_id: agent.principal.userId, title: 'top products by deal value' });
    const again = await ask(w.data, agent, { conversationId: first.conversation.id, question: 'how many leads' }, { now: NOW });
    expect(again.conversation.id).toBe(first.conversation.id);
    const stored = await w.rows('SELECT role, user_id, content FROM agent_messages WHERE conversation_id = $1 ORDER BY id', [first.conversation.id]);
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(new Set(stored.map((m) => m.user_id))).toEqual(new Set([agent.principal.userId]));
    expect(stored[1]!.content).toBe((await topProductsByDealValue(w.data, agent, { owner: 'all' }, NOW, 5)).answer);

    // The director (who sees far more data) cannot read or continue it.
    await expect(ask(w.data, director, { conversationId: first.conversation.id, question: 'hi' })).rejects.toMatchObject({ kind: 'not_found' });
    const admin = await w.actor('admin');
    await expect(ask(w.data, admin, { conversationId: first.conversation.id, question: 'hi' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses a blank or oversized question and a malformed conversation id', async () => {
    await expect(ask(w.data, agent, { question: '  ' })).rejects.toMatchObject({ kind: 'invalid', fields: { question: 'is required' } });
    await expect(ask(w.data, agent, { question: 'x'.repeat(1001) })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(ask(w.data, agent, { question: 'hi', conversationId: 'abc' })).rejects.toMatchObject({ kind: 'invalid', fields: { conversationId: expect.any(String) } });
  });
});

describe('over HTTP', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  const agentBrowser = () => new Browser(app.base);
  beforeAll(async () => {
    app = await startApp(w.db);
  });
  afterAll(() => app?.close());

  it('an Agent and a Director asking the same question get different, correct answers', async () => {
    const a = agentBrowser();
    const d = agentBrowser();
    expect((await a.login('acme', 'agent')).status).toBe(200);
    expect((await d.login('acme', 'director')).status).toBe(200);
    const question = 'leads assigned to my team';
    const fromAgent = await a.call('POST', '/api/agent/ask', { question });
    const fromDirector = await d.call('POST', '/api/agent/ask', { question });
    expect(fromAgent.status).toBe(200);
    expect(fromDirector.status).toBe(200);
    expect(fromAgent.body.result.tool).toBe('list_records');
    for (const [who, res] of [['agent', fromAgent], ['director', fromDirector]] as const) {
      const expected = await w.rows(
        `SELECT id FROM leads WHERE tenant_id = $1 AND assigned_to_id = ANY($2::int[]) AND ${visible(who, ['assigned_to_id', 'assigned_by_id'])}`,
        [w.acme.id, await teamOf(who)],
      );
      expect(res.body.result.total, who).toBe(expected.length);
      expect(res.body.answer.content).toMatch(new RegExp(`^You have ${expected.length} leads? assigned to you or your team`));
      for (const id of ids(res.body.result.rows)) expect(ids(expected)).toContain(id);
    }
    expect(fromAgent.body.answer.content).not.toBe(fromDirector.body.answer.content);

    // Each lists only their own conversations; the other's is a 404.
    const mine = await a.call('GET', '/api/agent/conversations');
    expect(mine.status).toBe(200);
    expect(mine.body.records.length).toBeGreaterThan(0);
    expect(new Set(mine.body.records.map((c: any) => c.user_id))).toEqual(new Set([agent.principal.userId]));
    const theirs = fromDirector.body.conversation.id;
    expect((await a.call('GET', `/api/agent/conversations/${theirs}`)).status).toBe(404);
    expect((await a.call('POST', '/api/agent/ask', { conversationId: theirs, question })).status).toBe(404);
    const own = await d.call('GET', `/api/agent/conversations/${theirs}`);
    expect(own.status).toBe(200);
    expect(own.body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant']);
  });

  it('needs a signed-in user and a question', async () => {
    const anonymous = agentBrowser();
    expect((await anonymous.call('POST', '/api/agent/ask', { question: 'my deals' })).status).toBe(401);
    expect((await anonymous.call('GET', '/api/agent/conversations')).status).toBe(401);
    const b = agentBrowser();
    await b.login('acme', 'agent');
    const missing = await b.call('POST', '/api/agent/ask', {});
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty('question');
    const extra = await b.call('POST', '/api/agent/ask', { question: 'my deals', sql: 'select 1' });
    expect(extra.status).toBe(400);
    expect(extra.body.fields).toHaveProperty('sql');
    expect((await b.call('POST', '/api/agent/ask', '[1]')).status).toBe(400);
  });
});
