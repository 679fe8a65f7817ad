// Who sees which events in ClickHouse: the tenant, plus the CASL conditions of `read` on `events` (the data
// scope of view_analytics: own / team / all rows, and a workspace member's workspace), compiled to ClickHouse
// SQL by the walker (domain/conditions.ts) that also compiles them for PostgreSQL (domain/conditions-sql.ts):
// this file holds only the ClickHouse dialect. A team-scoped role sees the events of its team's users only
// (user_id IN team), an own-scoped role its own.
import { rulesToAST } from '@casl/ability/extra';
import { translateCondition, type ConditionDialect } from '../domain/conditions';
import { forbidden } from '../domain/errors';
import type { Action } from '../domain/permissions';
import type { Actor } from '../domain/scoped-data';
import { isIn, uint } from './sql';

export interface AnalyticsScope {
  tenantId: number;
  /** A ClickHouse condition over user_id and workspace_id ('1': every event of the tenant). */
  condition: string;
  /** The users whose events are visible, when the scope is limited to users (team or own); null: all. */
  userIds: number[] | null;
}

/** Columns a scope condition may name, with how SQL NULL is stored in ClickHouse (0). */
const COLUMNS = ['user_id', 'workspace_id'] as const;

const literal = (v: unknown) => uint(v === null || v === undefined ? 0 : Number(v));

/** The ClickHouse dialect of the condition walker (domain/conditions.ts): a WHERE fragment over `events`. */
const clickhouse: ConditionDialect<string> = {
  all: '1',
  none: '0',
  and: (parts) => parts.map((c) => `(${c})`).join(' AND '),
  or: (parts) => parts.map((c) => `(${c})`).join(' OR '),
  not: (part) => `NOT (${part})`,
  field({ operator, field, value: v }) {
    if (!(COLUMNS as readonly string[]).includes(field)) throw new Error(`events scope on unknown field ${String(field)}`);
    switch (operator) {
      case 'eq':
        return `${field} = ${literal(v)}`;
      case 'ne':
        return `${field} != ${literal(v)}`;
      case 'in':
        return isIn(field, [...new Set((v as unknown[]).map(literal))]);
      case 'nin':
        return `NOT (${isIn(field, [...new Set((v as unknown[]).map(literal))])})`;
      default:
        throw new Error(`events scope operator ${operator} has no ClickHouse translation`);
    }
  },
};

/**
 * The user ids the conditions limit user_id to, if every alternative does (team or own scope), else null: the
 * same walker, read as a set of users (an `and` takes the first part that limits users, an `or` the union).
 */
const userLimit: ConditionDialect<number[] | null> = {
  all: null,
  none: null,
  and: (parts) => parts.find((u) => u !== null) ?? null,
  or: (parts) => (parts.every((u) => u !== null) ? [...new Set(parts.flat() as number[])] : null),
  not: () => null,
  field({ operator, field, value }) {
    if (field !== 'user_id') return null;
    if (operator === 'in') return (value as unknown[]).filter((x): x is number => typeof x === 'number');
    if (operator === 'eq' && typeof value === 'number') return [value];
    return null;
  },
};

/**
 * The scope of the actor's event analytics. `gate` is the CASL subject the query needs ('analytics' for
 * view_analytics); without it, 403 naming the reason.
 */
export function analyticsScope(actor: Actor, gate = 'analytics', action: Action = 'read'): AnalyticsScope {
  if (!actor.ability.can(action, gate)) throw forbidden(`You may not ${action} ${gate}: it needs the ${gate === 'reports' ? 'view_reports' : 'view_analytics'} permission`);
  const ast = rulesToAST(actor.ability, 'read', 'events');
  if (ast === null) return { tenantId: actor.principal.tenantId, condition: '0', userIds: [] };
  return { tenantId: actor.principal.tenantId, condition: translateCondition(ast, clickhouse), userIds: translateCondition(ast, userLimit) };
}
