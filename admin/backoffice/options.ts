// Per-resource AdminJS options, derived from the resource description and the ability. The human choices
// (list columns, group icons, widgets, CRM actions) come from the screen specs (./resources/).
import { flat, NotFoundError, ValidationError, type ActionContext, type ActionRequest, type ActionResponse, type ResourceOptions } from 'adminjs';
import { asSubject, SECRET_FIELDS } from '../../domain/ability';
import { invalid } from '../../domain/errors';
import type { Action } from '../../domain/permissions';
import type { Resource } from '../../domain/resources';
import { TITLE, type ScopedData } from '../../domain/scoped-data';
import { actorOfAdmin } from './actors';
import { Components } from './components';
import { crmOptions, hideInapplicable } from './crm-actions';
import { GROUP_ICONS, screenOf } from './resources';

const HIDDEN_IN_LIST = new Set(['PgJsonb', 'PgJson', 'PgArray']);

/** A title that is more than one field as it is stored: "First Last", "Pipeline · Stage", "Name (username)". */
const composed = (r: Resource) => r.title.fields.length > 1 || !!r.title.parent || !!r.title.disambiguate;

/**
 * The list's columns: the screen spec's (else the title, then the first few fields), a composed title in
 * one column (`__title`, AdminJS's title property) where its first field stood, its other fields dropped.
 */
export function listOf(r: Resource, given: readonly string[] | undefined): string[] {
  const first = r.title.fields[0]!;
  const list = given
    ? [...given]
    : [first, ...[...r.columns.values()].filter((c) => !['id', 'tenant_id', 'updated_at', 'password', first].includes(c.name) && !HIDDEN_IN_LIST.has(c.columnType)).map((c) => c.name)].slice(0, 7);
  if (!composed(r)) return list;
  const at = list.findIndex((f) => r.title.fields.includes(f));
  const rest = list.filter((f) => !r.title.fields.includes(f));
  rest.splice(at < 0 ? 0 : at, 0, TITLE);
  return rest;
}

type Ctx = { currentAdmin?: unknown; record?: { params: Record<string, unknown> } };

/** isAccessible for an action, record-level where AdminJS gives a record (row buttons, show, edit). */
const allowed = (r: Resource, action: Action) => (ctx: Ctx) => {
  const { ability } = actorOfAdmin(ctx.currentAdmin);
  return ctx.record ? ability.can(action, asSubject(r.name, { ...ctx.record.params }) as never) : ability.can(action, r.name);
};

/** AdminJS echoes the submitted form back; a typed password (any secret) must not travel back in the response. */
const dropSecrets = async (response: ActionResponse) => {
  const params = (response as { record?: { params?: Record<string, unknown> } }).record?.params;
  if (params) for (const f of Object.values(SECRET_FIELDS).flat()) delete params[f];
  return response;
};

/** AdminJS's own "new" handler throws a plain Error (a 500) when called with GET: refuse it clearly instead. */
const postOnly = async (request: ActionRequest) => {
  if (request.method !== 'post') throw invalid('A record is created with POST (the form of the "Create new" page).');
  return request;
};

/**
 * A list field (roles.permissions) arrives from a form as `field.0`, `field.1`...; sent as one value (or an object),
 * AdminJS's own param conversion calls .map on it and throws a TypeError (a 500): a form error instead.
 */
const listsAsLists = (r: Resource) => async (request: ActionRequest) => {
  const lists = [...r.columns.values()].filter((c) => c.columnType === 'PgArray').map((c) => c.name);
  const bad = lists.filter((f) => {
    const value: unknown = flat.get(request.payload ?? {}, f);
    return value !== undefined && value !== null && !Array.isArray(value);
  });
  if (!bad.length) return request;
  const message = `${bad.join(', ')} must be a list (${bad[0]}.0, ${bad[0]}.1, ...)`;
  throw new ValidationError(Object.fromEntries(bad.map((f) => [f, { message: `${f} must be a list` }])), { message });
};

