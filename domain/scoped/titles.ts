// Record titles ("Ann Smith", "Sales · Qualified", "Ann Smith (asmith)") as the scoped layer returns them in
// `__title`. A title is composed AFTER field security has stripped the row, from the fields the actor may read
// of that very record, so it can never carry more than the record shows itself. Its two SQL helpers are safe
// by construction too: the parent's title is read under the parent's own read scope (NULL when the actor may
// not read the parent), and the namesake check answers one bit, "another user of this tenant has this very
// name", which only ever adds a field the actor already reads on this record.
import { and, sql, type SQL } from 'drizzle-orm';
import { resourceOf, titleText, type Resource } from '../resources';
import { col, perAbility, scopeOf, strip } from './fields';
import type { Actor, Row } from './types';

/** The key of a record's title among its fields. */
export const TITLE = '__title';
/** What a reference shows for a record the actor may not read: neither its id nor any of its data. */
export const RESTRICTED = 'Restricted';

const PARENT = '__parent_title';
const NAMESAKE = '__namesake';

/**
 * A column of the outer row, always with its table's name: Drizzle leaves the columns of a one-table select
 * unqualified, and inside a subquery of the same (or a referenced) table they would name the subquery's row.
 */
const outer = (r: Resource, field: string) => sql`${sql.identifier(r.name)}.${sql.identifier(field)}`;

/** The SQL a row's title needs beside its columns: its parent's title, whether it has a namesake. */
export function titleSelection(actor: Actor, r: Resource): Readonly<Record<string, SQL>> {
  return perAbility(actor, `title ${r.name}`, () => titleSql(actor, r));
}

function titleSql(actor: Actor, r: Resource): Record<string, SQL> {
  const out: Record<string, SQL> = {};
  const { parent, disambiguate, fields } = r.title;
  const ref = parent ? r.references.find((x) => x.column === parent) : undefined;
  const target = ref ? resourceOf(ref.target) : undefined;
  if (parent && target && actor.ability.can('read', target.name)) {
    const parts = target.title.fields.map((f) => col(target, f));
    const text = sql`concat_ws(${target.title.separator}, ${sql.join(parts, sql`, `)})`;
    // (Correlated: the target's columns name the subquery's table, the reference column the outer row's.)
    out[PARENT] = sql`(SELECT ${text} FROM ${target.table} WHERE ${and(scopeOf(actor, 'read', target), sql`${sql.identifier(target.name)}.id = ${outer(r, parent)}`)})`;
  }
  if (disambiguate) {
    // The same table under another name: the outer row's columns keep their table's name.
    const same = fields.map((f) => sql`lower(namesake.${sql.identifier(f)}) IS NOT DISTINCT FROM lower(${outer(r, f)})`);
    out[NAMESAKE] = sql`EXISTS (SELECT 1 FROM ${r.table} AS namesake WHERE namesake.tenant_id = ${outer(r, 'tenant_id')} AND namesake.id <> ${outer(r, 'id')} AND ${sql.join(same, sql` AND `)})::int`;
  }
  return out;
}

/** The columns of the outer row that a title's SQL names: each `outer(r, ...)` of titleSql above. */
export function titleColumns(r: Resource): string[] {
  const { parent, disambiguate, fields } = r.title;
  return [...(parent ? [parent] : []), ...(disambiguate ? [...fields, 'tenant_id', 'id'] : [])];
}

/**
 * The row as the actor may read it (field security), with its `__title` composed of what remains when
 * `titled`. A record whose title fields the actor may not read at all is titled RESTRICTED.
 */
export function finishRow(actor: Actor, r: Resource, row: Row, titled = false): Row {
  const { [PARENT]: parentTitle, [NAMESAKE]: namesake, ...columns } = row;
  const rest = strip(actor, r, columns);
  if (!titled) return rest;
  const readable = r.title.fields.some((f) => f in rest && (f !== 'id' || r.title.fields.length === 1));
  const extra = { parentTitle, namesake: Number(namesake) === 1 && !!r.title.disambiguate && r.title.disambiguate in rest };
  return { ...rest, [TITLE]: readable ? titleText(r, rest, extra) : RESTRICTED };
}

/** The fields the read conditions of `r` look at: a partial row must carry them for field security to judge it. */
export function conditionFields(actor: Actor, r: Resource): readonly string[] {
  return perAbility(actor, `condition fields ${r.name}`, () => {
    const keys = actor.ability.rulesFor('read', r.name).flatMap((rule) => Object.keys(rule.conditions ?? {}));
    return [...new Set(keys)].filter((k) => r.columns.has(k));
  });
}
