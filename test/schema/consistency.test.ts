// Rules that keep a row consistent with the rows around it, beyond "same tenant": the consistency keys between two
// references of one row, the manager tree, the argon2id hash shape, one-dimensional permissions, message metadata,
// case-insensitive SKUs, and the audit trail when a whole tenant goes. Each refusal names its rule and writes nothing;
// each comes with the write it must still accept.
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../domain/passwords';
import { useTestDatabase } from '../harness';
import {
  ARGON2ID_HASH,
  addRow,
  consistencyKeys,
  countRows,
  expectInsertRejected,
  expectUpdateRejected,
  fillTenant,
  findRow,
  insertRow,
  makeTenant,
  rowFor,
  tenantTables,
  updateRow,
  type Row,
  type Tenant,
} from './fixtures';

const db = useTestDatabase();
let t: Tenant;
let other: Tenant;

beforeAll(async () => {
  t = await fillTenant(db.pool, await makeTenant(db.pool, 'consistency'));
  other = await fillTenant(db.pool, await makeTenant(db.pool, 'consistency-other'));
});

const fk = (constraint: string) => ({ code: '23503' as const, constraint });
const check = (constraint: string) => ({ code: '23514' as const, constraint });
const unique = (constraint: string) => ({ code: '23505' as const, constraint });

/** A user of tenant `t` nothing else refers to, with no manager. */
const newUser = () => addRow(db.pool, 'users', t, {}, 'required');

describe('the consistency keys, as the Drizzle schema declares them', () => {
  it('are the two known ones, ON DELETE CASCADE like the references they tie together', () => {
    expect(consistencyKeys).toEqual([
      {
        name: 'agent_messages_conversation_owner_fk',
        table: 'agent_messages',
        via: 'conversation_id',
        target: 'agent_conversations',
        shared: 'user_id',
        onDelete: 'cascade',
      },
      {
        name: 'assistant_prospects_conversation_assistant_fk',
        table: 'assistant_prospects',
        via: 'conversation_id',
        target: 'assistant_conversations',
        shared: 'assistant_id',
        onDelete: 'cascade',
      },
    ]);
  });
});

describe("agent_messages_conversation_owner_fk: a message's user is its conversation's user", () => {
  it("a message by another user of the tenant in someone's conversation is refused; by the conversation's owner it is accepted", async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const conversation = await addRow(db.pool, 'agent_conversations', t, { user_id: owner }, 'required');
    const message = (userId: number): Row => ({ ...rowFor('agent_messages', t, 'required'), conversation_id: conversation, user_id: userId });

    await expectInsertRejected(db.pool, 'agent_messages', message(intruder), fk('agent_messages_conversation_owner_fk'));

    const accepted = await insertRow(db.pool, 'agent_messages', message(owner));
    expect(accepted).toMatchObject({ conversation_id: conversation, user_id: owner, tenant_id: t.tenantId });
  });

  it("an existing message cannot be re-attributed to another user, nor moved into another user's conversation", async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const conversation = await addRow(db.pool, 'agent_conversations', t, { user_id: owner }, 'required');
    const intrudersConversation = await addRow(db.pool, 'agent_conversations', t, { user_id: intruder }, 'required');
    const message = await addRow(db.pool, 'agent_messages', t, { conversation_id: conversation, user_id: owner }, 'required');

    await expectUpdateRejected(db.pool, 'agent_messages', message, { user_id: intruder }, fk('agent_messages_conversation_owner_fk'));
    await expectUpdateRejected(db.pool, 'agent_messages', message, { conversation_id: intrudersConversation }, fk('agent_messages_conversation_owner_fk'));
    // Moving the message together with its user, into that user's conversation, is consistent again.
    expect(await updateRow(db.pool, 'agent_messages', message, { conversation_id: intrudersConversation, user_id: intruder })).toMatchObject({
      conversation_id: intrudersConversation,
      user_id: intruder,
    });
  });

  it('a conversation holding messages cannot be handed to another user; an empty one can', async () => {
    const owner = await newUser();
    const successor = await newUser();
    const conversation = await addRow(db.pool, 'agent_conversations', t, { user_id: owner }, 'required');
    await addRow(db.pool, 'agent_messages', t, { conversation_id: conversation, user_id: owner }, 'required');
    await expectUpdateRejected(db.pool, 'agent_conversations', conversation, { user_id: successor }, fk('agent_messages_conversation_owner_fk'));

    const empty = await addRow(db.pool, 'agent_conversations', t, { user_id: owner }, 'required');
    expect(await updateRow(db.pool, 'agent_conversations', empty, { user_id: successor })).toMatchObject({ user_id: successor });
  });
});

