// The one walker over an ability's conditions: CASL's rulesToAST gives a tree of and/or/not nodes over field
// conditions (eq, ne, in, nin, lt...). The walker handles the tree; a dialect says how to write each part,
// so the PostgreSQL WHERE of the scoped layer (domain/conditions-sql.ts) and the ClickHouse scope of
// analytics (analytics/scope.ts) translate only the leaves and the joins, never walk the rules themselves.
import type { rulesToAST } from '@casl/ability/extra';

/** An ability's conditions for one action and subject, as CASL builds them (null: no rule grants it). */
export type AbilityCondition = NonNullable<ReturnType<typeof rulesToAST>>;

/** One field condition: `{ operator: 'in', field: 'user_id', value: [1, 2] }`. */
export interface FieldCondition {
  operator: string;
  field: string;
  value: unknown;
}

/** How one target language writes a condition. */
export interface ConditionDialect<Out> {
  /** Every row: an `and` of nothing. */
  all: Out;
  /** No row: an `or` of nothing, or no rule at all. */
  none: Out;
  and(parts: Out[]): Out;
  or(parts: Out[]): Out;
  not(part: Out): Out;
  field(condition: FieldCondition): Out;
}

interface Node {
  operator: string;
  value: unknown;
  field?: string;
}

/** The condition tree in a dialect. */
export function translateCondition<Out>(condition: AbilityCondition | null, dialect: ConditionDialect<Out>): Out {
  if (condition === null) return dialect.none; // no rule grants the action
  const node = condition as unknown as Node;
  // Several rules often carry the same conditions (e.g. manage_deals and view_all_data, each with the workspace
  // condition): repeated alternatives change nothing but make a planner overestimate how many rows match.
  const children = () => [...new Map((node.value as AbilityCondition[]).map((c) => [JSON.stringify(c), c])).values()].map((c) => translateCondition(c, dialect));
  const joined = (join: (parts: Out[]) => Out, empty: Out) => ((node.value as AbilityCondition[]).length ? join(children()) : empty);
  switch (node.operator) {
    case 'and':
      return joined((parts) => dialect.and(parts), dialect.all);
    case 'or':
      return joined((parts) => dialect.or(parts), dialect.none);
    case 'not':
      return dialect.not(joined((parts) => dialect.and(parts), dialect.all));
  }
  if (!node.field) throw new Error(`ability condition ${node.operator} names no field`);
  return dialect.field({ operator: node.operator, field: node.field, value: node.value });
}
