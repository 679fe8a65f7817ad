// Every table the back office serves, described once from the Drizzle schema. The only hand-written facts
// are the human ones: who owns a row (for own/team scope) and which table group a resource belongs to.
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import * as s from '../schema';

export type ResourceName = string;

export interface Reference {
  column: string;
  target: ResourceName;
}

export interface Resource {
  name: ResourceName;
  table: PgTable;
  /** Column name -> Drizzle column, in table order. */
  columns: Map<string, PgColumn>;
  /** Columns naming the users who own a row: own/team data scope applies to them (empty: no owner). */
  ownerFields: string[];
  /** The row belongs to a workspace (or to the whole tenant when workspace_id is NULL). */
  workspaced: boolean;
  references: Reference[];
  group: string;
}

interface Facts {
  table: PgTable;
  group: string;
  owners?: string[];
}

// Owner fields: the seed's assignment columns. A row is "mine" when any of them is me.
const facts: Facts[] = [
  { table: s.tenants, group: 'Organization' },
  { table: s.workspaces, group: 'Organization' },
  { table: s.projects, group: 'Organization' },
  { table: s.companies, group: 'Customers' },
  { table: s.leads, group: 'Customers', owners: ['assigned_to_id', 'assigned_by_id'] },
  { table: s.contacts, group: 'Customers', owners: ['assigned_to_id', 'supervisor_id'] },
  { table: s.deals, group: 'Sales', owners: ['assigned_to_id', 'supervisor_id'] },
  { table: s.activities, group: 'Sales', owners: ['user_id', 'supervisor_id'] },
  { table: s.salesPipelines, group: 'Sales' },
  { table: s.salesStages, group: 'Sales' },
  { table: s.activityTypes, group: 'Sales' },
  { table: s.interestLevels, group: 'Sales' },
  { table: s.productTypes, group: 'Products' },
  { table: s.productCategories, group: 'Products' },
  { table: s.products, group: 'Products' },
  { table: s.productOffers, group: 'Products' },
  { table: s.events, group: 'Analytics', owners: ['user_id'] },
  { table: s.ingestKeys, group: 'Analytics' },
  { table: s.agentConversations, group: 'AI Assistants', owners: ['user_id'] },
  { table: s.agentMessages, group: 'AI Assistants', owners: ['user_id'] },
  { table: s.assistants, group: 'AI Assistants' },
  { table: s.assistantConversations, group: 'AI Assistants' },
  { table: s.assistantMessages, group: 'AI Assistants' },
  { table: s.assistantDocuments, group: 'AI Assistants' },
  { table: s.assistantProspects, group: 'AI Assistants' },
  { table: s.roles, group: 'Access' },
  { table: s.users, group: 'Access', owners: ['id'] },
  { table: s.auditLog, group: 'Access' },
];

function describe({ table, group, owners = [] }: Facts): Resource {
  const config = getTableConfig(table);
  const columns = new Map(config.columns.map((c) => [c.name, c]));
  const references = config.foreignKeys
    .map((fk) => fk.reference())
    .filter((ref) => ref.columns.length === 2 && ref.columns[0]!.name === 'tenant_id')
    .map((ref) => ({ column: ref.columns[1]!.name, target: getTableConfig(ref.foreignTable).name }));
  return { name: config.name, table, columns, ownerFields: owners, workspaced: columns.has('workspace_id'), references, group };
}

export const resources: ReadonlyMap<ResourceName, Resource> = new Map(facts.map((f) => [getTableConfig(f.table).name, describe(f)]));

export function resourceOf(name: string): Resource | undefined {
  return resources.get(name);
}