describe("assistant_prospects_conversation_assistant_fk: a prospect's conversation is one of the prospect's assistant", () => {
  it("a prospect naming another assistant than its conversation's is refused; its conversation's own assistant is accepted", async () => {
    const assistant = await addRow(db.pool, 'assistants', t, {}, 'required');
    const otherAssistant = await addRow(db.pool, 'assistants', t, {}, 'required');
    const conversation = await addRow(db.pool, 'assistant_conversations', t, { assistant_id: assistant }, 'required');
    const prospect = (assistantId: number): Row => ({ ...rowFor('assistant_prospects', t, 'required'), conversation_id: conversation, assistant_id: assistantId });

    await expectInsertRejected(db.pool, 'assistant_prospects', prospect(otherAssistant), fk('assistant_prospects_conversation_assistant_fk'));

    const accepted = await insertRow(db.pool, 'assistant_prospects', prospect(assistant));
    expect(accepted).toMatchObject({ conversation_id: conversation, assistant_id: assistant, tenant_id: t.tenantId });

    // Nor can the prospect be handed to the other assistant afterwards, nor its conversation to the other assistant.
    await expectUpdateRejected(db.pool, 'assistant_prospects', accepted.id as number, { assistant_id: otherAssistant }, fk('assistant_prospects_conversation_assistant_fk'));
    await expectUpdateRejected(db.pool, 'assistant_conversations', conversation, { assistant_id: otherAssistant }, fk('assistant_prospects_conversation_assistant_fk'));
  });
});

describe('users_no_manager_cycle: the manager tree stays a tree (users_manager_cycle)', () => {
  it('A manages B: B managing A is refused; a longer loop (A <- B <- C, then C managing A) is refused too', async () => {
    const a = await newUser();
    const b = await newUser();
    const c = await newUser();
    await updateRow(db.pool, 'users', b, { manager_id: a });
    await expectUpdateRejected(db.pool, 'users', a, { manager_id: b }, check('users_manager_cycle'));

    await updateRow(db.pool, 'users', c, { manager_id: b });
    await expectUpdateRejected(db.pool, 'users', a, { manager_id: c }, check('users_manager_cycle'));
  });

  it('self-management is refused as well: the trigger, running before the CHECK, reports users_manager_cycle', async () => {
    const a = await newUser();
    await expectUpdateRejected(db.pool, 'users', a, { manager_id: a }, check('users_manager_cycle'));
  });

  it('a manager change that does not loop is accepted: a new manager above, a re-parenting, a new report', async () => {
    const a = await newUser();
    const b = await newUser();
    const c = await newUser();
    const boss = await newUser();
    await updateRow(db.pool, 'users', b, { manager_id: a });
    await updateRow(db.pool, 'users', c, { manager_id: b });
    // boss above a: c -> b -> a -> boss.
    expect(await updateRow(db.pool, 'users', a, { manager_id: boss })).toMatchObject({ manager_id: boss });
    // c moves from b to a (a sibling of b now), and back to nobody.
    expect(await updateRow(db.pool, 'users', c, { manager_id: a })).toMatchObject({ manager_id: a });
    expect(await updateRow(db.pool, 'users', c, { manager_id: null })).toMatchObject({ manager_id: null });
    // A newcomer reporting to c.
    expect(await insertRow(db.pool, 'users', { ...rowFor('users', t, 'required'), manager_id: c })).toMatchObject({ manager_id: c });
  });
});

