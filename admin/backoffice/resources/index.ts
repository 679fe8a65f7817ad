// Every resource's screen spec, by resource name, and the icon of each navigation group. What the back
// office shows beyond these choices is derived from the schema (admin/backoffice/options.ts, property.ts,
// labels.ts); ./check.ts proves the specs fit the schema when the back office is built.
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Group } from '../../../domain/resources/spec';
import type { ScreenSpec } from './spec';
import tenants from './tenants';
import workspaces from './workspaces';
import projects from './projects';
import companies from './companies';
import leads from './leads';
import contacts from './contacts';
import deals from './deals';
import activities from './activities';
import salesPipelines from './sales_pipelines';
import salesStages from './sales_stages';
import activityTypes from './activity_types';
import interestLevels from './interest_levels';
import productTypes from './product_types';
import productCategories from './product_categories';
import products from './products';
import productOffers from './product_offers';
import events from './events';
import ingestKeys from './ingest_keys';
import agentConversations from './agent_conversations';
import agentMessages from './agent_messages';
import assistants from './assistants';
import assistantConversations from './assistant_conversations';
import assistantMessages from './assistant_messages';
import assistantDocuments from './assistant_documents';
import assistantProspects from './assistant_prospects';
import roles from './roles';
import users from './users';
import auditLog from './audit_log';

export const SCREENS: readonly ScreenSpec[] = [
  tenants,
  workspaces,
  projects,
  companies,
  leads,
  contacts,
  deals,
  activities,
  salesPipelines,
  salesStages,
  activityTypes,
  interestLevels,
  productTypes,
  productCategories,
  products,
  productOffers,
  events,
  ingestKeys,
  agentConversations,
  agentMessages,
  assistants,
  assistantConversations,
  assistantMessages,
  assistantDocuments,
  assistantProspects,
  roles,
  users,
  auditLog,
];

const byName = new Map(SCREENS.map((spec) => [getTableConfig(spec.table).name, spec]));

/** The screen spec of a resource (every resource has one: the startup check proves it). */
export function screenOf(name: string): ScreenSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`${name} has no screen spec (admin/backoffice/resources/${name}.ts)`);
  return spec;
}

/** The sidebar icon of each navigation group (a group's fact, not a resource's). */
export const GROUP_ICONS: Record<Group, string> = {
  Organization: 'Briefcase',
  Customers: 'Users',
  Sales: 'TrendingUp',
  Products: 'Package',
  Analytics: 'BarChart2',
  'AI Assistants': 'MessageCircle',
  Access: 'Lock',
};
