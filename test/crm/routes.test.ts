// The CRM actions over HTTP (/api/crm): statuses 200/201/400/401/403/404/409, on the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BASE_DATE } from '../../scripts/demo-data';
import { Browser, startApp } from '../http/client';
import { agentWithout, crmWorld, newLead } from './fixture';

const w = crmWorld();
let app: Awaited<ReturnType<typeof startApp>>;
let agent: Browser;

beforeAll(async () => {
  app = await startApp(w.db);
  agent = new Browser(app.base);
  expect((await agent.login('acme', 'agent')).status).toBe(200);
});
afterAll(() => app?.close());

const stagesOf = async (title: string, tenant = w.acme) =>
  (await w.rows('SELECT s.id, s.sale_pipeline_id FROM sales_stages s JOIN sales_pipelines p ON p.id = s.sale_pipeline_id WHERE p.tenant_id = $1 AND p.title = $2 ORDER BY s."order"', [
    tenant.id,
    title,
  ])) as { id: number; sale_pipeline_id: number }[];

describe('/api/crm', () => {
  it('needs a signed-in user', async () => {
    const anonymous = new Browser(app.base);
    expect((await anonymous.call('GET', '/api/crm/duplicates?resource=contacts&email=a@b.example')).status).toBe(401);
    expect((await anonymous.call('POST', '/api/crm/leads/1/convert')).status).toBe(401);
  });

  it('POST /leads/:id/convert: 201 with the records, 409 the second time, 404 for another tenant, 400 for a bad body', async () => {
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    const res = await agent.call('POST', `/api/crm/leads/${lead.id}/convert`, { createDeal: { title: 'Over HTTP', value: 250 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lead: { id: lead.id, status: 'converted' }, contact: { email: lead.email }, companyCreated: true, deal: { title: 'Over HTTP', value: '250.00' } });
    expect((await w.one('SELECT status FROM leads WHERE id = $1', [lead.id])).status).toBe('converted');

    const again = await agent.call('POST', `/api/crm/leads/${lead.id}/convert`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/already converted/);

    const plain = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    expect((await agent.call('POST', `/api/crm/leads/${plain.id}/convert`)).status).toBe(201);

    const theirs = await newLead(w, { assigned_to_id: w.globex.users.agent!.id, workspace_id: w.globex.workspaces[0] }, w.globex);
    expect((await agent.call('POST', `/api/crm/leads/${theirs.id}/convert`)).status).toBe(404);
    const other = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    expect((await agent.call('POST', `/api/crm/leads/${other.id}/convert`, { createDeal: 'yes' })).status).toBe(400);
    expect((await agent.call('POST', `/api/crm/leads/${other.id}/convert`, [1])).status).toBe(400);
    expect((await w.one('SELECT status FROM leads WHERE id = $1', [other.id])).status).toBe('qualified');
  });

  it('POST /leads/:id/assign: 200, 400 without a usable userId', async () => {
    const lead = await newLead(w, { assigned_to_id: w.acme.users.agent!.id });
    const res = await agent.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: w.acme.users.agent2!.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assigned_to_id: w.acme.users.agent2!.id, assigned_by_id: w.acme.users.agent!.id });
    expect((await agent.call('POST', `/api/crm/leads/${lead.id}/assign`, {})).status).toBe(400);
    expect((await agent.call('POST', `/api/crm/leads/${lead.id}/assign`, { userId: w.acme.users.agent3!.id })).status).toBe(400);
  });

  it('GET /pipelines/:id/board and POST /deals/:id/move: 200; 400 for a stage of another pipeline; 403 without manage_deals', async () => {
    const standard = await stagesOf('Standard Sales');
    const enterprise = await stagesOf('Enterprise Accounts');
    const board = await agent.call('GET', `/api/crm/pipelines/${standard[0]!.sale_pipeline_id}/board?perColumn=3`);
    expect(board.status).toBe(200);
    expect(board.body.columns.map((c: { stage: { id: number } }) => c.stage.id)).toEqual(standard.map((s) => s.id));
    expect(board.body.columns.every((c: { deals: unknown[]; total: number }) => c.deals.length <= 3 && c.total >= c.deals.length)).toBe(true);
    expect((await agent.call('GET', `/api/crm/pipelines/${standard[0]!.sale_pipeline_id}/board?perColumn=lots`)).status).toBe(400);
    const theirs = await stagesOf('Residential Sales', w.globex);
    expect((await agent.call('GET', `/api/crm/pipelines/${theirs[0]!.sale_pipeline_id}/board`)).status).toBe(404);

    const deal = await w.insert('deals', {
      title: 'HTTP kanban',
      stage_id: standard[0]!.id,
      assigned_to_id: w.acme.users.agent!.id,
      workspace_id: w.acme.workspaces[0],
      tenant_id: w.acme.id,
    });
    const moved = await agent.call('POST', `/api/crm/deals/${deal.id}/move`, { stageId: standard[1]!.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: deal.id, stage_id: standard[1]!.id });
    const wrong = await agent.call('POST', `/api/crm/deals/${deal.id}/move`, { stageId: enterprise[0]!.id });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields.stageId).toBeDefined();
    expect((await agent.call('POST', `/api/crm/deals/${deal.id}/move`, {})).status).toBe(400);

    const limited = await agentWithout(w, ['manage_deals']);
    await w.db.pool.query('UPDATE deals SET assigned_to_id = $2 WHERE id = $1', [deal.id, limited.id]);
    const browser = new Browser(app.base);
    const username = (await w.one('SELECT username FROM users WHERE id = $1', [limited.id])).username;
    expect((await browser.login('acme', username, 'matrix-pass-1')).status).toBe(200);
    expect((await browser.call('POST', `/api/crm/deals/${deal.id}/move`, { stageId: standard[2]!.id })).status).toBe(403);
    expect((await w.one('SELECT stage_id FROM deals WHERE id = $1', [deal.id])).stage_id).toBe(standard[1]!.id);
  });

  it('POST /activities/:id/complete: 200, idempotent; 404 for another tenant', async () => {
    const activity = await w.insert('activities', { subject: 'HTTP call', user_id: w.acme.users.agent!.id, workspace_id: w.acme.workspaces[0], tenant_id: w.acme.id });
    const first = await agent.call('POST', `/api/crm/activities/${activity.id}/complete`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'completed', completed_date: new Date().toISOString().slice(0, 10) });
    expect((await agent.call('POST', `/api/crm/activities/${activity.id}/complete`)).body).toEqual(first.body);
    const theirs = await w.one('SELECT id FROM activities WHERE tenant_id = $1 ORDER BY id LIMIT 1', [w.globex.id]);
    expect((await agent.call('POST', `/api/crm/activities/${theirs.id}/complete`)).status).toBe(404);
  });

  it('GET /products/:id/price: 200 with the offer; at= picks the moment; a bad at is a 400', async () => {
    const skates = await w.one(`SELECT id FROM products WHERE tenant_id = $1 AND sku = 'ACME-RSK-PRO'`, [w.acme.id]);
    const res = await agent.call('GET', `/api/crm/products/${skates.id}/price?at=${DEMO_BASE_DATE.toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ price: '1099.00', listPrice: '1299.00', currency: 'USD', offer: { name: 'Launch offer' } });
    expect((await agent.call('GET', `/api/crm/products/${skates.id}/price?at=2020-01-01`)).body).toMatchObject({ price: '1299.00', offer: null });
    expect((await agent.call('GET', `/api/crm/products/${skates.id}/price?at=someday`)).status).toBe(400);
    expect((await agent.call('GET', `/api/crm/products/${skates.id}/price?at=1&at=2`)).status).toBe(400);
  });

  it('GET /duplicates: 200 with visible records and a hidden count; 400 for another resource', async () => {
    const email = (await w.one('SELECT email FROM contacts WHERE tenant_id = $1 AND assigned_to_id = $2 ORDER BY id LIMIT 1', [w.acme.id, w.acme.users.agent2!.id])).email;
    const res = await agent.call('GET', `/api/crm/duplicates?resource=contacts&email=${encodeURIComponent(email.toUpperCase())}`);
    expect(res.status).toBe(200);
    expect(res.body.hidden).toBeGreaterThan(0);
    expect(res.body.contacts.records.every((c: { assigned_to_id: number; supervisor_id: number }) => [c.assigned_to_id, c.supervisor_id].includes(w.acme.users.agent!.id))).toBe(true);
    expect((await agent.call('GET', `/api/crm/duplicates?resource=users&email=${encodeURIComponent(email)}`)).status).toBe(400);
    expect((await agent.call('GET', '/api/crm/duplicates?resource=contacts')).status).toBe(400);
  });

  it('leaves the generic /api router as it was', async () => {
    expect((await agent.call('GET', '/api/contacts?perPage=1')).status).toBe(200);
    expect((await agent.call('GET', '/api/crm/nothing-here')).status).toBe(404);
  });
});
