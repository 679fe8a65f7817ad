// The back office's own events go into the outbox with no code per resource: a trigger on every audited table
// writes record.created / updated / deleted (and deal.stage_changed) in the transaction of the change, so a
// refused or failed write leaves none; sign-ins and lead conversions add theirs; system writes add none.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitEvent } from '../../analytics/outbox';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { Browser } from '../http/client';
import { useAnalyticsWorld } from './helpers';

const w = useAnalyticsWorld();
let data: ScopedData;
const actor = (username: string): Promise<Actor> => data.actor(w.acme.id, w.acme.users[username]!.id);

beforeAll(() => {
  data = new ScopedData(w.db);
});

const lastId = async () => Number((await w.db.pool.query('SELECT coalesce(max(id), 0) AS m FROM events')).rows[0].m);
async function eventsOf(fn: () => Promise<unknown>): Promise<Record<string, any>[]> {
  const since = await lastId();
  await fn().catch(() => {});
  return (
    await w.db.pool.query(
      `SELECT e.*, (SELECT count(*) FROM events_pending p WHERE p.event_id = e.id)::int AS queued FROM events e WHERE id > $1 ORDER BY id`,
      [since],
    )
  ).rows;
}

describe('record events', () => {
  it('create, update and delete through the scoped layer each write one event, queued, as the actor in the record\'s workspace', async () => {
    const a = await actor('agent');
    const agent = w.acme.users.agent!;
    let id = 0;
    const created = await eventsOf(async () => {
      id = (await data.create(a, 'contacts', { first_name: 'Ev', last_name: 'Ent', email: 'ev.ent@events.test' })).id as number;
    });
    expect(created).toMatchObject([
      {
        event_name: 'record.created',
        tenant_id: w.acme.id,
        user_id: agent.id,
        workspace_id: agent.workspace_id,
        source: 'backoffice',
        event_properties: { resource: 'contacts', record_id: id },
        queued: 1,
      },
    ]);
    const updated = await eventsOf(() => data.update(a, 'contacts', id, { phone: '555-0101', job_title: 'Buyer' }));
    expect(updated).toMatchObject([{ event_name: 'record.updated', event_properties: { resource: 'contacts', record_id: id, fields: ['job_title', 'phone'] } }]);
    expect(await eventsOf(() => data.update(a, 'contacts', id, { phone: '555-0101' }))).toEqual([]);
    const deleted = await eventsOf(() => data.remove(a, 'contacts', id));
    expect(deleted).toMatchObject([{ event_name: 'record.deleted', user_id: agent.id, event_properties: { resource: 'contacts', record_id: id } }]);
  });

  it('covers every audited resource without code of its own (a workspace, a role, a user)', async () => {
    const admin = await actor('admin');
    const events = await eventsOf(async () => {
      const ws = await data.create(admin, 'workspaces', { name: 'Events space' });
      await data.update(admin, 'workspaces', ws.id, { description: 'x' });
      await data.remove(admin, 'workspaces', ws.id);
    });
    expect(events.map((e) => [e.event_name, e.event_properties.resource, e.workspace_id])).toEqual([
      ['record.created', 'workspaces', null],
      ['record.updated', 'workspaces', null],
      ['record.deleted', 'workspaces', null],
    ]);
  });

  it('a password change is recorded as a changed field, never its value', async () => {
    const a = await actor('agent');
    const [e] = await eventsOf(() => data.update(a, 'users', w.acme.users.agent!.id, { password: 'another-pass-9' }));
    expect(e).toMatchObject({ event_name: 'record.updated', event_properties: { resource: 'users', fields: ['password'] } });
    expect(JSON.stringify(e)).not.toMatch(/argon2|another-pass/);
    await data.update(a, 'users', w.acme.users.agent!.id, { password: 'demo1234' });
  });

  it('a deal moved to another stage also writes deal.stage_changed with both stages, the pipeline and the value', async () => {
    const m = await actor('admin');
    const { rows: [deal] } = await w.db.pool.query(
      `SELECT d.id, d.stage_id, d.value, s.sale_pipeline_id FROM deals d JOIN sales_stages s ON s.id = d.stage_id
       WHERE d.tenant_id = $1 ORDER BY d.id LIMIT 1`,
      [w.acme.id],
    );
    const { rows: [target] } = await w.db.pool.query(
      'SELECT id FROM sales_stages WHERE sale_pipeline_id = $1 AND id <> $2 ORDER BY "order" LIMIT 1',
      [deal.sale_pipeline_id, deal.stage_id],
    );
    const events = await eventsOf(() => data.update(m, 'deals', deal.id, { stage_id: target.id }));
    expect(events.map((e) => e.event_name)).toEqual(['record.updated', 'deal.stage_changed']);
    expect(events[1]!.event_properties).toEqual({
      deal_id: deal.id,
      from_stage_id: deal.stage_id,
      to_stage_id: target.id,
      pipeline_id: deal.sale_pipeline_id,
      value: deal.value === null ? null : Number(deal.value),
    });
  });

  it('a refused or failed write leaves no event', async () => {
    const a = await actor('agent');
    expect(await eventsOf(() => data.create(a, 'workspaces', { name: 'Not allowed' }))).toEqual([]);
    expect(await eventsOf(() => data.create(a, 'leads', { first_name: 'X', last_name: 'Y', email: 'x@y.test', score: 500 }))).toEqual([]);
  });

  it('system writes (seeding, bulk loads: no actor) write none', async () => {
    expect(
      await eventsOf(() => w.db.pool.query(`INSERT INTO companies (name, tenant_id) VALUES ('System Co', $1)`, [w.acme.id])),
    ).toEqual([]);
  });
});

