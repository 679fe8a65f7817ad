// Field security and scope: which resource an actor may touch, the ability's conditions as SQL, which
// fields a record lets the actor read or write, and the refusals that name the rule deciding them.
import { permittedFieldsOf, rulesToAST } from '@casl/ability/extra';
import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { asSubject, explain } from '../ability';
import { conditionToSql } from '../conditions-sql';
import { DomainError, forbidden, invalid, notFound } from '../errors';
import type { Action } from '../permissions';
import { resourceOf, type Resource } from '../resources';
import type { Actor, Row } from './types';
import { SYSTEM_FIELDS } from '../../schema';

/** The resource, if the actor may do `action` on some of its records at all (else 403, or 404 for unknown names). */
export function resourceFor(actor: Actor, action: Action, name: string): Resource {
  const r = resourceOf(name);
  if (!r) throw notFound('resource', name);
  if (!actor.ability.can(action, name)) throw forbidden(`You may not ${action} ${name}: ${explain(actor.ability, action, name).reason}`);
  return r;
}

export function col(r: Resource, field: string): PgColumn {
  const c = r.columns.get(field);
  if (!c) throw invalid(`${r.name} has no field ${field}`, { [field]: 'unknown field' });
  return c;
}

export function parseId(r: Resource, id: unknown): number {
  const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw invalid(`${String(id)} is not a valid ${r.name} id`);
  return n;
}

/**
 * What an ability decides about a resource as a whole (its scope as SQL, the fields it reads), worked out once
 * per ability rather than per request: the principal cache (domain/principal-cache.ts) keeps an actor's ability
 * across requests until access changes, and a change makes a new ability, so nothing here outlives what it
 * was derived from. Every request asked CASL the same questions and rebuilt the same SQL (a profile of a show
 * request: about a tenth of its CPU). The values are shared: frozen, never to be changed by a caller.
 */
const decided = new WeakMap<object, Map<string, unknown>>();

export function perAbility<T>(actor: Actor, what: string, work: () => T): T {
  // (An ability goes with its principal, tenant included; the tenant is in the key all the same, as it is in the SQL.)
  const key = `${actor.principal.tenantId} ${what}`;
  let known = decided.get(actor.ability);
  if (!known) decided.set(actor.ability, (known = new Map()));
  if (!known.has(key)) known.set(key, Object.freeze(work()));
  return known.get(key) as T;
}

/** Tenant plus the ability's conditions for `action`, as SQL. */
export function scopeOf(actor: Actor, action: Action, r: Resource): SQL {
  const { tenantId } = actor.principal;
  return perAbility(actor, `scope ${action} ${r.name}`, () => {
    const tenantCol = r.name === 'tenants' ? 'id' : 'tenant_id';
    return and(eq(col(r, tenantCol), tenantId), conditionToSql(rulesToAST(actor.ability, action, r.name), r.columns)) as SQL;
  });
}

/** The fields the actor may read: on some record of `r` (field rules with conditions), or on `record`. */
export function readableFields(actor: Actor, r: Resource, record?: Row): readonly string[] {
  const all = [...r.columns.keys()];
  if (!record) return perAbility(actor, `read fields ${r.name}`, () => permittedFieldsOf(actor.ability, 'read', r.name as never, { fieldsFrom: (rule) => rule.fields ?? all }));
  return permittedFieldsOf(actor.ability, 'read', asSubject(r.name, { ...record }) as never, { fieldsFrom: (rule) => rule.fields ?? all });
}

/** The columns the actor may read (and id), as a Drizzle selection. */
export function selection(actor: Actor, r: Resource): Readonly<Record<string, PgColumn>> {
  return perAbility(actor, `selection ${r.name}`, () => {
    const fields = new Set([...readableFields(actor, r), 'id']);
    return Object.fromEntries([...r.columns].filter(([f]) => fields.has(f)));
  });
}

/** Drops the fields this particular record does not let the actor read (field rules with conditions). */
export function strip(actor: Actor, r: Resource, row: Row): Row {
  // Rules that all grant every field, none denying: every record the actor sees shows all it selected.
  if (perAbility(actor, `reads whole ${r.name}`, () => actor.ability.rulesFor('read', r.name).every((rule) => !rule.fields && !rule.inverted))) return row;
  const allowed = new Set([...readableFields(actor, r, row), 'id']);
  return Object.fromEntries(Object.entries(row).filter(([f]) => allowed.has(f)));
}

export function assertFields(actor: Actor, action: Action, r: Resource, record: Row, fields: string[]) {
  for (const f of fields) {
    if (!actor.ability.can(action, asSubject(r.name, { ...record }) as never, f)) {
      const message = `You may not ${action === 'create' ? 'set' : 'change'} ${f}: ${explain(actor.ability, action, r.name, record, f).reason}`;
      throw new DomainError('forbidden', message, { [f]: message });
    }
  }
}

/** The record as a whole; the error names those of `given` (fields the caller set) that the scope depends on. */
export function assertAllowed(actor: Actor, action: Action, r: Resource, record: Row, given: string[] = []) {
  const decision = explain(actor.ability, action, r.name, record);
  if (decision.allowed) return;
  const message = `You may not ${action} this ${r.name} record: ${decision.reason}`;
  const scoped = new Set(actor.ability.rulesFor(action, r.name).flatMap((rule) => Object.keys(rule.conditions ?? {})));
  throw new DomainError('forbidden', message, Object.fromEntries(given.filter((f) => scoped.has(f)).map((f) => [f, message])));
}

export function refuseSystemFields(r: Resource, input: Row) {
  for (const f of SYSTEM_FIELDS) {
    if (f in input && r.columns.has(f)) throw forbidden(`${f} is set by the system and cannot be written`);
  }
}
