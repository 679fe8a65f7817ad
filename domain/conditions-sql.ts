// CASL conditions compiled to a SQL WHERE clause, so scope is applied by the database (indexes, LIMIT, COUNT)
// and never by filtering rows after they were fetched. The tree is walked by domain/conditions.ts; this is
// the PostgreSQL dialect: the joins and each field condition over the resource's Drizzle columns.
import { and, eq, gt, gte, inArray, isNull, lt, lte, ne, not, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { translateCondition, type AbilityCondition, type ConditionDialect, type FieldCondition } from './conditions';

function inList(column: PgColumn, values: unknown[]): SQL {
  const present = values.filter((v) => v !== null && v !== undefined);
  const parts: SQL[] = [];
  if (present.length) parts.push(inArray(column, present));
  if (present.length !== values.length) parts.push(isNull(column));
  return parts.length ? (or(...parts) as SQL) : sql`false`;
}

function fieldSql(columns: ReadonlyMap<string, PgColumn>, { operator, field, value: v }: FieldCondition): SQL {
  const column = columns.get(field);
  if (!column) throw new Error(`ability condition on unknown field ${String(field)}`);
  switch (operator) {
    case 'eq':
      return v === null ? isNull(column) : eq(column, v);
    case 'ne':
      return v === null ? sql`${column} is not null` : (or(ne(column, v), isNull(column)) as SQL);
    case 'in':
      return inList(column, v as unknown[]);
    case 'nin':
      return not(inList(column, v as unknown[]));
    case 'lt':
      return lt(column, v);
    case 'lte':
      return lte(column, v);
    case 'gt':
      return gt(column, v);
    case 'gte':
      return gte(column, v);
    default:
      throw new Error(`ability condition operator ${operator} has no SQL translation`);
  }
}

const postgres = (columns: ReadonlyMap<string, PgColumn>): ConditionDialect<SQL> => ({
  all: sql`true`,
  none: sql`false`,
  and: (parts) => and(...parts) as SQL,
  or: (parts) => or(...parts) as SQL,
  not: (part) => not(part),
  field: (condition) => fieldSql(columns, condition),
});

export function conditionToSql(condition: AbilityCondition | null, columns: ReadonlyMap<string, PgColumn>): SQL {
  return translateCondition(condition, postgres(columns));
}
