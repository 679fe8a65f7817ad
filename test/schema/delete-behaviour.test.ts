// What deleting a row does to the rows that reference it: a tenant takes all of its rows with it, 'set null'
// clears only the reference, 'restrict' refuses the delete, 'cascade' removes the children. One test per reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import {
  addRow,
  consistencyKeys,
  countRows,
  fillTenant,
  findRow,
  makeTenant,
  references,
  seedTables,
  tenantTables,
  type Row,
  type Tenant,
} from './fixtures';

const db = useTestDatabase();

const deleteRow = (table: string, id: number) => db.pool.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
const without = (row: Row | undefined, ...columns: string[]) => Object.fromEntries(Object.entries(row ?? {}).filter(([c]) => !columns.includes(c)));

describe('deleting a tenant', () => {
  it("removes every one of its rows from every tenant table, and leaves another tenant's rows untouched", async () => {
    const doomed = await fillTenant(db.pool, await makeTenant(db.pool, 'doomed'));
    const kept = await fillTenant(db.pool, await makeTenant(db.pool, 'kept'));

    const snapshot = async (tenantId: number) => {
      const rows: Record<string, Row[]> = {};
      for (const table of tenantTables) rows[table] = (await db.pool.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY id`, [tenantId])).rows;
      return rows;
    };
    const before = await snapshot(doomed.tenantId);
    // The tenant really has rows everywhere, restricted references included (deals in stages, users with roles...).
    for (const table of tenantTables) expect(before[table]!.length, `${table} rows of the tenant`).toBeGreaterThan(0);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(seedTables.filter((t) => t !== 'tenants')));
    const keptBefore = await snapshot(kept.tenantId);

    await db.pool.query('DELETE FROM tenants WHERE id = $1', [doomed.tenantId]);

    expect(await countRows(db.pool, 'tenants', doomed.tenantId)).toBe(0);
    for (const table of tenantTables) expect(await countRows(db.pool, table, doomed.tenantId), `${table} rows left`).toBe(0);
    expect(await snapshot(kept.tenantId)).toEqual(keptBefore);
  });
});

describe('deleting a referenced row', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await fillTenant(db.pool, await makeTenant(db.pool, 'references'));
  });

  /**
   * A fresh target row and a fresh child row pointing at it (nothing else points at either). Where a consistency key
   * ties the column to another reference of the child (a message's user is its conversation's user), the child also
   * gets a fresh row of that other reference agreeing with the target: `via` (else undefined).
   */
  async function pair(table: string, column: string, target: string) {
    const targetId = await addRow(db.pool, target, t, {}, 'required');
    const key = consistencyKeys.find((k) => k.table === table && k.shared === column);
    const via = key && { table: key.target, id: await addRow(db.pool, key.target, t, { [key.shared]: targetId }, 'required') };
    const childId = await addRow(db.pool, table, t, { [column]: targetId, ...(key && via && { [key.via]: via.id }) }, 'required');
    return { targetId, childId, child: (await findRow(db.pool, table, childId))!, via };
  }

  const label = (r: (typeof references)[number]) => `${r.name}: ${r.table}.${r.column} -> ${r.target}`;

  it.each(references.filter((r) => r.onDelete === 'set null').map((r) => [label(r), r] as const))(
    "%s is ON DELETE SET NULL: the reference is cleared, tenant_id and the rest of the row kept",
    async (_, r) => {
      const { targetId, childId, child } = await pair(r.table, r.column, r.target);
      await deleteRow(r.target, targetId);
      expect(await findRow(db.pool, r.target, targetId)).toBeUndefined();
      const after = await findRow(db.pool, r.table, childId);
      expect(after).toMatchObject({ [r.column]: null, tenant_id: t.tenantId });
      // updated_at, where the table has one, moves: the row did change.
      expect(without(after, r.column, 'updated_at')).toEqual(without(child, r.column, 'updated_at'));
    },
  );

  it.each(references.filter((r) => r.onDelete === 'no action').map((r) => [label(r), r] as const))(
    '%s is restrict: deleting a referenced row is refused (23503) and both rows stay',
    async (_, r) => {
      const { targetId, childId, child } = await pair(r.table, r.column, r.target);
      const target = await findRow(db.pool, r.target, targetId);
      await expect(deleteRow(r.target, targetId)).rejects.toMatchObject({ code: '23503', constraint: r.name });
      expect(await findRow(db.pool, r.target, targetId)).toEqual(target);
      expect(await findRow(db.pool, r.table, childId)).toEqual(child);
    },
  );

  it.each(references.filter((r) => r.onDelete === 'cascade').map((r) => [label(r), r] as const))(
    '%s is ON DELETE CASCADE: the children go with their parent',
    async (_, r) => {
      const { targetId, childId, via } = await pair(r.table, r.column, r.target);
      const siblings = await countRows(db.pool, r.table, t.tenantId);
      await deleteRow(r.target, targetId);
      expect(await findRow(db.pool, r.target, targetId)).toBeUndefined();
      expect(await findRow(db.pool, r.table, childId)).toBeUndefined();
      expect(await countRows(db.pool, r.table, t.tenantId), 'only that child went').toBe(siblings - 1);
      // With a consistency key the child's other reference belongs to the target too (the user's conversation, the
      // assistant's conversation): that row cascades away with the target, and the consistency key, ON DELETE CASCADE
      // as well, takes the child along that way too. Either path leaves the same result.
      if (via) expect(await findRow(db.pool, via.table, via.id), `${via.table} of the deleted ${r.target}`).toBeUndefined();
    },
  );

  it('the examples the product relies on are declared as such', () => {
    const onDelete = (name: string) => references.find((r) => r.name === name)?.onDelete;
    expect(onDelete('contacts_company_id_fk')).toBe('set null');
    expect(onDelete('deals_stage_id_fk')).toBe('no action');
    expect(onDelete('users_role_id_fk')).toBe('no action');
    expect(onDelete('sales_stages_sale_pipeline_id_fk')).toBe('cascade');
    expect(onDelete('product_offers_product_id_fk')).toBe('cascade');
    expect(onDelete('agent_messages_conversation_id_fk')).toBe('cascade');
    // Rows of a workspace keep it from being deleted (events aside: history outlives its workspace).
    for (const r of references.filter((r) => r.target === 'workspaces' && r.table !== 'events')) expect(r.onDelete, r.name).toBe('no action');
  });

  it('a pipeline whose stages hold deals cannot be deleted: the stage cascade stops at deals_stage_id_fk', async () => {
    const pipeline = await addRow(db.pool, 'sales_pipelines', t, {}, 'required');
    const stage = await addRow(db.pool, 'sales_stages', t, { sale_pipeline_id: pipeline }, 'required');
    const deal = await addRow(db.pool, 'deals', t, { stage_id: stage }, 'required');
    await expect(deleteRow('sales_pipelines', pipeline)).rejects.toMatchObject({ code: '23503', constraint: 'deals_stage_id_fk' });
    expect(await findRow(db.pool, 'sales_stages', stage)).toBeDefined();
    // Once the deal has moved on, the pipeline goes and takes its stages along.
    await db.pool.query('UPDATE deals SET stage_id = NULL WHERE id = $1', [deal]);
    await deleteRow('sales_pipelines', pipeline);
    expect(await findRow(db.pool, 'sales_stages', stage)).toBeUndefined();
  });

  it('a deleted user takes their Epesi Agent conversations and messages along; records they were assigned stay, unassigned', async () => {
    const role = t.roleId;
    const user = await addRow(db.pool, 'users', t, { role_id: role }, 'required');
    const conversation = await addRow(db.pool, 'agent_conversations', t, { user_id: user }, 'required');
    const message = await addRow(db.pool, 'agent_messages', t, { conversation_id: conversation, user_id: user }, 'required');
    const deal = await addRow(db.pool, 'deals', t, { assigned_to_id: user, supervisor_id: user }, 'required');
    await deleteRow('users', user);
    expect(await findRow(db.pool, 'agent_conversations', conversation)).toBeUndefined();
    expect(await findRow(db.pool, 'agent_messages', message)).toBeUndefined();
    expect(await findRow(db.pool, 'deals', deal)).toMatchObject({ assigned_to_id: null, supervisor_id: null, tenant_id: t.tenantId });
  });
});
