// Tenants and how they are organized: workspaces, projects, roles and users.
import { sql } from 'drizzle-orm';
import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, lower, rulesFor, secret, tenantId, updatedAt } from '../columns';

export const tenants = pgTable(
  'tenants',
  {
    id: id(),
    name: text('name').notNull(),
    subdomain: text('subdomain').notNull().unique('tenants_subdomain_key'),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('tenants', { id: t.id, tenantId: t.id });
    // A DNS label: lower-case letters, digits and inner hyphens, at most 63 characters.
    return [r.matches(t.subdomain, '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')];
  },
);

export const workspaces = pgTable(
  'workspaces',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('workspaces', t);
    return [...r.tenant(tenants), uniqueIndex('workspaces_tenant_name_key').on(t.tenantId, lower(t.name))];
  },
);

export const projects = pgTable(
  'projects',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status', { enum: ['active', 'completed', 'on-hold'] }).notNull().default('active'),
    workspaceId: integer('workspace_id'),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('projects', t);
    return [...r.tenant(tenants), ...r.ref(t.workspaceId, workspaces, 'restrict'), r.oneOf(t.status)];
  },
);

/** The seed's permission strings; role.permissions may hold only these. */
export const PERMISSIONS = [
  'manage_users', 'view_users', 'edit_user_profile',
  'view_all_data', 'view_team_data', 'view_own_data',
  'manage_contacts', 'manage_deals', 'manage_leads',
  'manage_companies', 'manage_products', 'manage_activities',
  'view_reports', 'view_analytics', 'generate_reports', 'export_data',
  'manage_pipelines', 'manage_integrations', 'manage_assistants',
  'manage_workspaces', 'manage_projects', 'manage_setup',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const roles = pgTable(
  'roles',
  {
    id: id(),
    name: text('name').notNull(),
    level: integer('level').notNull(),
    permissions: text('permissions').array().$type<Permission[]>().notNull().default(sql`'{}'::text[]`),
    description: text('description'),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => {
    const r = rulesFor('roles', t);
    const known = sql.raw(`ARRAY[${PERMISSIONS.map((p) => `'${p}'`).join(', ')}]::text[]`);
    return [
      ...r.tenant(tenants),
      r.between(t.level, 1, 6),
      r.check('permissions_known', sql`${t.permissions} <@ ${known} and coalesce(array_ndims(${t.permissions}), 1) = 1`),
      uniqueIndex('roles_tenant_name_key').on(t.tenantId, lower(t.name)),
    ];
  },
);

export const users = pgTable(
  'users',
  {
    id: id(),
    username: text('username').notNull(),
    password: secret(text('password').notNull()),
    email: text('email').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    roleId: integer('role_id').notNull(),
    managerId: integer('manager_id'),
    workspaceId: integer('workspace_id'),
    tenantId: tenantId(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => {
    const r = rulesFor('users', t);
    return [
      ...r.tenant(tenants),
      ...r.ref(t.roleId, roles, 'restrict'),
      ...r.ref(t.managerId, t, 'set null'),
      ...r.ref(t.workspaceId, workspaces, 'restrict'),
      uniqueIndex('users_tenant_username_key').on(t.tenantId, lower(t.username)),
      uniqueIndex('users_tenant_email_key').on(t.tenantId, lower(t.email)),
      r.check('not_own_manager', sql`${t.managerId} <> ${t.id}`),
      // Only argon2id hashes are stored: a plain-text password cannot be written by any path.
      r.matches(t.password, '^\\$argon2id\\$v=[0-9]+\\$m=[0-9]+,t=[0-9]+,p=[0-9]+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+$'),
    ];
  },
);
