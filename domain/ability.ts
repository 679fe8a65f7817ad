// One CASL ability per principal, derived from role level, permission strings, workspace and manager tree.
// Every rule carries its reason (the permission or policy behind it), so any decision can be explained.
import { createMongoAbility, subject as asSubject, type MongoAbility, type MongoQuery, type RawRuleOf } from '@casl/ability';
import { DATA_SCOPED, EVERYONE_READS, PERMISSION_GRANTS, type Action } from './permissions';
import { CROSS_WORKSPACE_LEVEL, type Principal } from './principal';
import { resourceOf, resources } from './resources';
import { secretColumns, SYSTEM_FIELDS } from '../schema';

type Row = Record<string, unknown>;
export type AppAbility = MongoAbility<[Action, string], MongoQuery<Row>>;
export type DataScope = 'all' | 'team' | 'own' | 'none';

/** Fields no one writes: the database or the data layer sets them (schema/columns.ts). */
export const READ_ONLY_FIELDS: string[] = [...SYSTEM_FIELDS];
/** Fields no one reads, through any path: the columns the schema marks secret(). */
export const SECRET_FIELDS: Record<string, string[]> = Object.fromEntries(
  [...resources.values()].map((r) => [r.name, secretColumns(r.table)] as const).filter(([, fields]) => fields.length),
);

export function dataScopeOf(p: Principal): DataScope {
  if (p.permissions.includes('view_all_data')) return 'all';
  if (p.permissions.includes('view_team_data')) return 'team';
  if (p.permissions.includes('view_own_data')) return 'own';
  return 'none';
}

/** All of the conditions at once. They never share a key, so one object holds them. */
const and = (...parts: (MongoQuery<Row> | undefined)[]): MongoQuery<Row> | undefined => {
  const merged: Row = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part ?? {})) {
      if (key in merged) throw new Error(`conflicting ability conditions on ${key}`);
      merged[key] = value;
    }
  }
  return Object.keys(merged).length ? (merged as MongoQuery<Row>) : undefined;
};

/**
 * The alternatives of the data scope for a subject, one CASL rule each (CASL's conditions have no $or):
 * [undefined] for every row, [] for none, else one condition per owner field.
 */
function ownership(p: Principal, subject: string): (MongoQuery<Row> | undefined)[] {
  const owners = resourceOf(subject)?.ownerFields ?? [];
  const scope = dataScopeOf(p);
  if (scope === 'all' || owners.length === 0) return [undefined];
  if (scope === 'none') return [];
  const ids = scope === 'team' ? p.teamIds : [p.userId];
  return owners.map((f) => ({ [f]: { $in: ids } }) as MongoQuery<Row>);
}

/** A workspace member sees their workspace's rows and the tenant-wide ones; level 5+ crosses workspaces. */
function workspaceOf(p: Principal, subject: string): MongoQuery<Row> | undefined {
  if (p.workspaceId === null || p.level >= CROSS_WORKSPACE_LEVEL || !resourceOf(subject)?.workspaced) return undefined;
  return { workspace_id: { $in: [p.workspaceId, null] } } as MongoQuery<Row>;
}

