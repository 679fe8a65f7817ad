// The CRM reports (PostgreSQL, through the scoped layer) against figures computed here, in JavaScript, from the
// rows read as the system: pipeline performance, lead -> contact -> deal conversion, activities per user and
// team. Each viewer gets their own scope: the manager their team, the director their workspace, the admin all.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BASE_DATE } from '../../scripts/demo-data';
import { Browser } from '../http/client';
import type { DemoTenant } from '../security/helpers';
import { useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
const browsers: Record<string, Browser> = {};
async function as(username: string) {
  if (!browsers[username]) {
    const b = new Browser(w.base);
    expect((await b.login('acme', username)).status).toBe(200);
    browsers[username] = b;
  }
  return browsers[username]!;
}
async function report(username: string, path: string) {
  const res = await (await as(username)).call('GET', `/api/analytics/${path}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

type Row = Record<string, any>;
let deals: Row[], stages: Row[], pipelines: Row[], leads: Row[], contacts: Row[], activities: Row[];

/** Who a viewer sees, restated independently of the code: owners in the team (or all), and the workspace rule. */
function viewer(t: DemoTenant, username: string) {
  const me = t.users[username]!;
  const team = new Set([me.id]);
  for (const id of team) for (const u of Object.values(t.users)) if (u.manager_id === id) team.add(u.id);
  const all = me.level >= 3; // view_all_data from Super Admin up
  const crossWorkspace = me.level >= 5;
  const inWorkspace = (r: Row) => crossWorkspace || me.workspace_id === null || r.workspace_id === null || r.workspace_id === me.workspace_id;
  const owns = (r: Row, owners: string[]) => all || owners.some((f) => team.has(r[f]));
  return { inWorkspace, owns };
}

const cents = (v: string | null) => (v === null ? 0 : Math.round(Number(v) * 100));
const money = (c: number) => (c / 100).toFixed(2);

beforeAll(async () => {
  // Two conversions, so that converted leads have contacts (and one a deal).
  const admin = await as('admin');
  const { rows: open } = await w.db.pool.query(
    `SELECT id FROM leads WHERE tenant_id = $1 AND status <> 'converted' AND assigned_to_id IS NOT NULL ORDER BY id LIMIT 2`,
    [w.acme.id],
  );
  expect((await admin.call('POST', `/api/crm/leads/${open[0].id}/convert`, { createDeal: { value: '2500.50' } })).status).toBe(201);
  expect((await admin.call('POST', `/api/crm/leads/${open[1].id}/convert`, {})).status).toBe(201);
  const q = async (table: string) => (await w.db.pool.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY id`, [w.acme.id])).rows;
  [deals, stages, pipelines, leads, contacts, activities] = (await Promise.all(
    ['deals', 'sales_stages', 'sales_pipelines', 'leads', 'contacts', 'activities'].map(q),
  )) as [Row[], Row[], Row[], Row[], Row[], Row[]];
});

function expectedPipeline(username: string) {
  const v = viewer(w.acme, username);
  const visibleDeals = deals.filter((d) => v.owns(d, ['assigned_to_id', 'supervisor_id']) && v.inWorkspace(d));
  const measure = (ds: Row[]) => {
    const probs = ds.map((d) => d.probability).filter((p) => p !== null);
    return {
      deals: ds.length,
      value: money(ds.reduce((s, d) => s + cents(d.value), 0)),
      weighted_value: money(Math.round(ds.reduce((s, d) => s + cents(d.value) * (d.probability ?? 0), 0) / 100)),
      avg_probability: probs.length ? Math.round(probs.reduce((s, p) => s + p, 0) / probs.length) : null,
    };
  };
  const rows = stages
    .filter((s) => v.inWorkspace(s))
    .map((s) => ({ s, p: pipelines.find((p) => p.id === s.sale_pipeline_id)! }))
    .filter(({ p }) => v.inWorkspace(p))
    .sort((a, b) => a.p.id - b.p.id || a.s.order - b.s.order)
    .map(({ s, p }) => ({
      pipeline_id: p.id, pipeline: p.title, stage_id: s.id, stage: s.title, stage_order: s.order,
      ...measure(visibleDeals.filter((d) => d.stage_id === s.id)),
    }));
  const unstaged = visibleDeals.filter((d) => d.stage_id === null);
  if (unstaged.length) rows.push({ pipeline_id: null, pipeline: null, stage_id: null, stage: null, stage_order: null, ...measure(unstaged) } as never);
  return rows;
}

