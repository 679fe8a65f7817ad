// Every table the back office serves, described once: what the Drizzle schema knows (columns, types,
// references, workspaces) is derived here; the human choices come from each table's spec
// (domain/resources/<table>.ts: group, title, search fields, owners). ./check.ts proves the specs and the
// schema agree; the back office runs it when it is built.
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import * as s from '../../schema';
import { titleParts, type DomainSpec, type Group, type TitleParts } from './spec';
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
  group: Group;
  /** The fields that name a record, and how they are joined (the spec's title). */
  title: TitleParts;
  /** The natural order of records (dropdowns, related panels); empty: newest first. */
  order: string[];
  /** Text fields a free-text search looks in. */
  searchFields: string[];
}

/** The specs, in the order of the back office's menu. */
export const SPECS: readonly DomainSpec[] = [
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

/** Tables of the schema that are no resource of the back office, and why. */
export const NOT_SERVED: ReadonlyMap<PgTable, string> = new Map<PgTable, string>([
  [s.sessions, 'the session store (connect-pg-simple), never read through the scoped layer'],
  [s.eventsPending, 'the analytics outbox (analytics/outbox.ts), emptied by the shipper'],
  [s.eventsInFlight, 'the shipper\'s hand-off of events being sent to ClickHouse'],
  [s.accessVersion, 'the counter that invalidates cached principals (domain/principal-cache.ts), kept by triggers'],
  [s.rateLimits, 'the shared counters of the sign-in, widget and ingest limits (domain/rate-limit.ts)'],
]);

export function describe(spec: DomainSpec): Resource {
  const config = getTableConfig(spec.table);
  const columns = new Map(config.columns.map((c) => [c.name, c]));
  const references = config.foreignKeys
    .map((fk) => fk.reference())
    .filter((ref) => ref.columns.length === 2 && ref.columns[0]!.name === 'tenant_id')
    .map((ref) => ({ column: ref.columns[1]!.name, target: getTableConfig(ref.foreignTable).name }));
  return {
    name: config.name,
    table: spec.table,
    columns,
    ownerFields: [...(spec.owners ?? [])],
    workspaced: columns.has('workspace_id'),
    references,
    group: spec.group,
    title: titleParts(spec.title),
    searchFields: [...spec.search],
    order: [...(spec.order ?? [])],
  };
}

export const resources: ReadonlyMap<ResourceName, Resource> = new Map(SPECS.map((spec) => [getTableConfig(spec.table).name, describe(spec)]));

export function resourceOf(name: string): Resource | undefined {
  return resources.get(name);
}

/**
 * A record's title as text: its title fields joined (empty ones left out), else `#id`; after its parent's
 * title (`parentTitle`, a stage's pipeline) and with the disambiguating field when `namesake` says another
 * record has the same title.
 */
export function titleText(r: Resource, row: Record<string, unknown>, extra: { parentTitle?: unknown; namesake?: boolean } = {}): string {
  const parts = r.title.fields.map((f) => row[f]).filter((v) => v !== null && v !== undefined && v !== '');
  let text = parts.length ? parts.map(String).join(r.title.separator) : `#${String(row.id)}`;
  const other = r.title.disambiguate ? row[r.title.disambiguate] : undefined;
  if (extra.namesake && other !== null && other !== undefined && other !== '') text += ` (${String(other)})`;
  if (typeof extra.parentTitle === 'string' && extra.parentTitle) text = `${extra.parentTitle} · ${text}`;
  return text;
}
