// Who sees which events in ClickHouse: the tenant, plus the CASL conditions of `read` on `events` (the data
// scope of view_analytics: own / team / all rows, and a workspace member's workspace), compiled to ClickHouse
// SQL exactly as domain/conditions-sql.ts compiles them for PostgreSQL. A team-scoped role sees the events of
// its team's users only (user_id IN team), an own-scoped role its own.
import { rulesToAST } from '@casl/ability/extra';
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

interface Node {
  operator: string;
  value: unknown;
  field?: string;
}

const literal = (v: unknown) => uint(v === null || v === undefined ? 0 : Number(v));

function compile(node: Node): string {
  const children = () => (node.value as Node[]).map(compile);
  switch (node.operator) {
    case 'and':
      return (node.value as Node[]).length ? children().map((c) => `(${c})`).join(' AND ') : '1';
    case 'or':
      return (node.value as Node[]).length ? children().map((c) => `(${c})`).join(' OR ') : '0';
    case 'not':
      return `NOT (${children().map((c) => `(${c})`).join(' AND ') || '1'})`;
  }
  const field = node.field;
  if (!field || !(COLUMNS as readonly string[]).includes(field)) throw new Error(`events scope on unknown field ${String(field)}`);
  const v = node.value;
  switch (node.operator) {
    case 'eq':
      return `${field} = ${literal(v)}`;
    case 'ne':
      return `${field} != ${literal(v)}`;
    case 'in':
      return isIn(field, [...new Set((v as unknown[]).map(literal))]);
    case 'nin':
      return `NOT (${isIn(field, [...new Set((v as unknown[]).map(literal))])})`;
    default:
      throw new Error(`events scope operator ${node.operator} has no ClickHouse translation`);
  }
}

/** User ids an AST limits user_id to, if every alternative does (team or own scope). */
function usersOf(node: Node): number[] | null {
  if (node.operator === 'in' && node.field === 'user_id') return (node.value as number[]).filter((x) => typeof x === 'number');
  if (node.operator === 'eq' && node.field === 'user_id' && typeof node.value === 'number') return [node.value];
  if (node.operator === 'and') {
    for (const c of node.value as Node[]) {
      const u = usersOf(c);
      if (u) return u;
    }
  }
  if (node.operator === 'or') {
    const all = (node.value as Node[]).map(usersOf);
    if (all.length && all.every((u) => u !== null)) return [...new Set(all.flat() as number[])];
  }
  return null;
}

/**
 * The scope of the actor's event analytics. `gate` is the CASL subject the query needs ('analytics' for
 * view_analytics); without it, 403 naming the reason.
 */
export function analyticsScope(actor: Actor, gate = 'analytics', action: Action = 'read'): AnalyticsScope {
  if (!actor.ability.can(action, gate)) throw forbidden(`You may not ${action} ${gate}: it needs the ${gate === 'reports' ? 'view_reports' : 'view_analytics'} permission`);
  const ast = rulesToAST(actor.ability, 'read', 'events') as unknown as Node | null;
  if (ast === null) return { tenantId: actor.principal.tenantId, condition: '0', userIds: [] };
  return { tenantId: actor.principal.tenantId, condition: compile(ast), userIds: usersOf(ast) };
}
