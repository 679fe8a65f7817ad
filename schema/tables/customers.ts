// Who the tenant sells to: companies, leads and contacts.
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, lower, placement, rulesFor, tenantId } from '../columns';
import { projects, tenants, users, workspaces } from './organization';

export const companies = pgTable(
  'companies',
  {
    id: id(),
    name: text('name').notNull(),
    type: text('type'),
    industry: text('industry'),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    address: text('address'),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('companies', t);
    return [
      ...r.tenant(tenants),
      ...r.placedIn(t, workspaces, projects),
      r.listIndex('name', t.name),
      r.listIndex('created', t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    ];
  },
);

export const leads = pgTable(
  'leads',
  {
    id: id(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    company: text('company'),
    jobTitle: text('job_title'),
    source: text('source'),
    status: text('status', { enum: ['new', 'contacted', 'qualified', 'unqualified', 'converted'] }).notNull().default('new'),
    score: integer('score').notNull().default(0),
    notes: text('notes'),
    assignedToId: integer('assigned_to_id'),
    assignedById: integer('assigned_by_id'),
    assignedAt: timestamp('assigned_at', { mode: 'date' }),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('leads', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.assignedToId, users, 'set null'),
      ...r.ref(t.assignedById, users, 'set null'),
      ...r.placedIn(t, workspaces, projects),
      r.oneOf(t.status),
      r.between(t.score, 0, 100),
      r.listIndex('created', t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
      r.listIndex('email', lower(t.email)),
    ];
  },
);

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    jobTitle: text('job_title'),
    status: text('status', { enum: ['lead', 'prospect', 'active', 'inactive'] }).notNull().default('prospect'),
    companyId: integer('company_id'),
    assignedToId: integer('assigned_to_id'),
    supervisorId: integer('supervisor_id'),
    ...placement(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('contacts', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.companyId, companies, 'set null'),
      ...r.ref(t.assignedToId, users, 'set null'),
      ...r.ref(t.supervisorId, users, 'set null'),
      ...r.placedIn(t, workspaces, projects),
      r.oneOf(t.status),
      r.listIndex('created', t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
      r.listIndex('name', t.lastName, t.firstName),
      r.listIndex('email', lower(t.email)),
    ];
  },
);
