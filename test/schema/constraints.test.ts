// CHECK and NOT NULL rules: every bad value is refused by the database itself, naming the rule, and nothing is written.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { PERMISSIONS, roles } from '../../schema';
import { useTestDatabase } from '../harness';
import {
  ARGON2ID_HASH,
  addRow,
  expectInsertRejected,
  expectUpdateRejected,
  fillTenant,
  insertRow,
  makeTenant,
  rowFor,
  tableConfigs,
  type Row,
  type Tenant,
} from './fixtures';

const db = useTestDatabase();
let t: Tenant;

beforeAll(async () => {
  t = await fillTenant(db.pool, await makeTenant(db.pool, 'checks'));
});

/** A valid row of `table` for the test tenant, with `overrides`. */
const row = (table: string, overrides: Row = {}) => ({ ...rowFor(table, t), ...overrides });
const check = (constraint: string) => ({ code: '23514' as const, constraint });

describe('CHECK: ranges', () => {
  it('roles.level is 1..6: 0 and 7 are refused (roles_level_range), 1 and 6 accepted', async () => {
    for (const level of [0, 7, -1]) await expectInsertRejected(db.pool, 'roles', row('roles', { level }), check('roles_level_range'));
    for (const level of [1, 6]) expect((await insertRow(db.pool, 'roles', row('roles', { level }))).level).toBe(level);
  });

  it('leads.score is 0..100: -1 and 101 refused (leads_score_range), 0 and 100 accepted', async () => {
    for (const score of [-1, 101]) await expectInsertRejected(db.pool, 'leads', row('leads', { score }), check('leads_score_range'));
    for (const score of [0, 100]) expect((await insertRow(db.pool, 'leads', row('leads', { score }))).score).toBe(score);
  });

  it('deals.probability is 0..100: -1 and 101 refused (deals_probability_range), 0, 100 and NULL accepted', async () => {
    for (const probability of [-1, 101]) {
      await expectInsertRejected(db.pool, 'deals', row('deals', { probability }), check('deals_probability_range'));
    }
    for (const probability of [0, 100, null]) {
      expect((await insertRow(db.pool, 'deals', row('deals', { probability }))).probability).toBe(probability);
    }
  });

  it.each([
    ['products', 'sale_price', '-0.01', '0.00'],
    ['products', 'stock', -1, 0],
    ['product_offers', 'discount_value', '-1.00', '0.00'],
    ['deals', 'value', '-0.01', '0.00'],
    ['assistant_documents', 'item_count', -1, 0],
    ['sales_stages', 'order', -1, 0],
  ] as const)('%s.%s >= 0: a negative value is refused, 0 accepted', async (table, column, negative, zero) => {
    await expectInsertRejected(db.pool, table, row(table, { [column]: negative }), check(`${table}_${column}_non_negative`));
    // sales_stages.order is unique per pipeline: 0 goes into a pipeline of its own.
    const extra = table === 'sales_stages' ? { sale_pipeline_id: await addRow(db.pool, 'sales_pipelines', t) } : {};
    expect((await insertRow(db.pool, table, row(table, { [column]: zero, ...extra })))[column]).toBe(zero);
  });
});

describe('through Drizzle', () => {
  it('a violation reaches a Drizzle caller as DrizzleQueryError, with the PostgreSQL code and constraint on err.cause', async () => {
    const before = await db.pool.query('SELECT count(*)::int AS n FROM roles');
    await expect(db.db.insert(roles).values({ name: 'Drizzle role', level: 7, tenantId: t.tenantId })).rejects.toMatchObject({
      cause: { code: '23514', constraint: 'roles_level_range' },
    });
    await expect(db.db.update(roles).set({ level: 0 }).where(eq(roles.id, t.roleId))).rejects.toMatchObject({
      cause: { code: '23514', constraint: 'roles_level_range' },
    });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM roles')).rows).toEqual(before.rows);
    expect((await db.pool.query('SELECT level FROM roles WHERE id = $1', [t.roleId])).rows[0].level).toBe(6);
  });
});

