// The resource specs (domain/resources/<table>.ts, admin/backoffice/resources/<table>.ts) are checked
// against the Drizzle schema when the back office is built; these tests show what the check refuses.
import { expect, it } from 'vitest';
import * as s from '../../schema';
import { domainSpecProblems, schemaTables } from '../../domain/resources/check';
import { describe, NOT_SERVED, SPECS, titleText } from '../../domain/resources';
import { defineResource, type DomainSpec } from '../../domain/resources/spec';
import { assertSpecs, screenSpecProblems } from '../../admin/backoffice/resources/check';
import { SCREENS } from '../../admin/backoffice/resources';
import { defineScreen, type ScreenSpec } from '../../admin/backoffice/resources/spec';

const withSpec = (table: unknown, change: (spec: DomainSpec) => DomainSpec) => SPECS.map((spec) => (spec.table === table ? change(spec) : spec));
const withScreen = (table: unknown, change: (spec: ScreenSpec) => ScreenSpec) => SCREENS.map((spec) => (spec.table === table ? change(spec) : spec));

it('the specs of the code fit the schema: the check the back office runs at build passes', () => {
  expect(domainSpecProblems()).toEqual([]);
  expect(screenSpecProblems()).toEqual([]);
  expect(() => assertSpecs()).not.toThrow();
});

it('a misspelt field in a spec stops the start with a message naming the resource and the field', () => {
  // (Written as a literal, the compiler refuses it; a spec cast or built at runtime reaches the check.)
  const misspelt = withSpec(s.contacts, (spec) => ({ ...spec, search: ['first_name', 'frist_name'] }));
  const problems = domainSpecProblems(misspelt);
  expect(problems).toEqual(['contacts.search: frist_name is no field of contacts']);
  expect(() => assertSpecs(problems)).toThrow(/contacts\.search: frist_name is no field of contacts/);
  const screen = withScreen(s.leads, (spec) => ({ ...spec, list: [...(spec.list ?? []), 'emial'] }));
  expect(screenSpecProblems(screen)).toEqual(['leads.list: emial is no field of leads']);
});

it('the compiler refuses a misspelt field in a literal spec', () => {
  // @ts-expect-error: 'frist_name' is no column of contacts
  defineResource(s.contacts, { group: 'Customers', title: 'frist_name', search: [] });
  // @ts-expect-error: 'emial' is no column of leads
  defineScreen(s.leads, { list: ['emial'] });
});

it('a field of the wrong type is refused, naming what it is', () => {
  const numericTitle = withSpec(s.deals, (spec) => ({ ...spec, title: 'value' }));
  expect(domainSpecProblems(numericTitle)).toEqual(['deals.title: value is PgNumeric, not text (or the id)']);
  const ownerNoUser = withSpec(s.deals, (spec) => ({ ...spec, owners: ['stage_id'] }));
  expect(domainSpecProblems(ownerNoUser)).toEqual(['deals.owners: stage_id is PgInteger, not a reference to users']);
  const jsonLongText = withScreen(s.assistants, (spec) => ({ ...spec, longText: ['allowed_origins'] }));
  expect(screenSpecProblems(jsonLongText)).toEqual(['assistants.longText: allowed_origins is PgArray, not free text']);
});

it('every table of the schema has a spec or a stated reason not to be served', () => {
  expect(schemaTables().length).toBe(SPECS.length + NOT_SERVED.size);
  const missing = SPECS.filter((spec) => spec.table !== s.tenants);
  expect(domainSpecProblems(missing)).toEqual(['tenants: a table of the schema with no spec (add domain/resources/tenants.ts, or list it as not served)']);
  expect(screenSpecProblems(SCREENS.filter((spec) => spec.table !== s.tenants))).toEqual(['tenants: has no screen spec (add admin/backoffice/resources/tenants.ts)']);
});

it('no fact is defined in two places', () => {
  const twice = [...SPECS, SPECS.find((spec) => spec.table === s.roles)!];
  expect(domainSpecProblems(twice)).toContain('roles: has two domain specs');
  const screenTitle = withScreen(s.deals, (spec) => ({ ...spec, title: 'title' }) as ScreenSpec);
  expect(screenSpecProblems(screenTitle)).toEqual(['deals: title is no screen fact (a domain fact belongs in domain/resources/deals.ts only)']);
  const domainList = withSpec(s.deals, (spec) => ({ ...spec, list: ['title'] }) as DomainSpec);
  expect(domainSpecProblems(domainList)).toEqual(['deals: list is no domain fact (a screen fact belongs in admin/backoffice/resources/deals.ts)']);
  const derivedLabel = withScreen(s.products, (spec) => ({ ...spec, labels: { ...spec.labels, sale_price: 'Sale price' } }));
  expect(screenSpecProblems(derivedLabel)).toEqual(['products.labels: sale_price restates the derived label "Sale price"']);
  const shadow = withScreen(s.leads, (spec) => ({ ...spec, actions: { ...spec.actions, edit: { component: 'X', icon: 'Edit', needs: 'update' } } }));
  expect(screenSpecProblems(shadow)).toEqual(['leads.actions: edit is a generated action and is defined in options.ts']);
  const notServedToo = [...SPECS, defineResource(s.sessions, { group: 'Access', title: 'sid', search: [] })];
  expect(domainSpecProblems(notServedToo)).toContain('sessions: has a domain spec and is listed as not served (domain/resources/index.ts)');
});

it('a spec can name a title of several fields, which reads as those fields joined', () => {
  const spec = defineResource(s.contacts, { group: 'Customers', title: { fields: ['first_name', 'last_name'] }, search: ['email'] });
  expect(domainSpecProblems(withSpec(s.contacts, () => spec))).toEqual([]);
  const r = describe(spec);
  expect(titleText(r, { id: 7, first_name: 'Ann', last_name: 'Smith' })).toBe('Ann Smith');
  expect(titleText(r, { id: 7, first_name: 'Ann', last_name: null })).toBe('Ann');
  expect(titleText(r, { id: 7, first_name: null, last_name: null })).toBe('#7');
});
