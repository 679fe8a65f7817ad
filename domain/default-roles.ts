// The six roles every tenant starts with (seed: "Role Hierarchy"). Tenants may edit them afterwards.
import type { Permission } from '../schema';

export interface DefaultRole {
  level: 1 | 2 | 3 | 4 | 5 | 6;
  name: string;
  description: string;
  permissions: Permission[];
}

const agent: Permission[] = [
  'view_own_data', 'edit_user_profile', 'view_users',
  'manage_contacts', 'manage_leads', 'manage_deals', 'manage_activities', 'manage_companies',
];
const salesManager: Permission[] = [...agent, 'view_team_data', 'view_reports', 'export_data', 'manage_products'];
const superAdmin: Permission[] = [
  ...salesManager, 'view_all_data', 'manage_pipelines', 'manage_projects', 'manage_setup', 'generate_reports',
];
const director: Permission[] = [...superAdmin, 'view_analytics'];
const admin: Permission[] = [
  ...director, 'manage_users', 'manage_workspaces', 'manage_integrations', 'manage_assistants',
];
// Level 6 is the seed's "Workspace Admin (analytics access)": the top of the hierarchy, holding every permission.
const workspaceAdmin: Permission[] = [...admin];

export const DEFAULT_ROLES: DefaultRole[] = [
  { level: 1, name: 'Agent', description: 'Basic user access: own records', permissions: agent },
  { level: 2, name: 'Sales Manager', description: 'Team management: own and team records', permissions: salesManager },
  { level: 3, name: 'Super Admin', description: 'Advanced management: all records, sales setup', permissions: superAdmin },
  { level: 4, name: 'Director', description: 'Executive access: all records and analytics', permissions: director },
  { level: 5, name: 'Admin', description: 'Cross-workspace access, users and roles', permissions: admin },
  { level: 6, name: 'Workspace Admin', description: 'Everything, analytics included', permissions: workspaceAdmin },
];