describe('CHECK: product offers', () => {
  it('a percentage discount is at most 100 (product_offers_percentage_max_100); 100 % and a fixed_amount of 150 are accepted', async () => {
    await expectInsertRejected(
      db.pool,
      'product_offers',
      row('product_offers', { discount_type: 'percentage', discount_value: '100.01' }),
      check('product_offers_percentage_max_100'),
    );
    await insertRow(db.pool, 'product_offers', row('product_offers', { discount_type: 'percentage', discount_value: '100.00' }));
    const fixed = await insertRow(db.pool, 'product_offers', row('product_offers', { discount_type: 'fixed_amount', discount_value: '150.00' }));
    expect(fixed.discount_value).toBe('150.00');
  });

  it('end_date is not before start_date (product_offers_dates_ordered); same day and open-ended offers are accepted', async () => {
    await expectInsertRejected(
      db.pool,
      'product_offers',
      row('product_offers', { start_date: '2025-03-10 00:00:00', end_date: '2025-03-09 23:59:59' }),
      check('product_offers_dates_ordered'),
    );
    await insertRow(db.pool, 'product_offers', row('product_offers', { start_date: '2025-03-10 00:00:00', end_date: '2025-03-10 00:00:00' }));
    await insertRow(db.pool, 'product_offers', row('product_offers', { start_date: '2025-03-10 00:00:00', end_date: null }));
    await insertRow(db.pool, 'product_offers', row('product_offers', { start_date: null, end_date: '2025-03-10 00:00:00' }));
  });
});

describe('CHECK: roles.permissions', () => {
  it('holds only known permission strings (roles_permissions_known): unknown, wrongly cased and NULL entries are refused', async () => {
    for (const permissions of [['manage_users', 'delete_everything'], ['MANAGE_USERS'], ['view_users', null], ['']]) {
      await expectInsertRejected(db.pool, 'roles', row('roles', { permissions }), check('roles_permissions_known'));
    }
  });

  it('accepts every known permission, and none', async () => {
    expect((await insertRow(db.pool, 'roles', row('roles', { permissions: [...PERMISSIONS] }))).permissions).toEqual([...PERMISSIONS]);
    expect((await insertRow(db.pool, 'roles', row('roles', { permissions: [] }))).permissions).toEqual([]);
  });
});

describe('CHECK: assistants scope', () => {
  it('a workspace assistant must name its workspace, a tenant assistant must not (assistants_scope_workspace)', async () => {
    await expectInsertRejected(db.pool, 'assistants', row('assistants', { scope: 'workspace', workspace_id: null }), check('assistants_scope_workspace'));
    await expectInsertRejected(db.pool, 'assistants', row('assistants', { scope: 'tenant', workspace_id: t.workspaceId }), check('assistants_scope_workspace'));
    await insertRow(db.pool, 'assistants', row('assistants', { scope: 'workspace', workspace_id: t.workspaceId }));
    await insertRow(db.pool, 'assistants', row('assistants', { scope: 'tenant', workspace_id: null }));
  });

  it('moving a workspace assistant out of its workspace without changing its scope is refused', async () => {
    const id = await addRow(db.pool, 'assistants', t, { scope: 'workspace', workspace_id: t.workspaceId });
    await expectUpdateRejected(db.pool, 'assistants', id, { workspace_id: null }, check('assistants_scope_workspace'));
  });
});

