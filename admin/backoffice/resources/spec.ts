// The screen facts of one resource, the back office's human choices: list columns, long text, labels where
// the derived one reads badly, widgets, CRM record actions, related panels. Each table has its screen spec
// in admin/backoffice/resources/<table>.ts beside its domain spec (domain/resources/<table>.ts: group,
// title, search, owners); everything else (types, enums, references, required, read-only system fields,
// labels) is derived from the Drizzle schema. Field names are typed against the table's column names.
import type { PropertyOptions } from 'adminjs';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Action } from '../../../domain/permissions';
import type { ColumnName } from '../../../domain/resources/spec';

/** A record action of the CRM: a page (component) that posts to the JSON API, shown when `needs` is allowed. */
export interface RecordAction {
  component: string;
  icon: string;
  /** The ability the actor needs on the record. */
  needs: Action;
  /** Shown only for records like this (e.g. a lead not yet converted). */
  when?: (params: Record<string, unknown>) => boolean;
  /** What the action's page says when `when` no longer holds (its URL opened after all), instead of "Page not found". */
  whyNot?: string;
}

export interface ScreenSpecOf<C extends string> {
  /** List columns, where the generic choice (title, then the first few fields) is not the best one. */
  list?: readonly C[];
  /** Text fields edited in a text area. */
  longText?: readonly C[];
  /** List fields whose values are a known set (text[] of known strings), picked from that set. */
  choices?: { readonly [F in C]?: readonly string[] };
  /** Labels where the one derived from the column name reads badly ("Sku" -> "SKU"). */
  labels?: { readonly [F in C]?: string };
  /** AdminJS components that replace the generic ones of a field (e.g. the duplicate-email warning on edit). */
  widgets?: { readonly [F in C]?: { edit?: string; show?: string; list?: string } };
  /** Properties that are no column: computed panels such as a product's price today. */
  extras?: Record<string, PropertyOptions>;
  /** The CRM's record actions, by action name. */
  actions?: Record<string, RecordAction>;
  /**
   * Related panels on a record's page: resources whose rows reference this one (placeholder for the records
   * issue; the startup check proves each names a resource with a reference to this one).
   */
  related?: readonly string[];
}

/** A screen spec once defined: its table, and the field names as plain strings (checked again at startup). */
export interface ScreenSpec extends ScreenSpecOf<string> {
  table: PgTable;
}

/** A screen spec checked against its table by the compiler: `defineScreen(s.leads, { list: [...] })`. */
export function defineScreen<T extends PgTable>(table: T, spec: ScreenSpecOf<ColumnName<T>>): ScreenSpec {
  return { table, ...spec } as ScreenSpec;
}
