// The sales work itself: deals moving through stages, and the activities around contacts and deals.
import { date, integer, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, placement, rulesFor, tenantId } from '../columns';
import { companies, contacts } from './customers';
import { projects, tenants, users, workspaces } from './organization';
import { interestLevels, salesStages } from './pipelines';
import { products } from './products';

export const deals = pgTable(
  'deals',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description'),
    value: numeric('value', { precision: 10, scale: 2 }),
    stageId: integer('stage_id'),
    probability: integer('probability'),
    expectedCloseDate: date('expected_close_date', { mode: 'string' }),
    companyId: integer('company_id'),
    contactId: integer('contact_id'),
    productId: integer('product_id'),
    interestLevelId: integer('interest_level_id'),
    assignedToId: integer('assigned_to_id'),
    supervisorId: integer('supervisor_id'),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('deals', t);
    return [
      ...r.tenant(tenants),
      // A stage in use cannot be deleted: its deals would lose their place in the pipeline.
      ...r.ref(t.stageId, salesStages, 'restrict'),
      ...r.ref(t.companyId, companies, 'set null'),
      ...r.ref(t.contactId, contacts, 'set null'),
      ...r.ref(t.productId, products, 'set null'),
      ...r.ref(t.interestLevelId, interestLevels, 'set null'),
      ...r.ref(t.assignedToId, users, 'set null'),
      ...r.ref(t.supervisorId, users, 'set null'),
      ...r.placedIn(t, workspaces, projects),
      r.between(t.probability, 0, 100),
      r.nonNegative(t.value),
      r.listIndex('created', t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
      r.listIndex('title', t.title),
      r.listIndex('close_date', t.expectedCloseDate),
    ];
  },
);

export const activities = pgTable(
  'activities',
  {
    id: id(),
    subject: text('subject').notNull(),
    description: text('description'),
    activityType: text('activity_type'),
    status: text('status', { enum: ['planned', 'in_progress', 'completed', 'cancelled'] }).notNull().default('planned'),
    priority: text('priority', { enum: ['low', 'medium', 'high', 'urgent'] }).notNull().default('medium'),
    dueDate: date('due_date', { mode: 'string' }),
    completedDate: date('completed_date', { mode: 'string' }),
    userId: integer('user_id'),
    supervisorId: integer('supervisor_id'),
    contactId: integer('contact_id'),
    dealId: integer('deal_id'),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('activities', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.userId, users, 'set null'),
      ...r.ref(t.supervisorId, users, 'set null'),
      ...r.ref(t.contactId, contacts, 'set null'),
      ...r.ref(t.dealId, deals, 'set null'),
      ...r.placedIn(t, workspaces, projects),
      r.oneOf(t.status),
      r.oneOf(t.priority),
      r.listIndex('created', t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
      r.listIndex('due', t.dueDate),
    ];
  },
);
