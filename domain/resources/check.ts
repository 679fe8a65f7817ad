// The startup check of the domain specs (domain/resources/<table>.ts) against the Drizzle schema, in the
// spirit of Django's admin checks: every table has a spec or a reason not to, every field a spec names is a
// column of its table with a type that fits its use. The compiler already refuses a misspelt field in a
// literal spec; this catches what it cannot (a spec built at runtime or cast, a column whose type changed).
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { is } from 'drizzle-orm';
import * as s from '../../schema';
import { describe, NOT_SERVED, SPECS } from './index';
import { GROUPS, titleParts, type DomainSpec } from './spec';

/** Text columns (a title or a search is read and matched as text). */
export const isText = (c: PgColumn) => c.columnType === 'PgText' || c.columnType === 'PgVarchar';

/** The keys a domain spec may have: a screen fact here would be a second place for it. */
const DOMAIN_KEYS = new Set(['table', 'group', 'title', 'search', 'owners', 'order']);

export const schemaTables = (): PgTable[] => (Object.values(s) as unknown[]).filter((v): v is PgTable => is(v, PgTable));

/** Every problem of the domain specs, each naming the resource and the field: [] when all is well. */
export function domainSpecProblems(specs: readonly DomainSpec[] = SPECS, notServed: ReadonlyMap<PgTable, string> = NOT_SERVED, tables = schemaTables()): string[] {
  const problems: string[] = [];
  const seen = new Set<PgTable>();
  for (const spec of specs) {
    const name = getTableConfig(spec.table).name;
    if (seen.has(spec.table)) problems.push(`${name}: has two domain specs`);
    if (notServed.has(spec.table)) problems.push(`${name}: has a domain spec and is listed as not served (domain/resources/index.ts)`);
    seen.add(spec.table);
    const r = describe(spec);
    const field = (fact: string, f: string, fits: (c: PgColumn) => boolean, want: string) => {
      const c = r.columns.get(f);
      if (!c) problems.push(`${name}.${fact}: ${f} is no field of ${name}`);
      else if (!fits(c)) problems.push(`${name}.${fact}: ${f} is ${c.columnType}, not ${want}`);
    };
    const once = (fact: string, fields: readonly string[]) => {
      for (const f of new Set(fields.filter((f, i) => fields.indexOf(f) !== i))) problems.push(`${name}.${fact}: ${f} is named twice`);
    };
    for (const key of Object.keys(spec)) if (!DOMAIN_KEYS.has(key)) problems.push(`${name}: ${key} is no domain fact (a screen fact belongs in admin/backoffice/resources/${name}.ts)`);
    if (!(GROUPS as readonly string[]).includes(spec.group)) problems.push(`${name}.group: ${spec.group} is no navigation group (${GROUPS.join(', ')})`);
    const title = titleParts(spec.title);
    for (const f of title.fields) field('title', f, (c) => isText(c) || f === 'id', 'text (or the id)');
    once('title', title.fields);
    if (title.parent) field('title.parent', title.parent, (c) => r.references.some((ref) => ref.column === c.name), 'a reference');
    if (title.disambiguate) field('title.disambiguate', title.disambiguate, isText, 'text');
    for (const f of spec.order ?? []) field('order', f, () => true, 'a column');
    for (const f of spec.search) field('search', f, isText, 'text');
    once('search', spec.search);
    for (const f of spec.owners ?? []) {
      const toUsers = (name === 'users' && f === 'id') || r.references.some((ref) => ref.column === f && ref.target === 'users');
      field('owners', f, () => toUsers, 'a reference to users');
    }
    once('owners', spec.owners ?? []);
  }
  for (const table of tables) {
    if (!seen.has(table) && !notServed.has(table)) {
      const name = getTableConfig(table).name;
      problems.push(`${name}: a table of the schema with no spec (add domain/resources/${name}.ts, or list it as not served)`);
    }
  }
  return problems;
}
