// Business rules a CASL condition cannot express well, checked on the state a write would leave.
import { forbidden, invalid } from './errors';
import { passwordProblem } from './passwords';
import type { Principal } from './principal';

type Row = Record<string, unknown>;

export function checkBusinessRules(p: Principal, resource: string, after: Row, before: Row | null): void {
  if (resource === 'roles') {
    // No escalation: a role above my level, or with permissions I do not hold, is not mine to create.
    if (typeof after.level === 'number' && after.level > p.level) {
      throw forbidden(`You may not give a role level ${after.level}: your own level is ${p.level}`);
    }
    const extra = ((after.permissions as string[] | undefined) ?? []).filter((x) => !p.permissions.includes(x as never));
    const added = before ? extra.filter((x) => !((before.permissions as string[] | undefined) ?? []).includes(x)) : extra;
    if (added.length) throw forbidden(`You may not grant permissions you do not hold: ${added.join(', ')}`);
  }
  if (resource === 'users') {
    if (after.role_id !== undefined && !p.assignableRoleIds.includes(after.role_id as number)) {
      throw forbidden('You may not give a user a role above your own level');
    }
    if (after.manager_id !== null && after.manager_id !== undefined && after.manager_id === after.id) {
      throw invalid('A user cannot be their own manager', { manager_id: 'cannot be the user themselves' });
    }
    const password = after.password;
    const problem = typeof password === 'string' && password !== before?.password ? passwordProblem(password) : null;
    if (problem) throw invalid(`Password must be ${problem}`, { password: problem });
  }
}
