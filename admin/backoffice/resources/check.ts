// The startup check of the specs, run when the back office is built (admin/backoffice/index.ts) and by
// test/architecture/specs.test.ts: the domain specs against the schema (domain/resources/check.ts), then
// every screen spec: one per resource, each field it names a column of its table with a fitting type, and
// no fact in two places (a domain fact restated on the screen, a label equal to the derived one, an action
// or extra property that shadows a generated one). A failure names the resource and the field.
import { getTableConfig } from 'drizzle-orm/pg-core';
import { domainSpecProblems, isText } from '../../../domain/resources/check';
import { resources, type Resource } from '../../../domain/resources';
import { derivedLabel } from '../labels';
import { SCREENS } from './index';
import type { ScreenSpec } from './spec';

/** Actions every resource gets from options.ts: a CRM action of the same name would be a second definition. */
const GENERATED_ACTIONS = ['list', 'search', 'show', 'new', 'edit', 'delete', 'bulkDelete', 'exportCsv', 'importCsv'];
/** Properties options.ts adds that are no column. */
const GENERATED_PROPERTIES = ['history', 'related', '__title'];
const SCREEN_KEYS = new Set(['table', 'list', 'longText', 'choices', 'labels', 'widgets', 'extras', 'actions', 'related']);

export function screenSpecProblems(screens: readonly ScreenSpec[] = SCREENS, served: ReadonlyMap<string, Resource> = resources): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const spec of screens) {
    const name = getTableConfig(spec.table).name;
    const r = served.get(name);
    if (!r) {
      problems.push(`${name}: has a screen spec but is no resource (domain/resources/${name}.ts)`);
      continue;
    }
    if (seen.has(name)) problems.push(`${name}: has two screen specs`);
    seen.add(name);
    const field = (fact: string, f: string, fits: (c: NonNullable<ReturnType<Resource['columns']['get']>>) => boolean = () => true, want = '') => {
      const c = r.columns.get(f);
      if (!c) problems.push(`${name}.${fact}: ${f} is no field of ${name}`);
      else if (!fits(c)) problems.push(`${name}.${fact}: ${f} is ${c.columnType}, not ${want}`);
    };
    for (const key of Object.keys(spec)) {
      if (!SCREEN_KEYS.has(key)) problems.push(`${name}: ${key} is no screen fact (a domain fact belongs in domain/resources/${name}.ts only)`);
    }
    for (const f of spec.list ?? []) field('list', f);
    for (const f of spec.longText ?? []) field('longText', f, (c) => isText(c) && !(c as { enumValues?: unknown[] }).enumValues, 'free text');
    for (const f of Object.keys(spec.choices ?? {})) field('choices', f, (c) => c.columnType === 'PgArray', 'a list (text[])');
    for (const [f, label] of Object.entries(spec.labels ?? {})) {
      field('labels', f);
      if (label === derivedLabel(f)) problems.push(`${name}.labels: ${f} restates the derived label "${label}"`);
    }
    for (const f of Object.keys(spec.widgets ?? {})) field('widgets', f);
    for (const f of Object.keys(spec.extras ?? {})) {
      if (r.columns.has(f) || GENERATED_PROPERTIES.includes(f)) problems.push(`${name}.extras: ${f} is already a property (a column's is derived)`);
    }
    for (const a of Object.keys(spec.actions ?? {})) {
      if (GENERATED_ACTIONS.includes(a)) problems.push(`${name}.actions: ${a} is a generated action and is defined in options.ts`);
    }
    for (const other of spec.related ?? []) {
      const target = served.get(other);
      if (!target) problems.push(`${name}.related: ${other} is no resource`);
      else if (!target.references.some((ref) => ref.target === name)) problems.push(`${name}.related: ${other} has no reference to ${name}`);
    }
  }
  for (const name of served.keys()) if (!seen.has(name)) problems.push(`${name}: has no screen spec (add admin/backoffice/resources/${name}.ts)`);
  return problems;
}

/** Throws, naming every resource and field at fault, unless the domain and screen specs fit the schema. */
export function assertSpecs(problems: string[] = [...domainSpecProblems(), ...screenSpecProblems()]): void {
  if (problems.length) throw new Error(`The resource specs do not fit the schema:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
