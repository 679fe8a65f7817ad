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
export type TitleSpec<C extends string = string> =
  | C
  | {
      fields: readonly [C, ...C[]];
      separator?: string;
      /** A reference whose target's title comes first, joined by " · " (a stage reads "Sales · Qualified"). */
      parent?: C;
      /** Added in parentheses when another record of the tenant has the same title ("Ann Smith (asmith)"). */
      disambiguate?: C;
    };

/** A title's parts once defined. */
export interface TitleParts {
  fields: string[];
  separator: string;
  parent?: string;
  disambiguate?: string;
}

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
  /** The natural order of the records in dropdowns and related panels (default: newest first). */
  order?: readonly C[];
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
export function titleParts(title: TitleSpec): TitleParts {
  if (typeof title === 'string') return { fields: [title], separator: ' ' };
  const { fields, separator = ' ', parent, disambiguate } = title;
  return { fields: [...fields], separator, ...(parent ? { parent } : {}), ...(disambiguate ? { disambiguate } : {}) };
}
