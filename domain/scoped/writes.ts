// The write pipeline: what a new or changed record goes through before the database sees it (system fields
// refused, defaults, validation, scope and field checks, business rules, password hashing), which fields a
// patch really changes, and createMany's batched inserts that name the rows the database refuses.
import type { PgColumn } from 'drizzle-orm/pg-core';
import { CROSS_WORKSPACE_LEVEL } from '../principal';
import { fromDatabaseError } from '../db-errors';
import { DomainError } from '../errors';
import { DRY_RUN_HASH, hashPassword, hashPasswordInBulk } from '../passwords';
import type { Resource } from '../resources';
import { checkBusinessRules } from '../rules';
import { validateInput } from '../validation';
import { assertAllowed, assertFields, refuseSystemFields, selection, strip } from './fields';
import type { Actor, CreateManyResult, Row, RowOutcome, Tx } from './types';

/** Rows per INSERT statement in createMany. */
const CREATE_BATCH = 1000;

/** Ends createMany's transaction without writing, carrying the report out. */
export class RollBack {
  constructor(readonly result: CreateManyResult) {}
}

/** A refusal as a row's field errors; anything that is not a DomainError (a real failure) is rethrown. */
export function rowErrors(err: unknown): Record<string, string> {
  let e = err;
  if (!(e instanceof DomainError)) {
    try {
      fromDatabaseError(err, 'write');
    } catch (mapped) {
      e = mapped;
    }
  }
  if (!(e instanceof DomainError)) throw err;
  return Object.keys(e.fields).length ? { ...e.fields } : { _row: e.message };
}

/** JSON with object keys sorted: two JSON values that PostgreSQL's jsonb holds as equal compare equal. */
const canonical = (v: unknown) =>
  JSON.stringify(v, (_key, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

/** Whether an input value equals the stored one, as the database compares them (NUMERIC 79 = '79.00'). */
function sameValue(column: PgColumn | undefined, input: unknown, stored: unknown): boolean {
  if (column?.columnType === 'PgNumeric' && input !== null && stored !== null && input !== undefined && stored !== undefined) {
    return Number(input) === Number(stored);
  }
  return canonical(input) === canonical(stored);
}

/** The fields of a validated patch that change the stored record (a password always counts: it is hashed). */
export function changedFields(r: Resource, values: Row, existing: Row): string[] {
  return Object.keys(values).filter((f) => !sameValue(r.columns.get(f), values[f], existing[f]) || f === 'password');
}

export function toColumns(r: Resource, values: Row): Row {
  // Drizzle's insert/update take the TypeScript keys of the table object.
  const byName = new Map([...r.columns].map(([name, c]) => [name, Object.entries(r.table).find(([, v]) => v === c)?.[0] ?? name]));
  return Object.fromEntries(Object.entries(values).map(([f, v]) => [byName.get(f) ?? f, v]));
}

/** Owner and workspace default to the actor's, so a new record lands inside the actor's own scope. */
function applyDefaults(actor: Actor, r: Resource, values: Row) {
  const p = actor.principal;
  const owners = r.ownerFields.filter((f) => f !== 'id');
  if (owners.length && owners.every((f) => values[f] === undefined)) values[owners[0]!] = p.userId;
  // (An assistant's workspace follows its scope: a tenant assistant has none.)
  const tenantWide = r.name === 'assistants' && values.scope !== 'workspace';
  if (r.workspaced && !tenantWide && values.workspace_id === undefined && p.workspaceId !== null && p.level < CROSS_WORKSPACE_LEVEL) {
    values.workspace_id = p.workspaceId;
  }
}

/** What every new record goes through before it is inserted (create and createMany): all but its references. */
export async function prepareCreate(
  actor: Actor,
  r: Resource,
  input: Row,
  /** bulk: one of many (hashes take turns); dryRun: never written, so never hashed. */
  mode: { bulk?: boolean; dryRun?: boolean } = {},
): Promise<{ values: Row; candidate: Row }> {
  refuseSystemFields(r, input);
  // Defaults first (owner, workspace), so a field they fill is not reported as missing.
  const withDefaults = { ...input };
  applyDefaults(actor, r, withDefaults);
  const values = validateInput(r, withDefaults, 'create');
  const candidate: Row = { ...values, tenant_id: actor.principal.tenantId };
  assertAllowed(actor, 'create', r, candidate, Object.keys(values));
  assertFields(actor, 'create', r, candidate, Object.keys(values));
  checkBusinessRules(actor.principal, r.name, candidate, null);
  if (typeof candidate.password === 'string') {
    candidate.password = mode.dryRun ? DRY_RUN_HASH : await (mode.bulk ? hashPasswordInBulk : hashPassword)(candidate.password);
  }
  return { values, candidate };
}

export interface Prepared {
  /** The row's index in createMany's input. */
  i: number;
  candidate: Row;
}

/**
 * Inserts the prepared rows, CREATE_BATCH per statement, each batch in a savepoint; a batch the database
 * refuses is retried row by row to name the rows at fault in `rows`. Stored rows replace their input there.
 */
export async function insertAll(tx: Tx, actor: Actor, r: Resource, insertable: Prepared[], rows: RowOutcome[]) {
  const insert = (batch: Prepared[]) =>
    tx.transaction(async (sp) => {
      const stored = await sp.insert(r.table).values(batch.map((p) => toColumns(r, p.candidate))).returning(selection(actor, r));
      batch.forEach((p, k) => (rows[p.i]!.values = strip(actor, r, stored[k]!)));
    });
  for (let at = 0; at < insertable.length; at += CREATE_BATCH) {
    const batch = insertable.slice(at, at + CREATE_BATCH);
    try {
      await insert(batch); // one INSERT per batch, in a savepoint
    } catch (err) {
      rowErrors(err); // (a failure that is no refusal ends everything)
      // The database refused the batch: row by row, each in its savepoint, to name the rows at fault.
      for (const p of batch) {
        await insert([p]).catch((e: unknown) => {
          rows[p.i]!.errors = rowErrors(e);
        });
      }
    }
  }
}
