// The one mapping from the seed's permission strings to what they allow. The ability builder reads it,
// the README shows it (scripts/permissions-table.ts prints it), the matrix test checks every cell against it.
import type { Permission } from '../schema';

export const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'import'] as const;
export type Action = (typeof ACTIONS)[number];
export const WRITE: Action[] = ['create', 'update', 'delete'];
export const MANAGE: Action[] = ['read', ...WRITE, 'import'];

/** Subjects that are not tables: analytics dashboards, reports, ingest keys. */
export const VIRTUAL_SUBJECTS = ['analytics', 'reports', 'integrations'] as const;

/** Rows with owners (resources.ts ownerFields) that view_own/team/all_data scope. */
export const DATA_SCOPED = ['contacts', 'leads', 'deals', 'activities', 'events'] as const;

/** What everyone in a tenant may read: the reference data forms and lists need. */
export const EVERYONE_READS = [
  'tenants', 'workspaces', 'projects', 'companies', 'products', 'product_offers', 'product_types',
  'product_categories', 'sales_pipelines', 'sales_stages', 'activity_types', 'interest_levels',
];

export interface Grant {
  actions: Action[];
  subjects: string[];
  /** Only rows of the user's data scope (own / team / all), for DATA_SCOPED subjects. */
  scoped?: boolean;
  /** Only the user's own record (users.id = me). */
  self?: boolean;
  fields?: string[];
}

export const PERMISSION_GRANTS: Record<Permission, Grant[]> = {
  view_users: [{ actions: ['read'], subjects: ['users', 'roles'] }],
  manage_users: [
    { actions: MANAGE, subjects: ['users', 'roles'] },
    { actions: ['read'], subjects: ['audit_log'] },
  ],
  edit_user_profile: [
    { actions: ['update'], subjects: ['users'], self: true, fields: ['first_name', 'last_name', 'email', 'password'] },
  ],
  // Scope of the DATA_SCOPED rows a user reads (the widest held wins).
  view_own_data: [{ actions: ['read'], subjects: ['contacts', 'leads', 'deals', 'activities'], scoped: true }],
  view_team_data: [{ actions: ['read'], subjects: ['contacts', 'leads', 'deals', 'activities'], scoped: true }],
  view_all_data: [{ actions: ['read'], subjects: ['contacts', 'leads', 'deals', 'activities'], scoped: true }],
  manage_contacts: [{ actions: MANAGE, subjects: ['contacts'], scoped: true }],
  manage_deals: [{ actions: MANAGE, subjects: ['deals'], scoped: true }],
  manage_leads: [{ actions: MANAGE, subjects: ['leads'], scoped: true }],
  manage_activities: [{ actions: MANAGE, subjects: ['activities'], scoped: true }],
  manage_companies: [{ actions: MANAGE, subjects: ['companies'] }],
  manage_products: [{ actions: MANAGE, subjects: ['products', 'product_offers'] }],
  view_reports: [{ actions: ['read'], subjects: ['reports'] }],
  view_analytics: [{ actions: ['read'], subjects: ['analytics', 'events'], scoped: true }],
  generate_reports: [{ actions: ['read', 'create'], subjects: ['reports'] }],
  export_data: [{ actions: ['export'], subjects: ['all'] }],
  manage_pipelines: [{ actions: MANAGE, subjects: ['sales_pipelines', 'sales_stages'] }],
  manage_integrations: [{ actions: MANAGE, subjects: ['integrations', 'ingest_keys'] }],
  manage_assistants: [
    {
      actions: MANAGE,
      subjects: ['assistants', 'assistant_documents', 'assistant_conversations', 'assistant_messages', 'assistant_prospects'],
    },
  ],
  manage_workspaces: [{ actions: MANAGE, subjects: ['workspaces'] }],
  manage_projects: [{ actions: MANAGE, subjects: ['projects'] }],
  manage_setup: [
    {
      actions: MANAGE,
      subjects: ['sales_pipelines', 'sales_stages', 'activity_types', 'interest_levels', 'product_types', 'product_categories'],
    },
    { actions: ['update'], subjects: ['tenants'], fields: ['name'] },
  ],
};

/** Markdown table of PERMISSION_GRANTS, for the README. */
export function permissionsMarkdown(): string {
  const lines = ['| permission | allows | on |', '|---|---|---|'];
  for (const [permission, grants] of Object.entries(PERMISSION_GRANTS)) {
    for (const g of grants) {
      const on = g.subjects.join(', ') + (g.scoped ? ' (rows in the data scope)' : '') + (g.self ? ' (own record)' : '');
      const fields = g.fields ? ` (${g.fields.join(', ')})` : '';
      lines.push(`| \`${permission}\` | ${g.actions.join(', ')}${fields} | ${on} |`);
    }
  }
  return lines.join('\n');
}
