// The records a page links to (a deal's company, contact, stage...), shown by their titles. AdminJS asks for
// them after the page's rows came back, one findMany per linked resource (sent together: one statement, the
// second of every list and show page). Here they come in the rows' own statement instead: each reference the
// actor reads gets a correlated subquery that reads the linked record exactly as findMany would (the same
// columns, the linked resource's own scope; row-level security applies to it as to any statement), and the
// rows are kept for this actor's request, so that AdminJS's findMany right after is answered from them.
import { and, sql, type SQL } from 'drizzle-orm';
import { resourceOf, type Resource } from '../resources';
import { fromJsonRow, jsonRow, type Columns } from '../json-rows';
import { col, perAbility, scopeOf, selection } from './fields';
import { conditionFields, finishRow, TITLE, titleSelection } from './titles';
import type { Actor, Row } from './types';

/** How findMany reads a resource's records: the statement's one JSON column, and the row it becomes. */
export interface ManyShape {
  /** A JSON array: the chosen columns, then the title's extras. */
  shape: SQL;
  /** The row the shape's JSON stands for, as the actor may read it. */
  decode: (json: unknown) => Row;
}

/**
 * The shape of findMany's rows: every readable column, or only `fields` (and id, and the title's fields) plus,
 * never returned, what the read rules look at and what tells namesakes apart, so that field security judges
 * each record whole. `title` adds each record's `__title`.
 */
export function manyShape(actor: Actor, r: Resource, fields: readonly string[] | undefined, title: boolean): ManyShape {
  const wanted = fields ? new Set(['id', ...fields, ...(title ? r.title.fields : [])]) : undefined;
  const readable = selection(actor, r);
  const judged = new Set(wanted ? [...conditionFields(actor, r), ...(title && r.title.disambiguate ? [r.title.disambiguate] : [])] : []);
  const columns: Columns = wanted ? [...r.columns].filter(([f]) => (f in readable ? wanted.has(f) || judged.has(f) : judged.has(f) && r.title.disambiguate !== f)) : Object.entries(readable);
  const extras = Object.entries(title ? titleSelection(actor, r) : {});
  const shape = sql`json_build_array(${jsonRow(columns)}${sql.join(extras.map(([, e]) => sql`, ${e}`))})`;
  const decode = (json: unknown): Row => {
    const [values, ...more] = json as [unknown[], ...unknown[]];
    const done = finishRow(actor, r, { ...fromJsonRow(columns, values), ...Object.fromEntries(extras.map(([k], i) => [k, more[i]])) }, title);
    return wanted ? Object.fromEntries(Object.entries(done).filter(([f]) => wanted.has(f) || f === TITLE)) : done;
  };
  return { shape, decode };
}

/** A linked record as AdminJS's population asks for it: its id and title (findMany with `fields: []`). */
export const linkedShape = (actor: Actor, r: Resource): ManyShape =>
  // (Kept with the ability: made for the principal and ability alone, not for the request's actor and its reads.)
  perAbility(actor, `linked shape ${r.name}`, () => manyShape({ principal: actor.principal, ability: actor.ability }, r, [], true));

const LINKED = '__linked ';

/**
 * The subqueries that read the records `r`'s rows link to, one per reference the actor reads whose resource it
 * may read. A reference to `r` itself (a user's manager) is left to findMany: inside a subquery of the same
 * table, the outer row's columns could not be named apart from the linked row's.
 */
export function linkedSelection(actor: Actor, r: Resource): Readonly<Record<string, SQL>> {
  return perAbility(actor, `linked ${r.name}`, () => {
    const readable = selection(actor, r);
    const out: Record<string, SQL> = {};
    for (const ref of r.references) {
      const target = resourceOf(ref.target);
      if (!target || target === r || !(ref.column in readable) || !actor.ability.can('read', target.name)) continue;
      // (Correlated: the target's columns name the subquery's table; the reference is the outer row's, by name.)
      const fk = sql`${sql.identifier(r.name)}.${sql.identifier(ref.column)}`;
      out[`${LINKED}${ref.column}`] = sql`(SELECT ${linkedShape(actor, target).shape} FROM ${target.table} WHERE ${and(scopeOf(actor, 'read', target), sql`${col(target, 'id')} = ${fk}`)})`;
    }
    return out;
  });
}

/** The records each request's actor has been given with its rows: resource -> id -> row, or null (not readable). */
const kept = new WeakMap<Actor, Map<string, Map<number, Row | null>>>();

/**
 * Takes the linked records out of a row that `linkedSelection` read, keeping them for the actor's findMany.
 * A reference with no readable record keeps null: findMany would not find it either.
 */
export function keepLinked(actor: Actor, r: Resource, row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (!key.startsWith(LINKED)) {
      out[key] = value;
      continue;
    }
    const column = key.slice(LINKED.length);
    const id = row[column];
    if (typeof id !== 'number') continue;
    const target = r.references.find((ref) => ref.column === column)!.target;
    let byResource = kept.get(actor);
    if (!byResource) kept.set(actor, (byResource = new Map()));
    let byId = byResource.get(target);
    if (!byId) byResource.set(target, (byId = new Map()));
    byId.set(id, value === null ? null : linkedShape(actor, resourceOf(target)!).decode(value));
  }
  return out;
}

/** The linked records among `ids` this actor's request was given with its rows, if it was given them all. */
export function keptLinked(actor: Actor, r: Resource, ids: readonly number[]): Row[] | undefined {
  const byId = kept.get(actor)?.get(r.name);
  if (!byId || !ids.every((id) => byId.has(id))) return undefined;
  return ids.map((id) => byId.get(id)).filter((row): row is Row => !!row);
}