export function buildAbility(p: Principal): AppAbility {
  const rules: RawRuleOf<AppAbility>[] = [];
  type Subjects = string | string[];
  const can = (action: Action | Action[], subject: Subjects, fields: string[] | undefined, conditions: MongoQuery<Row> | undefined, reason: string) =>
    rules.push({ action, subject, fields, conditions, reason });
  const cannot = (action: Action | Action[], subject: Subjects, fields: string[] | undefined, conditions: MongoQuery<Row> | undefined, reason: string) =>
    rules.push({ action, subject, fields, conditions, reason, inverted: true });

  const grant = (actions: Action[], subject: string, reason: string, extra?: MongoQuery<Row>, fields?: string[]) => {
    const alternatives = (DATA_SCOPED as readonly string[]).includes(subject) ? ownership(p, subject) : [undefined];
    for (const owned of alternatives) can(actions, subject, fields, and(owned, workspaceOf(p, subject), extra), reason);
  };

  grant(['read'], 'tenants', 'every user reads their own tenant', { id: p.tenantId } as MongoQuery<Row>);
  for (const s of EVERYONE_READS.filter((x) => x !== 'tenants')) grant(['read'], s, 'every user reads reference data');
  grant(['read', 'update'], 'users', 'every user reads and edits their own profile', { id: p.userId } as MongoQuery, [
    'id', 'username', 'email', 'first_name', 'last_name', 'role_id', 'manager_id', 'workspace_id', 'created_at', 'updated_at',
  ]);
  for (const s of ['agent_conversations', 'agent_messages']) {
    can(['read', 'create', 'update', 'delete'], s, undefined, { user_id: p.userId }, 'agent conversations are private to their user');
  }

  for (const permission of p.permissions) {
    for (const g of PERMISSION_GRANTS[permission] ?? []) {
      for (const s of g.subjects) {
        if (s === 'all') {
          can(g.actions, 'all', undefined, undefined, permission);
          continue;
        }
        const extra: MongoQuery<Row> | undefined = g.self ? ({ id: p.userId } as MongoQuery<Row>) : undefined;
        // No escalation: only users whose role I could grant, only roles at or below my level.
        // (Writing only: who may read users is view_users' and manage_users' business, whatever their level.)
        if (s === 'users' && !g.self) {
          const reads = g.actions.filter((a) => a === 'read');
          const writes = g.actions.filter((a) => a !== 'read');
          if (reads.length) grant(reads, s, permission, undefined, g.fields);
          if (writes.length) grant(writes, s, permission, { role_id: { $in: p.assignableRoleIds } } as MongoQuery<Row>, g.fields);
          continue;
        }
        if (s === 'roles' && g.actions.some((a) => a !== 'read')) {
          grant(['read'], s, permission);
          const reason = `${permission} (roles at or below your level ${p.level})`;
          grant(g.actions.filter((a) => a !== 'read'), s, reason, { level: { $lte: p.level } } as MongoQuery, g.fields);
          continue;
        }
        grant(g.actions, s, permission, extra, g.fields);
      }
    }
  }

  // Policies that no permission overrides (CASL gives later rules priority).
  cannot(['update', 'delete'], 'roles', undefined, { id: p.roleId }, 'nobody edits their own role');
  // (After the permission grants: manage_users' unrestricted update on users must not override it.)
  cannot('update', 'users', ['username', 'role_id', 'manager_id', 'workspace_id'], { id: p.userId },
    'nobody changes their own role, manager or workspace');
  cannot('delete', 'users', undefined, { id: p.userId }, 'nobody deletes their own account');
  cannot(['create', 'update', 'delete'], 'audit_log', undefined, undefined, 'the audit log is written by the database only');
  cannot(['create', 'delete'], 'tenants', undefined, undefined, 'tenants are created and removed by operators');
  cannot(['update', 'delete'], 'events', undefined, undefined, 'events are immutable');
  cannot(['create', 'update'], 'ingest_keys', ['key_hash', 'key_prefix'], undefined,
    'the secret of an ingest key is generated by the server: POST /api/analytics/ingest-keys[/:id/rotate]');
  cannot(['create', 'update'], 'all', READ_ONLY_FIELDS, undefined, 'ids, tenant and timestamps are set by the system');
  cannot(['create', 'update'], 'assistants', ['public_key', 'widget_code'], undefined,
    'the public key and embed code are generated by the system (domain/assistants/embed.ts)');
  for (const [s, fields] of Object.entries(SECRET_FIELDS)) cannot('read', s, fields, undefined, 'secrets are never readable');

  return createMongoAbility<AppAbility>(rules);
}

const cache = new Map<string, AppAbility>();

/** Abilities are cached by everything they are built from: a changed role or manager tree rebuilds. */
export function abilityFor(p: Principal): AppAbility {
  const key = JSON.stringify(p);
  let ability = cache.get(key);
  if (!ability) {
    if (cache.size > 5000) cache.clear();
    ability = buildAbility(p);
    cache.set(key, ability);
  }
  return ability;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** Which rule allowed or denied `action` on a resource (or one of its records, or one field). */
export function explain(ability: AppAbility, action: Action, resource: string, record?: Record<string, unknown>, field?: string): Decision {
  const target = record ? asSubject(resource, { ...record }) : resource;
  const allowed = ability.can(action, target as never, field);
  const rule = ability.relevantRuleFor(action, target as never, field);
  if (allowed || rule) return { allowed, reason: rule?.reason ?? `no permission grants ${action} on ${resource}` };
  // No rule matches this record, though some may match others: it lies outside their conditions.
  const general = record ? ability.rulesFor(action, resource, field).find((r) => !r.inverted) : undefined;
  return {
    allowed,
    reason: general ? `this record is outside what ${general.reason} allows` : `no permission grants ${action} on ${resource}`,
  };
}

export { asSubject };
