// Which column each header cell of an import names, and the references given by title instead of id. What an
// export wrote comes back in: system columns (id, tenant_id, created_at, updated_at) are ignored, and a header
// may be the column name or its label ("First name", "first_name", "Company" for company_id).
import { READ_ONLY_FIELDS } from '../ability';
import { titleText, resourceOf, type Resource } from '../resources';
import type { Actor, Row, ScopedData } from '../scoped-data';

/**
 * The header of the readable column an export writes beside each reference ("company_id (title)": the
 * referenced record's title, or Restricted). The id column is what an import reads back, so the title
 * column is ignored on the way in and an export -> import round trip is exact even when two records share
 * a title or a reference is restricted.
 */
export const titleColumn = (column: string) => `${column} (title)`;
const TITLE_SUFFIX = ' (title)';

/** Header text as compared: case, spaces, underscores and punctuation do not count. */
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface HeaderColumns {
  /** Per header cell: the column it fills, or null when it is ignored (a system column). */
  columns: (string | null)[];
  ignored: string[];
  /** Header cell -> what is wrong with it. */
  errors: Record<string, string>;
}

/**
 * `labels`: column -> label as the back office shows it (the admin layer passes its labels). `mapping`: header
 * cell -> the column it fills, or null to leave it out (the import screen's column-mapping step).
 */
export function headerColumns(r: Resource, header: string[], labels: Record<string, string> = {}, mapping: Record<string, string | null> = {}): HeaderColumns {
  const byName = new Map<string, string>();
  for (const c of r.columns.keys()) {
    for (const alias of [labels[c], c.replace(/_id$/, ''), c]) if (alias) byName.set(norm(alias), c);
  }
  const columns: (string | null)[] = [];
  const ignored: string[] = [];
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  header.forEach((cell, k) => {
    const mapped = mapping[cell];
    const titleOf = cell.endsWith(TITLE_SUFFIX) ? byName.get(norm(cell.slice(0, -TITLE_SUFFIX.length))) : undefined;
    if (mapped === undefined && titleOf && r.references.some((ref) => ref.column === titleOf)) {
      columns.push(null);
      ignored.push(cell);
      return;
    }
    const column = cell === '' ? undefined : typeof mapped === 'string' ? byName.get(norm(mapped)) : byName.get(norm(cell));
    columns.push(null);
    if (mapped === null) ignored.push(cell);
    else if (cell === '') errors[`column ${k + 1}`] = 'has no name';
    else if (!column) errors[cell] = `is not a column of ${r.name}`;
    else if (seen.has(column)) errors[cell] = 'appears twice';
    else if (READ_ONLY_FIELDS.includes(column)) ignored.push(cell);
    else columns[k] = column;
    if (column) seen.add(column);
  });
  return { columns, ignored, errors };
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const isId = (v: unknown) => typeof v === 'string' && /^\s*\d+\s*$/.test(v);

/**
 * Replaces references given by title ("Northwind Traders" for company_id) with the id of the one record of that
 * title the actor can read; a title naming none or several is an error on the row's field. One lookup per
 * distinct title. A title of several fields ("Anna Novak") is looked up by its first part, then compared whole.
 */
export async function resolveTitles(data: ScopedData, actor: Actor, r: Resource, rows: { values: Row; errors: Record<string, string> }[]) {
  for (const ref of r.references) {
    const target = resourceOf(ref.target)!;
    const titles = [...new Set(rows.map((row) => row.values[ref.column]).filter((v): v is string => typeof v === 'string' && !isId(v)))];
    if (!titles.length) continue;
    const found = new Map<string, number[]>();
    for (const title of titles) {
      const first = target.title.fields.length === 1 ? title.trim() : title.split(target.title.separator)[0]!.trim();
      const field = target.title.fields[0]!;
      if (!actor.ability.can('read', target.name)) break;
      const { records } = await data.list(actor, target.name, { filters: { [field]: { equals: first } }, perPage: 100, withTotal: false });
      found.set(title, records.filter((rec) => same(titleText(target, rec), title)).map((rec) => rec.id as number));
    }
    for (const row of rows) {
      const title = row.values[ref.column];
      if (typeof title !== 'string' || isId(title)) continue;
      const ids = found.get(title) ?? [];
      if (ids.length === 1) row.values[ref.column] = ids[0];
      else row.errors[ref.column] = ids.length ? `${ids.length} ${target.name} are titled "${title}": give the id instead` : `no ${target.name} titled "${title}" that you can use`;
    }
  }
}
