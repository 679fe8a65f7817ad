// Uniqueness rules: a duplicate is refused with 23505 naming the rule, and nothing is written.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { addRow, expectInsertRejected, expectUpdateRejected, fillTenant, insertRow, makeTenant, rowFor, type Row, type Tenant } from './fixtures';

const db = useTestDatabase();
let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  a = await fillTenant(db.pool, await makeTenant(db.pool, 'unique-a'));
  b = await fillTenant(db.pool, await makeTenant(db.pool, 'unique-b'));
});

const unique = (constraint: string) => ({ code: '23505' as const, constraint });

describe('tenants', () => {
  it('subdomain is unique across tenants (tenants_subdomain_key)', async () => {
    await expectInsertRejected(db.pool, 'tenants', { name: 'Copycat', subdomain: 'unique-a' }, unique('tenants_subdomain_key'));
  });
});

describe('names unique per tenant, case-insensitively', () => {
  it.each([
    ['users', 'username', 'users_tenant_username_key', 'Alice', 'aLICE'],
    ['users', 'email', 'users_tenant_email_key', 'Alice@Example.test', 'alice@example.TEST'],
    ['workspaces', 'name', 'workspaces_tenant_name_key', 'Sales', 'SALES'],
    ['roles', 'name', 'roles_tenant_name_key', 'Agent', 'agent'],
    ['interest_levels', 'level', 'interest_levels_tenant_level_key', 'Hot', 'HOT'],
    ['product_types', 'name', 'product_types_tenant_name_key', 'Digital', 'digital'],
  ])(
    '%s.%s: a case variant in the same tenant is refused (%s); the same value in another tenant is fine',
    async (table, column, constraint, value, variant) => {
      await insertRow(db.pool, table, { ...rowFor(table, a), [column]: value });
      await expectInsertRejected(db.pool, table, { ...rowFor(table, a), [column]: value }, unique(constraint));
      await expectInsertRejected(db.pool, table, { ...rowFor(table, a), [column]: variant }, unique(constraint));
      expect((await insertRow(db.pool, table, { ...rowFor(table, b), [column]: value }))[column]).toBe(value);
      // Renaming another row of the tenant onto it is refused too.
      const other = await insertRow(db.pool, table, rowFor(table, a));
      await expectUpdateRejected(db.pool, table, other.id as number, { [column]: variant }, unique(constraint));
    },
  );
});

describe('sales stages', () => {
  it('order is unique within a pipeline (sales_stages_pipeline_order_key); the same order in another pipeline is fine', async () => {
    const pipeline = await addRow(db.pool, 'sales_pipelines', a);
    const stage = (overrides: Row) => ({ ...rowFor('sales_stages', a), sale_pipeline_id: pipeline, ...overrides });
    await insertRow(db.pool, 'sales_stages', stage({ order: 1 }));
    await expectInsertRejected(db.pool, 'sales_stages', stage({ order: 1 }), unique('sales_stages_pipeline_order_key'));
    await insertRow(db.pool, 'sales_stages', stage({ order: 2 }));
    await insertRow(db.pool, 'sales_stages', { ...rowFor('sales_stages', a), order: 1 }); // the tenant's other pipeline
  });
});

describe('default sales pipeline', () => {
  // One default per workspace, and one default among the tenant-wide pipelines (workspace_id NULL).
  const pipeline = (t: Tenant, workspaceId: number | null, isDefault: boolean) => ({
    ...rowFor('sales_pipelines', t, 'required'),
    workspace_id: workspaceId,
    is_default: isDefault,
  });
  let tenant: Tenant;
  let otherWorkspace: number;

  beforeAll(async () => {
    tenant = await makeTenant(db.pool, 'pipelines');
    otherWorkspace = await addRow(db.pool, 'workspaces', tenant);
  });

  it('a second default pipeline in the same workspace is refused (sales_pipelines_one_default_key)', async () => {
    await insertRow(db.pool, 'sales_pipelines', pipeline(tenant, tenant.workspaceId, true));
    await expectInsertRejected(db.pool, 'sales_pipelines', pipeline(tenant, tenant.workspaceId, true), unique('sales_pipelines_one_default_key'));
  });

  it('a second tenant-wide default (workspace_id NULL) is refused too: NULL workspaces count as one', async () => {
    await insertRow(db.pool, 'sales_pipelines', pipeline(tenant, null, true));
    await expectInsertRejected(db.pool, 'sales_pipelines', pipeline(tenant, null, true), unique('sales_pipelines_one_default_key'));
  });

  it('each workspace, the tenant-wide pipelines and every other tenant have a default of their own', async () => {
    await insertRow(db.pool, 'sales_pipelines', pipeline(tenant, otherWorkspace, true));
    const other = await makeTenant(db.pool, 'pipelines-other');
    await insertRow(db.pool, 'sales_pipelines', pipeline(other, null, true));
    await insertRow(db.pool, 'sales_pipelines', pipeline(other, other.workspaceId, true));
  });

  it('any number of non-default pipelines live beside the default', async () => {
    for (const workspaceId of [tenant.workspaceId, tenant.workspaceId, null, null]) {
      await insertRow(db.pool, 'sales_pipelines', pipeline(tenant, workspaceId, false));
    }
  });

  it('making a second pipeline the default is refused; the old default must be cleared first', async () => {
    const second = await insertRow(db.pool, 'sales_pipelines', pipeline(tenant, tenant.workspaceId, false));
    await expectUpdateRejected(db.pool, 'sales_pipelines', second.id as number, { is_default: true }, unique('sales_pipelines_one_default_key'));
    await db.pool.query('UPDATE sales_pipelines SET is_default = false WHERE tenant_id = $1 AND workspace_id = $2', [
      tenant.tenantId,
      tenant.workspaceId,
    ]);
    await db.pool.query('UPDATE sales_pipelines SET is_default = true WHERE id = $1', [second.id]);
  });
});

describe('products', () => {
  it('sku is unique per tenant (products_tenant_sku_key); another tenant may use the same sku', async () => {
    await insertRow(db.pool, 'products', { ...rowFor('products', a), sku: 'SKU-1' });
    await expectInsertRejected(db.pool, 'products', { ...rowFor('products', a), sku: 'SKU-1' }, unique('products_tenant_sku_key'));
    await insertRow(db.pool, 'products', { ...rowFor('products', b), sku: 'SKU-1' });
  });

  it('any number of products may have no sku (NULL)', async () => {
    for (let i = 0; i < 3; i++) await insertRow(db.pool, 'products', { ...rowFor('products', a), sku: null });
  });
});
