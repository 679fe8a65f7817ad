// The domain facts of one resource that the Drizzle schema cannot know: the human choices. Each table has
// its spec in domain/resources/<table>.ts; the screen facts (list columns, widgets, actions...) are the back
// office's, in admin/backoffice/resources/<table>.ts. Field names are typed against the table's own column
// names, so a misspelt or renamed field is a compile error; ./check.ts checks the same at runtime.
import type { PgTable } from 'drizzle-orm/pg-core';

/** The SQL column names of a Drizzle table, as a union of string literals. */
export type ColumnName<T extends PgTable> = T['_']['columns'][keyof T['_']['columns']]['_']['name'];

/** The back office's navigation groups, in menu order. */
export const GROUPS = ['Organization', 'Customers', 'Sales', 'Products', 'Analytics', 'AI Assistants', 'Access'] as const;
export type Group = (typeof GROUPS)[number];

/**
 * What a record is called: one field (`'name'`), or several joined (`{ fields: ['first_name', 'last_name'] }`
 * reads "Ann Smith"; `separator` defaults to a space).
 */
export type TitleSpec<C extends string = string> = C | { fields: readonly [C, ...C[]]; separator?: string };

/** The spec as written for table T: every field name one of T's columns. */
export interface DomainSpecOf<C extends string> {
  /** The navigation group the resource belongs to. */
  group: Group;
  /** Text fields (or the id, for a table without a name) that name a record. */
  title: TitleSpec<C>;
  /** Text fields a free-text search looks in (besides the id, for a number). */
  search: readonly C[];
  /** Columns naming the users who own a row: own/team data scope applies to them. */
  owners?: readonly C[];
}

/** A spec once defined: its table, and the field names as plain strings (checked again by ./check.ts). */
export interface DomainSpec extends DomainSpecOf<string> {
  table: PgTable;
}

/** A spec checked against its table by the compiler: `defineResource(s.contacts, { title: 'email', ... })`. */
export function defineResource<T extends PgTable>(table: T, spec: DomainSpecOf<ColumnName<T>>): DomainSpec {
  return { table, ...spec };
}

/** The fields a title is made of, and how they are joined. */
export function titleParts(title: TitleSpec): { fields: string[]; separator: string } {
  return typeof title === 'string' ? { fields: [title], separator: ' ' } : { fields: [...title.fields], separator: title.separator ?? ' ' };
}
