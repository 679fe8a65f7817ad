// Defaults the database fills in when a writer leaves a column out, and updated_at kept current by the trigger
// for every writer (raw SQL included).
import { is, SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { addRow, fillTenant, findRow, insertRow, makeTenant, rowFor, tableConfigs, type Tenant } from './fixtures';

const db = useTestDatabase();
let t: Tenant;

beforeAll(async () => {
  t = await fillTenant(db.pool, await makeTenant(db.pool, 'defaults'));
});

/** A row of `table` with only what has no default (NOT NULL references to the tenant's rows included). */
const minimalRow = (table: string) => rowFor(table, t, 'required');

describe('defaults', () => {
  it("products: currency 'USD', active, not featured, no stock, empty specifications", async () => {
    const product = await insertRow(db.pool, 'products', minimalRow('products'));
    expect(product).toMatchObject({ currency: 'USD', is_active: true, is_featured: false, stock: 0, specifications: {} });
  });

  it("product_categories: color '#3b82f6' and icon 'Package'", async () => {
    const category = await insertRow(db.pool, 'product_categories', minimalRow('product_categories'));
    expect(category).toMatchObject({ color: '#3b82f6', icon: 'Package' });
  });

  const withIsActive = tableConfigs.filter((c) => c.columns.some((col) => col.name === 'is_active')).map((c) => c.name);
  it.each(withIsActive)('%s.is_active defaults to true', async (table) => {
    expect((await insertRow(db.pool, table, minimalRow(table))).is_active).toBe(true);
  });

  // Every literal default declared in Drizzle (statuses, flags, counters, JSON objects...) is the database's too.
  const literalDefaults = tableConfigs
    .map((c) => ({
      table: c.name,
      defaults: Object.fromEntries(c.columns.filter((col) => col.default !== undefined && !is(col.default, SQL)).map((col) => [col.name, col.default])),
    }))
    .filter((d) => Object.keys(d.defaults).length > 0);
  it.each(literalDefaults.map((d) => [d.table, d.defaults] as const))('%s: the schema defaults %j are applied', async (table, defaults) => {
    expect(await insertRow(db.pool, table, minimalRow(table))).toMatchObject(defaults);
  });

  it('roles.permissions defaults to no permission', async () => {
    expect((await insertRow(db.pool, 'roles', minimalRow('roles'))).permissions).toEqual([]);
  });
});

describe('timestamps', () => {
  it('sessions run in UTC, so now() defaults are UTC as the app expects of TIMESTAMP columns', async () => {
    expect((await db.pool.query('SHOW TimeZone')).rows[0].TimeZone).toMatch(/^(Etc\/)?UTC$/);
  });

  const timestamped = tableConfigs
    .map((c) => ({ table: c.name, columns: c.columns.map((col) => col.name).filter((n) => n === 'created_at' || n === 'updated_at') }))
    .filter((c) => c.columns.length > 0);
  it.each(timestamped.map((c) => [c.table, c.columns.join(' and ')] as const))('%s: %s are filled with now()', async (table, columns) => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const row = await insertRow(client, table, minimalRow(table));
      // now() is the transaction's start: the same instant as localtimestamp in this transaction.
      const checks = columns.split(' and ').map((c) => `${c} = localtimestamp AS ${c}`);
      const { rows } = await client.query(`SELECT ${checks.join(', ')} FROM ${table} WHERE id = $1`, [row.id]);
      await client.query('COMMIT');
      expect(rows[0]).toEqual(Object.fromEntries(columns.split(' and ').map((c) => [c, true])));
    } finally {
      client.release();
    }
  });
});

describe('updated_at trigger', () => {
  // A column each table lets us change, other than updated_at.
  const touch: Record<string, string> = { users: 'first_name', agent_conversations: 'title', assistant_conversations: 'visitor_name', assistant_prospects: 'notes' };
  const withUpdatedAt = tableConfigs.filter((c) => c.columns.some((col) => col.name === 'updated_at')).map((c) => c.name);
  const columnToTouch = (table: string) => {
    const column = touch[table] ?? (tableConfigs.find((c) => c.name === table)!.columns.some((c) => c.name === 'description') ? 'description' : undefined);
    if (!column) throw new Error(`updated_at test: name a column of ${table} to update`);
    return column;
  };

  it.each(withUpdatedAt)('%s: a raw SQL UPDATE of another column sets updated_at to now(), created_at stays', async (table) => {
    const id = await addRow(db.pool, table, t, { created_at: '2000-01-01 00:00:00', updated_at: '2000-01-01 00:00:00' });
    const old = await db.pool.query(`SELECT updated_at = '2000-01-01' AS kept FROM ${table} WHERE id = $1`, [id]);
    expect(old.rows[0].kept, 'an INSERT keeps an explicit updated_at').toBe(true);

    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE ${table} SET ${columnToTouch(table)} = 'changed' WHERE id = $1`, [id]);
      const { rows } = await client.query(
        `SELECT updated_at = localtimestamp AS touched, created_at = '2000-01-01' AS created_kept FROM ${table} WHERE id = $1`,
        [id],
      );
      await client.query('COMMIT');
      expect(rows[0]).toEqual({ touched: true, created_kept: true });
    } finally {
      client.release();
    }
  });

  it('an UPDATE cannot backdate updated_at: the trigger overrides an explicit value', async () => {
    const id = t.rows.products!;
    await db.pool.query(`UPDATE products SET stock = stock + 1, updated_at = '1999-12-31' WHERE id = $1`, [id]);
    const { rows } = await db.pool.query(`SELECT updated_at > '2000-01-01' AS current FROM products WHERE id = $1`, [id]);
    expect(rows[0].current).toBe(true);
    expect((await findRow(db.pool, 'products', id))!.stock).toBe(1);
  });
});