describe('pipeline performance', () => {
  it.each(['admin', 'director', 'manager'])('matches the deals %s may see, per pipeline and stage', async (username) => {
    const res = await report(username, 'pipeline');
    expect(res.rows).toEqual(expectedPipeline(username));
    expect(res.rows.reduce((s: number, r: Row) => s + r.deals, 0)).toBeGreaterThan(0);
  });

  it('a manager\'s figures are their team\'s: fewer deals than the admin\'s', async () => {
    const total = async (u: string) => (await report(u, 'pipeline')).rows.reduce((s: number, r: Row) => s + r.deals, 0);
    expect(await total('manager')).toBeLessThan(await total('admin'));
  });

  it('filters by creation time and workspace', async () => {
    const from = new Date(DEMO_BASE_DATE.getTime() - 60 * 86_400_000);
    const res = await report('admin', `pipeline?from=${from.toISOString()}&to=${DEMO_BASE_DATE.toISOString()}&workspace=none`);
    const v = deals.filter((d) => d.created_at >= from && d.created_at < DEMO_BASE_DATE && d.workspace_id === null);
    expect(res.rows.reduce((s: number, r: Row) => s + r.deals, 0)).toBe(v.length);
  });
});

describe('lead -> contact -> deal conversion', () => {
  it.each(['admin', 'manager'])('matches the leads, contacts and deals %s may see', async (username) => {
    const v = viewer(w.acme, username);
    const from = new Date('2020-01-01');
    const inLeads = leads.filter((l) => v.owns(l, ['assigned_to_id', 'assigned_by_id']) && v.inWorkspace(l) && l.created_at >= from);
    const visibleContacts = contacts.filter((c) => v.owns(c, ['assigned_to_id', 'supervisor_id']) && v.inWorkspace(c));
    const visibleDeals = deals.filter((d) => v.owns(d, ['assigned_to_id', 'supervisor_id']) && v.inWorkspace(d));
    const converted = inLeads.filter((l) => l.status === 'converted');
    const contactsOf = (l: Row) => visibleContacts.filter((c) => c.email.toLowerCase() === l.email.toLowerCase());
    const withContact = converted.filter((l) => contactsOf(l).length > 0);
    const withDeal = withContact.filter((l) => contactsOf(l).some((c) => visibleDeals.some((d) => d.contact_id === c.id)));
    const dealIds = new Set(converted.flatMap((l) => contactsOf(l).flatMap((c) => visibleDeals.filter((d) => d.contact_id === c.id).map((d) => d.id))));
    const dealValue = money([...dealIds].reduce((s, id) => s + cents(visibleDeals.find((d) => d.id === id)!.value), 0));
    const res = await report(username, `lead-conversion?from=2020-01-01&to=2030-01-01`);
    const counts = [inLeads.length, converted.length, withContact.length, withDeal.length];
    expect(res.rows.map((r: Row) => [r.step, r.count])).toEqual([
      ['leads', counts[0]], ['converted', counts[1]], ['contacts', counts[2]], ['deals', counts[3]],
    ]);
    expect(res.rows[3].rate).toBe(Math.round((counts[3]! / counts[0]!) * 10_000) / 10_000);
    expect(res.summary.deal_value).toBe(dealValue);
    if (username === 'admin') expect(counts[2]).toBeGreaterThanOrEqual(2);
  });
});