export function resourceOptions(r: Resource, data: ScopedData): ResourceOptions {
  const properties: NonNullable<ResourceOptions['properties']> = {
    tenant_id: { isVisible: false },
    // The title (domain/scoped/titles.ts) names the record everywhere; as a column only where it is composed.
    // As a filter it is the list's search over the spec's search fields ("Yuki Walsh" finds the contact).
    [TITLE]: { isTitle: true, position: -1, isVisible: { list: composed(r), filter: true, show: false, edit: false } },
  };
  for (const c of r.columns.values()) {
    if (HIDDEN_IN_LIST.has(c.columnType)) properties[c.name] = { isVisible: { list: false, filter: false, show: true, edit: true } };
    if (c.columnType === 'PgJsonb') properties[c.name]!.components = { edit: Components.JsonEdit, show: Components.JsonShow };
    // Money: NUMERIC(10,2) shown with two decimals and its currency, typed with cent steps.
    if (c.columnType === 'PgNumeric') {
      properties[c.name] = { components: { list: Components.Money, show: Components.Money }, props: { step: '0.01', min: 0 } };
    }
  }
  // Not a column: the records that reference this one (./related.ts), above the history.
  properties.related = {
    type: 'string',
    position: 9_000,
    isVisible: { list: false, filter: false, edit: false, show: true },
    components: { show: Components.RelatedRecords },
  };
  // Not a column: the record's history from the audit log, at the bottom of its show page.
  properties.history = {
    type: 'string',
    position: 10_000,
    isVisible: { list: false, filter: false, edit: false, show: true },
    components: { show: Components.RecordHistory },
  };
  if (r.columns.has('password')) {
    properties.password = { type: 'password', isVisible: { list: false, filter: false, show: false, edit: true } };
  }
  const screen = screenOf(r.name);
  const crm = crmOptions(r.name, screen);
  Object.assign(properties, crm.properties);
  return {
    id: r.name,
    navigation: { name: r.group, icon: GROUP_ICONS[r.group] },
    titleProperty: TITLE,
    listProperties: listOf(r, screen.list),
    properties,
    sort: { sortBy: r.columns.has('created_at') ? 'created_at' : 'id', direction: 'desc' },
    actions: {
      ...crm.actions,
      // CSV: pages whose buttons call /api/:resource/export.csv and /api/:resource/import (domain/csv).
      exportCsv: {
        actionType: 'resource',
        icon: 'Download',
        component: Components.CsvExport,
        isAccessible: (ctx: Ctx) => allowed(r, 'read')(ctx) && allowed(r, 'export')(ctx),
        handler: async () => ({}),
      },
      importCsv: {
        actionType: 'resource',
        icon: 'Upload',
        component: Components.CsvImport,
        isAccessible: allowed(r, 'import'),
        handler: async () => ({}),
      },
      list: { isAccessible: allowed(r, 'read'), after: hideInapplicable(screen) },
      search: { isAccessible: allowed(r, 'read') },
      show: { isAccessible: allowed(r, 'read'), after: hideInapplicable(screen) },
      new: { isAccessible: allowed(r, 'create'), before: [postOnly, listsAsLists(r)], after: dropSecrets },
      edit: { isAccessible: allowed(r, 'update'), before: listsAsLists(r), after: dropSecrets },
      delete: { isAccessible: allowed(r, 'delete') },
      bulkDelete: {
        isAccessible: allowed(r, 'delete'),
        // All or nothing in one transaction (AdminJS's default deletes one by one).
        handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
          const { records = [], resource, h } = context;
          if (!records.length) throw new NotFoundError('no records were selected.', 'bulkDelete');
          const json = records.map((record) => record.toJSON(context.currentAdmin));
          if (request.method === 'get') return { records: json };
          await data.removeMany(actorOfAdmin(context.currentAdmin), r.name, records.map((record) => record.id()));
          return {
            records: json,
            notice: { message: `Deleted ${records.length} record(s)`, type: 'success' },
            redirectUrl: h.resourceUrl({ resourceId: resource.id() }),
          };
        },
      },
    },
  };
}
