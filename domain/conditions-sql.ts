// CASL conditions compiled to a SQL WHERE clause, so scope is applied by the database (indexes, LIMIT, COUNT)
// and never by filtering rows after they were fetched.
import type { rulesToAST } from '@casl/ability/extra';
import { and, eq, gt, gte, inArray, isNull, lt, lte, ne, not, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

type Condition = NonNullable<ReturnType<typeof rulesToAST>>;

interface Node {
  operator: string;
  value: unknown;
  field?: string;
}

function inList(column: PgColumn, values: unknown[]): SQL {
  const present = values.filter((v) => v !== null && v !== undefined);
  const parts: SQL[] = [];
  if (present.length) parts.push(inArray(column, present));
  if (present.length !== values.length) parts.push(isNull(column));
  return parts.length ? (or(...parts) as SQL) : sql`false`;
}

export function conditionToSql(condition: Condition | null, columns: ReadonlyMap<string, PgColumn>): SQL {
  if (condition === null) return sql`false`; // no rule grants the action
  const node = condition as unknown as Node;
  // Several rules often carry the same conditions (e.g. manage_deals and view_all_data, each with the workspace
  // condition): repeated alternatives change nothing but make the planner overestimate how many rows match.
  const children = () => [...new Map((node.value as Condition[]).map((c) => [JSON.stringify(c), c])).values()].map((c) => conditionToSql(c, columns));
  switch (node.operator) {
    case 'and':
      return (node.value as Condition[]).length ? (and(...children()) as SQL) : sql`true`;
    case 'or':
      return (node.value as Condition[]).length ? (or(...children()) as SQL) : sql`false`;
    case 'not':
      return not(and(...children()) as SQL);
  }
  const column = node.field ? columns.get(node.field) : undefined;
  if (!column) throw new Error(`ability condition on unknown field ${String(node.field)}`);
  const v = node.value;
  switch (node.operator) {
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
      throw new Error(`ability condition operator ${node.operator} has no SQL translation`);
  }
}