describe('activities per user and team', () => {
  const today = new Date().toISOString().slice(0, 10);
  const measure = (as: Row[]) => ({
    total: as.length,
    completed: as.filter((a) => a.status === 'completed').length,
    planned: as.filter((a) => a.status === 'planned').length,
    in_progress: as.filter((a) => a.status === 'in_progress').length,
    cancelled: as.filter((a) => a.status === 'cancelled').length,
    overdue: as.filter((a) => ['planned', 'in_progress'].includes(a.status) && a.due_date !== null && a.due_date < today).length,
  });
  const visibleTo = (username: string) => {
    const v = viewer(w.acme, username);
    return activities.filter((a) => v.owns(a, ['user_id', 'supervisor_id']) && v.inWorkspace(a));
  };

  it.each(['admin', 'manager'])('per user, for %s', async (username) => {
    const res = await report(username, 'activities?from=2020-01-01&to=2030-01-01');
    const mine = visibleTo(username);
    const byUser = new Map<number | null, Row[]>();
    for (const a of mine) byUser.set(a.user_id, [...(byUser.get(a.user_id) ?? []), a]);
    const expected = [...byUser]
      .map(([id, as]) => ({ id, ...measure(as) }))
      .sort((a, b) => b.total - a.total || (a.id ?? Infinity) - (b.id ?? Infinity));
    expect(res.rows.map((r: Row) => ({ id: r.user_id, ...Object.fromEntries(Object.keys(measure([])).map((k) => [k, r[k]])) }))).toEqual(expected);
    const agent = w.acme.users.agent!;
    const agentRow = res.rows.find((r: Row) => r.user_id === agent.id);
    if (agentRow) expect(agentRow.username).toBe('agent');
  });

  it('per team: every manager\'s whole subtree, themselves included', async () => {
    const res = await report('admin', 'activities?from=2020-01-01&to=2030-01-01&by=team');
    const users = Object.values(w.acme.users);
    const mine = visibleTo('admin');
    const leadsOfTeams = users.filter((u) => users.some((x) => x.manager_id === u.id)).sort((a, b) => a.id - b.id);
    expect(res.rows).toEqual(
      leadsOfTeams.map((lead) => {
        const team = new Set([lead.id]);
        for (const id of team) for (const u of users) if (u.manager_id === id) team.add(u.id);
        return { team_lead_id: lead.id, team_lead: lead.username, members: team.size, ...measure(mine.filter((a) => a.user_id !== null && team.has(a.user_id))) };
      }),
    );
  });
});

describe('without ClickHouse', () => {
  it('event analytics answer 503 with the reason; the CRM reports still work', async () => {
    const { startApp } = await import('../http/client');
    const bare = await startApp(w.db); // clickhouse: null
    try {
      const b = new Browser(bare.base);
      expect((await b.login('acme', 'admin')).status).toBe(200);
      const trends = await b.call('GET', '/api/analytics/trends');
      expect(trends.status).toBe(503);
      expect(trends.body.error).toMatch(/need ClickHouse/);
      expect((await b.call('GET', '/api/analytics/pipeline')).status).toBe(200);
      // Ingest still accepts: events wait in the outbox.
      expect((await b.call('POST', '/ingest/v1/events', { event: 'page.view' })).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('permissions', () => {
  it('roles without view_reports get 403; managers may export CSV', async () => {
    for (const q of ['pipeline', 'lead-conversion', 'activities']) {
      const res = await (await as('agent')).call('GET', `/api/analytics/${q}`);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatch(/view_reports/);
    }
    const csv = await (await as('manager')).call('GET', '/api/analytics/pipeline.csv');
    expect(csv.status).toBe(200);
    expect(String(csv.body).split('\r\n')[0]).toBe('pipeline_id,pipeline,stage_id,stage,stage_order,deals,value,weighted_value,avg_probability');
  });
});