describe('other domain events', () => {
  it('user.login on a successful sign-in, none on a failed one', async () => {
    const ok = await eventsOf(() => new Browser(w.base).login('acme', 'manager'));
    expect(ok).toMatchObject([
      { event_name: 'user.login', user_id: w.acme.users.manager!.id, workspace_id: w.acme.users.manager!.workspace_id, source: 'backoffice' },
    ]);
    expect(ok[0]!.ip_address).toMatch(/127\.0\.0\.1/);
    expect(await eventsOf(() => new Browser(w.base).login('acme', 'manager', 'wrong-password'))).toEqual([]);
  });

  it('lead.converted in the conversion\'s transaction, with the records it made', async () => {
    const b = new Browser(w.base);
    await b.login('acme', 'admin');
    const { rows: [lead] } = await w.db.pool.query(
      `SELECT id FROM leads WHERE tenant_id = $1 AND status <> 'converted' ORDER BY id LIMIT 1`,
      [w.acme.id],
    );
    let res: Awaited<ReturnType<Browser['call']>> | undefined;
    const events = await eventsOf(async () => {
      res = await b.call('POST', `/api/crm/leads/${lead.id}/convert`, { createDeal: { value: 1200 } });
    });
    expect(res!.status, JSON.stringify(res!.body)).toBe(201);
    const converted = events.find((e) => e.event_name === 'lead.converted');
    expect(converted).toMatchObject({
      user_id: w.acme.users.admin!.id,
      event_properties: { lead_id: lead.id, contact_id: res!.body.contact.id, deal_id: res!.body.deal.id },
    });
    // The conversion's own writes were recorded too.
    expect(events.filter((e) => e.event_name === 'record.created').map((e) => e.event_properties.resource)).toEqual(
      expect.arrayContaining(['contacts', 'deals']),
    );
  });

  it('emitEvent belongs to its transaction: rolled back with it, and defaults to the actor and their workspace', async () => {
    const manager = w.acme.users.manager!;
    const rolledBack = await eventsOf(() =>
      data.inTenant(w.acme.id, manager.id, async (tx) => {
        await emitEvent(tx, { event: 'report.exported' });
        throw new Error('undo');
      }),
    );
    expect(rolledBack).toEqual([]);
    const committed = await eventsOf(() => data.inTenant(w.acme.id, manager.id, (tx) => emitEvent(tx, { event: 'report.exported', properties: { report: 'pipeline' } })));
    expect(committed).toMatchObject([
      { event_name: 'report.exported', tenant_id: w.acme.id, user_id: manager.id, workspace_id: manager.workspace_id, event_properties: { report: 'pipeline' }, queued: 1 },
    ]);
  });

  it('the application role queues events but cannot read or remove the queue', async () => {
    for (const statement of ['SELECT * FROM events_pending', 'DELETE FROM events_pending']) {
      const err = await data.inTenant(w.acme.id, null, (tx) => tx.execute(sql.raw(statement))).then(() => null, (e: Error & { cause?: Error }) => e);
      expect(String(err?.cause?.message ?? err?.message)).toMatch(/permission denied for table events_pending/);
    }
  });
});
