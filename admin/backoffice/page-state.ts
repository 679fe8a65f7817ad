// The configuration AdminJS inlines in every back-office page (window.REDUX_STATE: each resource with its
// properties, actions, navigation) is 630 kB for our 28 resources, mostly repetition: each resource lists its
// properties five times (the `properties` map, then list, edit, show and filter lists of the same objects, and the
// title property once more), its resource actions twice, and every property and action spells out the same
// defaults (isId: false, custom: {}, ...). The page carries it compacted: lists name their properties (by path)
// and actions (by name), each item drops the fields that hold the default (and its own resource's id, a label or
// path equal to its name), and a few lines of inline script rebuild the very same state before AdminJS reads it.
// Lossless: test/admin/frontend-assets.test.ts expands the page's state and compares it with AdminJS's.

/** What a property (AdminJS's PropertyJSON) and an action (ActionJSON) hold unless they say otherwise. */
const DEFAULTS = {
  property: { isTitle: false, isId: false, custom: {}, isSortable: true, isRequired: false, availableValues: null, isDisabled: false, hideLabel: false, reference: null, subProperties: [], isArray: false, isDraggable: false, isVirtual: false, props: {} },
  action: { actionType: 'record', guard: '', showFilter: false, showResourceActions: true, showInDrawer: false, hideActionHeader: false, containerWidth: 1, layout: null, variant: 'default', parent: null, hasHandler: true, custom: {} },
} as const;
const LISTS = ['listProperties', 'editProperties', 'showProperties', 'filterProperties'] as const;

type Json = Record<string, unknown>;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Without the fields that hold the default, its resource's id, or a label (or path) equal to its name. */
function compactItem(item: Json, defaults: Json, resourceId: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (key in defaults && same(value, defaults[key])) continue;
    if (key === 'resourceId' && value === resourceId) continue;
    if ((key === 'label' || key === 'propertyPath') && value === item.name) continue;
    out[key] = key === 'subProperties' ? (value as Json[]).map((p) => compactItem(p, defaults, resourceId)) : value;
  }
  return out;
}

/** The state with each resource's properties and actions written once, defaults left out. */
export function compactState(state: Json): Json {
  const resources = (state.resources as Json[] | undefined)?.map((resource) => {
    const id = resource.id as string;
    const properties = (resource.properties ?? {}) as Record<string, Json>;
    const actions = (resource.actions ?? []) as Json[];
    // An entry equal to the resource's own (by path, by name) is named; any other is written out.
    const property = (p: Json) => (same(properties[p.propertyPath as string], p) ? (p.propertyPath as string) : compactItem(p, DEFAULTS.property, id));
    const action = (a: Json) => (same(actions.find((own) => own.name === a.name), a) ? (a.name as string) : compactItem(a, DEFAULTS.action, id));
    const out: Json = {
      ...resource,
      properties: Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, compactItem(p, DEFAULTS.property, id)])),
      actions: actions.map((a) => compactItem(a, DEFAULTS.action, id)),
    };
    for (const list of LISTS) if (Array.isArray(resource[list])) out[list] = (resource[list] as Json[]).map(property);
    if (resource.titleProperty) out.titleProperty = property(resource.titleProperty as Json);
    if (Array.isArray(resource.resourceActions)) out.resourceActions = (resource.resourceActions as Json[]).map(action);
    return out;
  });
  return resources ? { ...state, resources } : state;
}

/**
 * The browser's side, as plain ES5 text (it runs as it is, in the page's nonced inline script): rebuilds what
 * compactState left out. Defaults are fresh objects for each item, as AdminJS's own are.
 */
export const EXPAND_STATE = `function (s) {
  var D = ${JSON.stringify(DEFAULTS)}, L = ${JSON.stringify(LISTS)};
  function item(p, d, id) {
    var o = JSON.parse(JSON.stringify(d));
    for (var k in p) o[k] = p[k];
    if (!('resourceId' in p)) o.resourceId = id;
    if (!('label' in p)) o.label = p.name;
    if (d === D.property) {
      if (!('propertyPath' in p)) o.propertyPath = p.name;
      o.subProperties = o.subProperties.map(function (c) { return item(c, d, id); });
    }
    return o;
  }
  (s.resources || []).forEach(function (r) {
    var ps = r.properties || {}, as = r.actions || [];
    for (var k in ps) ps[k] = item(ps[k], D.property, r.id);
    r.actions = as = as.map(function (a) { return item(a, D.action, r.id); });
    var prop = function (p) { return typeof p === 'string' ? ps[p] : item(p, D.property, r.id); };
    var act = function (a) { return typeof a === 'string' ? as.filter(function (o) { return o.name === a; })[0] : item(a, D.action, r.id); };
    L.forEach(function (l) { if (r[l]) r[l] = r[l].map(prop); });
    if (r.titleProperty) r.titleProperty = prop(r.titleProperty);
    if (r.resourceActions) r.resourceActions = r.resourceActions.map(act);
  });
  return s;
}`.replace(/\s*\n\s*/g, ' '); // (one line, as AdminJS writes the state)

const STATE = /window\.REDUX_STATE = (\{.*\});\n/;

/** A layout page with its inline state compacted (the sign-in page's is small: left as it is). */
export function compactPage(html: string): string {
  const found = STATE.exec(html);
  if (!found || !html.includes('"resources":[')) return html;
  const compact = JSON.stringify(compactState(JSON.parse(found[1]!) as Json));
  return html.slice(0, found.index) + `window.REDUX_STATE = (${EXPAND_STATE})(${compact});\n` + html.slice(found.index + found[0].length);
}
