// How a tenant sets up its sales process: activity types, pipelines and their ordered stages, interest levels.
import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, lower, placement, rulesFor, tenantId } from '../columns';
import { projects, tenants, workspaces } from './organization';

export const activityTypes = pgTable(
  'activity_types',
  {
    id: id(),
    typeName: text('type_name').notNull(),
    description: text('description'),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('activity_types', t);
    return [
      ...r.tenant(tenants),
      ...r.placedIn(t, workspaces, projects),
    ];
  },
);

export const salesPipelines = pgTable(
  'sales_pipelines',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description'),
    isDefault: boolean('is_default').notNull().default(false),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('sales_pipelines', t);
    return [
      ...r.tenant(tenants),
      ...r.placedIn(t, workspaces, projects),
      // One default pipeline per workspace, and one for the tenant-wide pipelines (workspace_id NULL).
      uniqueIndex('sales_pipelines_one_default_key')
        .on(t.tenantId, sql`coalesce(${t.workspaceId}, 0)`)
        .where(sql`${t.isDefault}`),
    ];
  },
);

export const salesStages = pgTable(
  'sales_stages',
  {
    id: id(),
    salePipelineId: integer('sale_pipeline_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    order: integer('order').notNull(),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('sales_stages', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.salePipelineId, salesPipelines, 'cascade'),
      ...r.placedIn(t, workspaces, projects),
      unique('sales_stages_pipeline_order_key').on(t.salePipelineId, t.order),
      r.nonNegative(t.order),
    ];
  },
);

export const interestLevels = pgTable(
  'interest_levels',
  {
    id: id(),
    level: text('level').notNull(),
    description: text('description'),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('interest_levels', t);
    return [...r.tenant(tenants), uniqueIndex('interest_levels_tenant_level_key').on(t.tenantId, lower(t.level))];
  },
);