describe('CHECK: formats', () => {
  it.each([
    ['upper case', 'Acme'],
    ['a leading hyphen', '-acme'],
    ['a trailing hyphen', 'acme-'],
    ['64 characters', 'a'.repeat(64)],
    ['a dot', 'acme.corp'],
    ['an underscore', 'acme_2'],
    ['a space', 'ac me'],
    ['a trailing newline', 'acme\n'],
    ['the empty string', ''],
  ])('tenants.subdomain must be a DNS label: %s is refused (tenants_subdomain_format)', async (_, subdomain) => {
    await expectInsertRejected(db.pool, 'tenants', { name: 'Bad', subdomain }, check('tenants_subdomain_format'));
  });

  it("tenants.subdomain accepts DNS labels: 'acme-2', a single character, 63 characters", async () => {
    for (const subdomain of ['acme-2', '7', 'b'.repeat(63)]) {
      expect((await insertRow(db.pool, 'tenants', { name: 'Good', subdomain })).subdomain).toBe(subdomain);
    }
  });

  it('product_categories.color is #rrggbb (product_categories_color_format)', async () => {
    for (const color of ['blue', '3b82f6', '#3b82f', '#3b82f6a', '#gggggg', '#3b82f6\n']) {
      await expectInsertRejected(db.pool, 'product_categories', row('product_categories', { color }), check('product_categories_color_format'));
    }
    for (const color of ['#3B82F6', '#000000', '#a1b2c3']) await insertRow(db.pool, 'product_categories', row('product_categories', { color }));
  });

  it('products.currency is three capital letters (products_currency_format)', async () => {
    for (const currency of ['usd', 'US', 'EURO', 'EU1', '']) {
      await expectInsertRejected(db.pool, 'products', row('products', { currency }), check('products_currency_format'));
    }
    expect((await insertRow(db.pool, 'products', row('products', { currency: 'EUR' }))).currency).toBe('EUR');
  });

  it('users.password must be an argon2id hash: plain text, bcrypt and argon2i are refused (users_password_format)', async () => {
    const passwords = ['hunter2', '', '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', '$argon2i$v=19$m=16,t=2,p=1$c2FsdA$aGFzaA'];
    for (const password of passwords) {
      await expectInsertRejected(db.pool, 'users', row('users', { password }), check('users_password_format'));
    }
    expect((await insertRow(db.pool, 'users', row('users', { password: ARGON2ID_HASH }))).password).toBe(ARGON2ID_HASH);
  });

  it('a user cannot have their password changed to plain text either', async () => {
    await expectUpdateRejected(db.pool, 'users', t.userId, { password: 'hunter2' }, check('users_password_format'));
  });

  it('assistant_conversations.visitor_id is a UUID (assistant_conversations_visitor_id_format)', async () => {
    const uuid = randomUUID();
    for (const visitorId of ['visitor-1', uuid.replace(/-/g, ''), `{${uuid}}`, `${uuid}0`, '']) {
      await expectInsertRejected(
        db.pool,
        'assistant_conversations',
        row('assistant_conversations', { visitor_id: visitorId }),
        check('assistant_conversations_visitor_id_format'),
      );
    }
    for (const visitorId of [randomUUID(), randomUUID().toUpperCase()]) {
      await insertRow(db.pool, 'assistant_conversations', row('assistant_conversations', { visitor_id: visitorId }));
    }
  });
});

describe('CHECK: other rules', () => {
  it('a user cannot be made their own manager: the users_no_manager_cycle trigger refuses it first (users_manager_cycle)', async () => {
    // The BEFORE trigger runs before CHECK constraints are evaluated, and the existing row is a one-user loop.
    await expectUpdateRejected(db.pool, 'users', t.userId, { manager_id: t.userId }, check('users_manager_cycle'));
  });

  it('a new user naming themself as manager is refused by the CHECK (users_not_own_manager)', async () => {
    // The trigger finds no loop (the row does not exist yet), so the CHECK is what refuses it.
    const { rows } = await db.pool.query(`SELECT nextval(pg_get_serial_sequence('users', 'id'))::int AS id`);
    const id = (rows[0] as { id: number }).id;
    await expectInsertRejected(db.pool, 'users', row('users', { id, manager_id: id }), check('users_not_own_manager'));
  });

  it('events.event_name is not blank (events_event_name_not_blank)', async () => {
    for (const eventName of ['', '   ']) {
      await expectInsertRejected(db.pool, 'events', row('events', { event_name: eventName }), check('events_event_name_not_blank'));
    }
  });

  it.each([
    ['events', 'event_properties'],
    ['products', 'specifications'],
    ['product_offers', 'conditions'],
  ])('%s.%s is a JSON object, not an array or a scalar', async (table, column) => {
    for (const json of ['[]', '"text"', '1', 'null']) {
      await expectInsertRejected(db.pool, table, row(table, { [column]: json }), check(`${table}_${column}_object`));
    }
    expect((await insertRow(db.pool, table, row(table, { [column]: '{"a": 1}' })))[column]).toEqual({ a: 1 });
  });
});

