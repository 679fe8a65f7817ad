// Reference checks: a reference must name a record of the same tenant that the actor can read, so a write
// can neither point at another tenant's rows nor probe which ids exist beyond the actor's scope.
import { and, inArray } from 'drizzle-orm';
import { invalid } from '../errors';
import { resourceOf, type Resource } from '../resources';
import { col, scopeOf } from './fields';
import type { Actor, Row, Tx } from './types';

/** Ids per lookup query: a createMany of many rows stays within PostgreSQL's parameter limit. */
const CHUNK = 10_000;

/** The first unusable reference of `values`, as a 400 naming its field. */
export async function assertReferences(tx: Tx, actor: Actor, r: Resource, values: Row) {
  const [errors] = await unusableReferences(tx, actor, r, [values]);
  const field = Object.keys(errors!)[0];
  if (field) throw invalid(errors![field]!, { [field]: errors![field]! });
}

/** The references of each row that name no record the actor can use (one query per reference column). */
export async function unusableReferences(tx: Tx, actor: Actor, r: Resource, rows: Row[]): Promise<Record<string, string>[]> {
  const errors = rows.map((): Record<string, string> => ({}));
  for (const ref of r.references) {
    const wanted = [...new Set(rows.map((values) => values[ref.column]).filter((v) => v !== undefined && v !== null))] as number[];
    if (!wanted.length) continue;
    const target = resourceOf(ref.target)!;
    const usable = new Set<unknown>();
    for (let at = 0; actor.ability.can('read', target.name) && at < wanted.length; at += CHUNK) {
      const found = await tx
        .select({ id: col(target, 'id') })
        .from(target.table)
        .where(and(scopeOf(actor, 'read', target), inArray(col(target, 'id'), wanted.slice(at, at + CHUNK))));
      for (const { id } of found) usable.add(id);
    }
    rows.forEach((values, k) => {
      const value = values[ref.column];
      if (value === undefined || value === null || usable.has(value)) return;
      errors[k]![ref.column] = `${ref.column}: no ${ref.target} #${String(value)} that you can use`;
    });
  }
  return errors;
}