describe('users_password_format: a full argon2id hash ($argon2id$v=..$m=..,t=..,p=..$salt$hash)', () => {
  it.each([
    ['the bare prefix', '$argon2id$'],
    ['no salt and hash', '$argon2id$v=19$m=19456,t=2,p=1$'],
    ['a salt but no hash', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ'],
    ['an empty hash', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$'],
    ['no version', '$argon2id$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo'],
    ['no parallelism', '$argon2id$v=19$m=19456,t=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo'],
    ['a trailing newline', `${ARGON2ID_HASH}\n`],
  ])('%s is refused', async (_, password) => {
    await expectInsertRejected(db.pool, 'users', { ...rowFor('users', t, 'required'), password }, check('users_password_format'));
  });

  it("an existing user's password cannot be cut down to '$argon2id$' either", async () => {
    await expectUpdateRejected(db.pool, 'users', await newUser(), { password: '$argon2id$' }, check('users_password_format'));
  });

  it('a real argon2id hash (domain/passwords) and the fixtures hash are accepted', async () => {
    const real = await hashPassword('correct horse battery staple');
    for (const password of [real, ARGON2ID_HASH]) {
      expect((await insertRow(db.pool, 'users', { ...rowFor('users', t, 'required'), password })).password).toBe(password);
    }
  });
});

describe('roles_permissions_known: a one-dimensional list of known permissions', () => {
  it('a multi-dimensional array of known permissions is refused, on INSERT and on UPDATE', async () => {
    const nested = [[['manage_users']], [['manage_users', 'view_users'], ['view_reports', 'export_data']]];
    for (const permissions of nested) {
      await expectInsertRejected(db.pool, 'roles', { ...rowFor('roles', t), permissions }, check('roles_permissions_known'));
    }
    const role = await addRow(db.pool, 'roles', t, { permissions: ['view_users'] });
    await expectUpdateRejected(db.pool, 'roles', role, { permissions: [['view_users']] }, check('roles_permissions_known'));
  });

  it('the same permissions as a flat list are accepted', async () => {
    const permissions = ['manage_users', 'view_users', 'view_reports', 'export_data'];
    expect((await insertRow(db.pool, 'roles', { ...rowFor('roles', t), permissions })).permissions).toEqual(permissions);
  });
});

describe('assistant_messages_metadata_object: metadata is a JSON object', () => {
  it.each(['[]', '"text"', '1', 'null', 'true'])('%s is refused', async (json) => {
    await expectInsertRejected(db.pool, 'assistant_messages', { ...rowFor('assistant_messages', t), metadata: json }, check('assistant_messages_metadata_object'));
  });

  it('an object, and the default {}, are accepted; an existing message cannot be changed to an array', async () => {
    expect((await insertRow(db.pool, 'assistant_messages', { ...rowFor('assistant_messages', t), metadata: '{"a": 1}' })).metadata).toEqual({ a: 1 });
    const message = await insertRow(db.pool, 'assistant_messages', rowFor('assistant_messages', t));
    expect(message.metadata).toEqual({});
    await expectUpdateRejected(db.pool, 'assistant_messages', message.id as number, { metadata: '[]' }, check('assistant_messages_metadata_object'));
  });
});

describe('products_tenant_sku_key: a SKU is unique per tenant, case-insensitively', () => {
  it("'SKU-1' then 'sku-1' in the same tenant is refused; 'sku-1' in another tenant is fine", async () => {
    const product = (tenant: Tenant, sku: string): Row => ({ ...rowFor('products', tenant), sku });
    await insertRow(db.pool, 'products', product(t, 'SKU-1'));
    await expectInsertRejected(db.pool, 'products', product(t, 'sku-1'), unique('products_tenant_sku_key'));
    expect((await insertRow(db.pool, 'products', product(other, 'sku-1'))).sku).toBe('sku-1');
    // Renaming another product of the tenant onto a case variant is refused too.
    const second = await insertRow(db.pool, 'products', product(t, 'SKU-2'));
    await expectUpdateRejected(db.pool, 'products', second.id as number, { sku: 'Sku-1' }, unique('products_tenant_sku_key'));
  });
});

describe('the audit trigger and a deleted tenant', () => {
  /** Runs `work` in a transaction on one connection, with epesi.user_id set for that transaction only. */
  async function asUser<T>(userId: number, work: (sql: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('epesi.user_id', $1, true)`, [String(userId)]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  it('with a user set, deleting a single row still leaves its trail (the control)', async () => {
    const deal = await addRow(db.pool, 'deals', t);
    const trail = () => db.pool.query(`SELECT action, actor_id FROM audit_log WHERE tenant_id = $1 AND resource = 'deals' AND record_id = $2`, [t.tenantId, deal]);
    await asUser(t.userId, (sql) => sql.query('DELETE FROM deals WHERE id = $1', [deal]));
    expect((await trail()).rows).toEqual([{ action: 'delete', actor_id: t.userId }]);
  });

  it('deleting a tenant in a transaction with epesi.user_id set succeeds and leaves no row of that tenant, audit_log included', async () => {
    const doomed = await fillTenant(db.pool, await makeTenant(db.pool, 'consistency-doomed'));
    const keptAudit = await countRows(db.pool, 'audit_log', other.tenantId);

    await asUser(doomed.userId, async (sql) => {
      // An audited change first, so the tenant has trail written in this very transaction too.
      await sql.query('UPDATE deals SET title = $1 WHERE id = $2', ['Last words', doomed.rows.deals]);
      expect(await countRows(sql, 'audit_log', doomed.tenantId)).toBeGreaterThan(1);
      await sql.query('DELETE FROM tenants WHERE id = $1', [doomed.tenantId]);
    });

    expect(await findRow(db.pool, 'tenants', doomed.tenantId)).toBeUndefined();
    for (const table of tenantTables) expect(await countRows(db.pool, table, doomed.tenantId), `${table} rows left`).toBe(0);
    expect(tenantTables).toContain('audit_log');
    // Nothing about the deleted tenant was written into another tenant's trail.
    expect(await countRows(db.pool, 'audit_log', other.tenantId)).toBe(keptAudit);
  });
});
