// What a tenant sells: product types and categories, products with free-form specifications, and offers.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, lower, placement, rulesFor, tenantId, updatedAt } from '../columns';
import { projects, tenants, workspaces } from './organization';
import { salesPipelines } from './pipelines';

export const productTypes = pgTable(
  'product_types',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('product_types', t);
    return [...r.tenant(tenants), uniqueIndex('product_types_tenant_name_key').on(t.tenantId, lower(t.name))];
  },
);

export const productCategories = pgTable(
  'product_categories',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    color: text('color').notNull().default('#3b82f6'),
    icon: text('icon').notNull().default('Package'),
    workspaceId: integer('workspace_id'),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('product_categories', t);
    return [...r.tenant(tenants), ...r.ref(t.workspaceId, workspaces, 'restrict'), r.matches(t.color, '^#[0-9a-fA-F]{6}$')];
  },
);

export const products = pgTable(
  'products',
  {
    id: id(),
    name: text('name').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    salePrice: numeric('sale_price', { precision: 10, scale: 2 }).notNull(),
    currency: text('currency').notNull().default('USD'),
    sku: text('sku'),
    productTypeId: integer('product_type_id'),
    categoryId: integer('category_id'),
    featuredPhoto: text('featured_photo'),
    isFeatured: boolean('is_featured').notNull().default(false),
    salesPipelineId: integer('sales_pipeline_id'),
    isActive: boolean('is_active').notNull().default(true),
    stock: integer('stock').notNull().default(0),
    specifications: jsonb('specifications').$type<Record<string, unknown>>().notNull().default({}),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('products', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.productTypeId, productTypes, 'set null'),
      ...r.ref(t.categoryId, productCategories, 'set null'),
      ...r.ref(t.salesPipelineId, salesPipelines, 'set null'),
      ...r.placedIn(t, workspaces, projects),
      r.nonNegative(t.salePrice),
      r.nonNegative(t.stock),
      r.matches(t.currency, '^[A-Z]{3}$'),
      r.check('specifications_object', sql`jsonb_typeof(${t.specifications}) = 'object'`),
      uniqueIndex('products_tenant_sku_key').on(t.tenantId, lower(t.sku)),
      r.listIndex('name', t.name),
      index('products_specifications_gin').using('gin', t.specifications.op('jsonb_path_ops')),
    ];
  },
);

export const productOffers = pgTable(
  'product_offers',
  {
    id: id(),
    productId: integer('product_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    discountType: text('discount_type', { enum: ['percentage', 'fixed_amount'] }).notNull(),
    discountValue: numeric('discount_value', { precision: 10, scale: 2 }).notNull(),
    startDate: timestamp('start_date', { mode: 'date' }),
    endDate: timestamp('end_date', { mode: 'date' }),
    isActive: boolean('is_active').notNull().default(true),
    conditions: jsonb('conditions').$type<Record<string, unknown>>().notNull().default({}),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('product_offers', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.productId, products, 'cascade'),
      r.oneOf(t.discountType),
      r.nonNegative(t.discountValue),
      r.check('percentage_max_100', sql`${t.discountType} <> 'percentage' or ${t.discountValue} <= 100`),
      r.check('dates_ordered', sql`${t.endDate} >= ${t.startDate}`),
      r.check('conditions_object', sql`jsonb_typeof(${t.conditions}) = 'object'`),
    ];
  },
);
