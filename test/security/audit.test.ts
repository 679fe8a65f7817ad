// The audit trail of changes made through the scoped data layer: one row per create, update and delete,
// with who, what and the before/after images, written in the same transaction as the change (a failed or
// refused write leaves none), and none for an update that changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { ScopedData, type Actor, type Row } from '../../domain/scoped-data';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { auditSince, demoTenant, expectRefused, lastAuditId, type AuditRow, type DemoTenant } from './helpers';

const db = useTestDatabase();
let data: ScopedData;
let acme: DemoTenant;
let globex: DemoTenant;

const actor = (username: string, t = acme) => data.actor(t.id, t.users[username]!.id);

/** Runs `fn` and returns the audit rows it left. */
async function audited(fn: () => Promise<unknown>): Promise<AuditRow[]> {
  const since = await lastAuditId(db);
  await fn();
  return auditSince(db, since);
}

beforeAll(async () => {
  await seedDemo(db);
  data = new ScopedData(db);
  acme = await demoTenant(db, 'acme');
  globex = await demoTenant(db, 'globex');
});

let seq = 0;
interface Case {
  who: string;
  resource: string;
  input: () => Row;
  field: string;
  value: unknown;
}
const CASES: Case[] = [
  { who: 'admin', resource: 'contacts', input: () => ({ first_name: 'Aud', last_name: 'It', email: `audit${++seq}@audit.test` }), field: 'phone', value: '555-0100' },
  { who: 'agent', resource: 'contacts', input: () => ({ first_name: 'Aud', last_name: 'Agent', email: `audit${++seq}@audit.test` }), field: 'job_title', value: 'Buyer' },
  { who: 'manager', resource: 'deals', input: () => ({ title: `Audit deal ${++seq}` }), field: 'description', value: 'Bigger now' },
  { who: 'agent', resource: 'activities', input: () => ({ subject: `Audit call ${++seq}` }), field: 'status', value: 'completed' },
  { who: 'agent', resource: 'leads', input: () => ({ first_name: 'Aud', last_name: 'Lead', email: `audit${++seq}@audit.test` }), field: 'score', value: 42 },
  { who: 'superadmin', resource: 'companies', input: () => ({ name: `Audit Co ${++seq}` }), field: 'industry', value: 'Auditing' },
  { who: 'admin', resource: 'workspaces', input: () => ({ name: `Audit space ${++seq}` }), field: 'description', value: 'Audited' },
  { who: 'admin', resource: 'roles', input: () => ({ name: `Audit role ${++seq}`, level: 1, permissions: ['view_own_data'] }), field: 'description', value: 'Audited role' },
  {
    who: 'admin',
    resource: 'users',
    input: () => ({ username: `audit${++seq}`, email: `audit${seq}@acme.test`, password: 'audit-pass-1', first_name: 'Aud', last_name: 'User', role_id: acme.roles[1] }),
    field: 'last_name',
    value: 'Renamed',
  },
];

describe.each(CASES)('$who: $resource', ({ who, resource, input, field, value }) => {
  it('create, update and delete each leave one audit row with actor, tenant, record and before/after', async () => {
    const a = await actor(who);
    const expected = { tenant_id: acme.id, actor_id: acme.users[who]!.id, resource };

    let created!: Row;
    const onCreate = await audited(async () => {
      created = await data.create(a, resource, input());
    });
    const id = created.id as number;
    expect(onCreate).toEqual([expect.objectContaining({ ...expected, record_id: id, action: 'create', before: null })]);
    expect(onCreate[0]!.after).toMatchObject({ id, tenant_id: acme.id });
    const old = onCreate[0]!.after![field];
    expect(old).not.toEqual(value);

    const onUpdate = await audited(() => data.update(a, resource, id, { [field]: value }));
    expect(onUpdate).toEqual([expect.objectContaining({ ...expected, record_id: id, action: 'update' })]);
    expect(onUpdate[0]!.before).toMatchObject({ id, [field]: old });
    expect(onUpdate[0]!.after).toMatchObject({ id, [field]: value });

    const onDelete = await audited(() => data.remove(a, resource, id));
    expect(onDelete).toEqual([expect.objectContaining({ ...expected, record_id: id, action: 'delete', after: null })]);
    expect(onDelete[0]!.before).toMatchObject({ id, [field]: value });
  });
});