// -----------------------------------------------------------------------------------------------------------------
// Enumerations: generated from the Drizzle columns' enum values.

const enumColumns = tableConfigs
  .flatMap((c) => c.columns.map((col) => ({ table: c.name, column: col.name, values: (col.enumValues ?? []) as readonly string[], notNull: col.notNull })))
  .filter((e) => e.values.length > 0);

/** A valid row of `table` whose `column` holds `value` (keeping the row's other rules). */
function withValue(table: string, column: string, value: unknown): Row {
  const r = row(table, { [column]: value });
  if (table === 'assistants' && column === 'scope') r.workspace_id = value === 'workspace' ? t.workspaceId : null;
  return r;
}

describe('CHECK: enumerations', () => {
  it('cover every column the seed enumerates', () => {
    expect(enumColumns.map((e) => `${e.table}.${e.column}`)).toEqual(
      expect.arrayContaining([
        'activities.priority',
        'activities.status',
        'agent_messages.role',
        'assistant_conversations.status',
        'assistant_documents.type',
        'assistant_messages.message_type',
        'assistant_messages.role',
        'assistant_prospects.lead_quality',
        'assistants.scope',
        'contacts.status',
        'leads.status',
        'product_offers.discount_type',
        'projects.status',
      ]),
    );
  });

  it("hold the seed's documented values", () => {
    const values = (table: string, column: string) => enumColumns.find((e) => e.table === table && e.column === column)?.values;
    expect(values('projects', 'status')).toEqual(['active', 'completed', 'on-hold']);
    expect(values('contacts', 'status')).toEqual(['lead', 'prospect', 'active', 'inactive']);
    expect(values('leads', 'status')).toEqual(expect.arrayContaining(['new', 'contacted', 'qualified']));
    expect(values('product_offers', 'discount_type')).toEqual(['percentage', 'fixed_amount']);
    expect(values('agent_messages', 'role')).toEqual(['user', 'assistant']);
    expect(values('assistant_messages', 'role')).toEqual(['user', 'assistant']);
    expect(values('assistant_messages', 'message_type')).toEqual(['text', 'lead_form', 'file']);
    expect(values('assistants', 'scope')).toEqual(['tenant', 'workspace']);
    expect(values('assistant_documents', 'type')).toEqual(['products', 'projects', 'documents', 'faq']);
    expect(values('assistant_prospects', 'lead_quality')).toEqual(['hot', 'warm', 'cold', 'unqualified']);
  });

  it.each(enumColumns.map((e) => [`${e.table}.${e.column}`, e] as const))(
    '%s accepts only its listed values',
    async (_, { table, column, values }) => {
      const violation = check(`${table}_${column}_check`);
      const wrongCase = values[0]!.toUpperCase();
      for (const bad of ['bogus', wrongCase, ` ${values[0]}`, '']) {
        await expectInsertRejected(db.pool, table, withValue(table, column, bad), violation);
      }
      for (const value of values) expect((await insertRow(db.pool, table, withValue(table, column, value)))[column]).toBe(value);
      // ...and an existing row cannot be changed to an unknown value.
      const id = t.rows[table]!;
      const set = table === 'assistants' && column === 'scope' ? { scope: 'bogus', workspace_id: null } : { [column]: 'bogus' };
      await expectUpdateRejected(db.pool, table, id, set, violation);
    },
  );

  it('assistant_prospects.lead_quality may be left unset (NULL)', async () => {
    expect((await insertRow(db.pool, 'assistant_prospects', row('assistant_prospects', { lead_quality: null }))).lead_quality).toBeNull();
  });
});

// -----------------------------------------------------------------------------------------------------------------
// NOT NULL: every NOT NULL column refuses an explicit NULL (a default does not stand in for an explicit NULL).

const notNullColumns = tableConfigs.flatMap((c) => c.columns.filter((col) => col.notNull).map((col) => ({ table: c.name, column: col.name })));

describe('NOT NULL', () => {
  it.each(notNullColumns.map((c) => [`${c.table}.${c.column}`, c] as const))('%s refuses NULL (23502)', async (_, { table, column }) => {
    await expectInsertRejected(db.pool, table, row(table, { [column]: null }), { code: '23502', table, column });
  });

});