describe('one transaction with the change', () => {
  it('the audit row of a create is written by the same transaction as the row', async () => {
    const admin = await actor('admin');
    const created = await data.create(admin, 'contacts', { first_name: 'Same', last_name: 'Tx', email: 'same-tx@audit.test' });
    const { rows } = await db.pool.query(
      `SELECT (SELECT xmin::text FROM contacts WHERE id = $1) AS row_tx,
              (SELECT xmin::text FROM audit_log WHERE resource = 'contacts' AND record_id = $1 AND action = 'create') AS audit_tx`,
      [created.id],
    );
    expect(rows[0].row_tx).toBeTruthy();
    expect(rows[0].audit_tx).toBe(rows[0].row_tx);
  });

  it('a change in another tenant is logged under that tenant and actor', async () => {
    const admin = await actor('admin', globex);
    const log = await audited(() => data.create(admin, 'companies', { name: 'Globex audited' }));
    expect(log).toEqual([expect.objectContaining({ tenant_id: globex.id, actor_id: globex.users.admin!.id, resource: 'companies', action: 'create' })]);
  });

  it('a create refused by a database CHECK leaves neither the row nor an audit row', async () => {
    const admin = await actor('admin');
    const log = await audited(async () => {
      const error = await expectRefused(data.create(admin, 'leads', { first_name: 'Over', last_name: 'Scored', email: 'over@audit.test', score: 150 }), 'invalid');
      expect(error.fields.score).toMatch(/between 0 and 100/);
    });
    expect(log).toEqual([]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM leads WHERE email = 'over@audit.test'`)).rows[0].n).toBe(0);
  });

  it('an update refused by a database CHECK leaves the row and the trail as they were', async () => {
    const admin = await actor('admin');
    const { rows: [deal] } = await db.pool.query('SELECT * FROM deals WHERE tenant_id = $1 ORDER BY id LIMIT 1', [acme.id]);
    const log = await audited(() => expectRefused(data.update(admin, 'deals', deal.id, { description: 'changed', probability: 150 }), 'invalid'));
    expect(log).toEqual([]);
    expect((await db.pool.query('SELECT * FROM deals WHERE id = $1', [deal.id])).rows[0]).toEqual(deal);
  });

  it('a delete the database refuses (still referenced) leaves the row and no audit row', async () => {
    const admin = await actor('admin');
    const ws = acme.workspaces[0]!;
    const log = await audited(() => expectRefused(data.remove(admin, 'workspaces', ws), 'conflict'));
    expect(log).toEqual([]);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM workspaces WHERE id = $1', [ws])).rows[0].n).toBe(1);
  });
});

describe('updates that change nothing', () => {
  let admin: Actor;
  beforeAll(async () => {
    admin = await actor('admin');
  });

  const firstOf = async (table: string) =>
    (await db.pool.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [acme.id])).rows[0] as Row;

  it('leave no audit row, whatever the table (with or without updated_at)', async () => {
    const contact = await firstOf('contacts');
    const user = (await db.pool.query('SELECT * FROM users WHERE id = $1', [acme.users.agent!.id])).rows[0] as Row;
    const workspace = await firstOf('workspaces');
    const role = (await db.pool.query('SELECT * FROM roles WHERE id = $1', [acme.roles[2]])).rows[0] as Row;
    const log = await audited(async () => {
      await data.update(admin, 'contacts', contact.id, { first_name: contact.first_name, phone: contact.phone });
      await data.update(admin, 'users', user.id, { first_name: user.first_name, email: user.email });
      await data.update(admin, 'workspaces', workspace.id, { name: workspace.name });
      await data.update(admin, 'roles', role.id, { permissions: role.permissions, level: role.level });
      await data.update(admin, 'contacts', contact.id, {});
    });
    expect(log).toEqual([]);
    expect((await db.pool.query('SELECT updated_at FROM users WHERE id = $1', [user.id])).rows[0].updated_at).toEqual(user.updated_at);
  });

  it('leave no audit row when a number is written in another form (79 for 79.00)', async () => {
    const product = await firstOf('products');
    const deal = (await db.pool.query('SELECT * FROM deals WHERE tenant_id = $1 AND value IS NOT NULL ORDER BY id LIMIT 1', [acme.id])).rows[0];
    const log = await audited(async () => {
      await data.update(admin, 'products', product.id, { sale_price: Number(product.sale_price) });
      await data.update(admin, 'products', product.id, { sale_price: String(Number(product.sale_price)) });
      await data.update(admin, 'deals', deal.id, { value: Number(deal.value) });
    });
    expect(log).toEqual([]);
    expect((await db.pool.query('SELECT updated_at FROM products WHERE id = $1', [product.id])).rows[0].updated_at).toEqual(product.updated_at);
    // A real change of the number is audited.
    const changed = await audited(() => data.update(admin, 'products', product.id, { sale_price: Number(product.sale_price) + 1 }));
    expect(changed).toHaveLength(1);
    expect(Number(changed[0]!.after!.sale_price)).toBe(Number(product.sale_price) + 1);
  });
});

describe('removeMany', () => {
  it('deletes nothing and audits nothing when one record may not be deleted', async () => {
    const admin = await actor('admin');
    const ids: number[] = [];
    for (const name of ['Temp A', 'Temp B']) ids.push((await data.create(admin, 'roles', { name, level: 1, permissions: ['view_own_data'] })).id as number);
    const higher = acme.roles[6]!; // visible to the admin, but above their level

    const log = await audited(() => expectRefused(data.removeMany(admin, 'roles', [...ids, higher]), 'forbidden'));
    expect(log).toEqual([]);
    const left = await db.pool.query('SELECT id FROM roles WHERE id = ANY($1::int[]) ORDER BY id', [[...ids, higher]]);
    expect(left.rows.map((r) => r.id)).toEqual([...ids, higher].sort((a, b) => a - b));

    // Without it, each deleted record leaves its own row.
    const ok = await audited(() => data.removeMany(admin, 'roles', ids));
    expect(ok.map((r) => [r.action, r.record_id])).toEqual(expect.arrayContaining(ids.map((id) => ['delete', id])));
    expect(ok).toHaveLength(ids.length);
  });

  it('deletes nothing and audits nothing when one record is outside the actor’s scope', async () => {
    const agent = await actor('agent');
    const mine = (
      await db.pool.query('SELECT id FROM contacts WHERE tenant_id = $1 AND assigned_to_id = $2 ORDER BY id LIMIT 2', [acme.id, acme.users.agent!.id])
    ).rows.map((r) => r.id as number);
    const { rows: [theirs] } = await db.pool.query('SELECT id FROM contacts WHERE tenant_id = $1 AND assigned_to_id = $2 LIMIT 1', [
      acme.id, acme.users.agent2!.id,
    ]);
    expect(mine).toHaveLength(2);
    const log = await audited(() => expectRefused(data.removeMany(agent, 'contacts', [...mine, theirs.id]), 'not_found'));
    expect(log).toEqual([]);
    const left = await db.pool.query('SELECT count(*)::int AS n FROM contacts WHERE id = ANY($1::int[])', [[...mine, theirs.id]]);
    expect(left.rows[0].n).toBe(3);
  });
});
