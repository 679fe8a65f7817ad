// The CRM's own actions on top of the generated CRUD, as the screen specs declare them (./resources/):
// lead conversion and assignment, completing an activity, an assistant's embed code, plus the widgets (the
// duplicate-email warning) and computed panels (a product's price today). Each form posts to the JSON API
// (/api/crm, /api/assistants), so the work runs through the scoped data layer in one transaction; these
// options only place the buttons.
import { asSubject } from '../../domain/ability';
import type { Action as Permission } from '../../domain/permissions';
import { actorOfAdmin } from './actors';
import type { RecordAction, ScreenSpec } from './resources/spec';

type Ctx = { currentAdmin?: unknown; record?: { params: Record<string, unknown> } };
type Options = { actions?: Record<string, unknown>; properties?: Record<string, unknown> };

const canOnRecord = (resource: string, action: Permission, extra: (p: Record<string, unknown>) => boolean = () => true) => (ctx: Ctx) =>
  !!ctx.record && extra(ctx.record.params) && actorOfAdmin(ctx.currentAdmin).ability.can(action, asSubject(resource, { ...ctx.record.params }) as never);

/**
 * A record action whose page is a component; its handler only hands the record to the component. Its button shows
 * while the action applies (`when`); its page stays reachable for anyone allowed, and says why there is nothing to
 * do (`not_applicable`) rather than "Page not found" when it no longer applies (a second tab, a stale link).
 */
const recordAction = (resource: string, { component, icon, needs, when, whyNot }: RecordAction) => ({
  actionType: 'record',
  component,
  icon,
  isAccessible: canOnRecord(resource, needs),
  // (Visible to AdminJS whenever allowed, else its page answers "Page not found"; the button itself is dropped
  // from the show page and list rows while the action does not apply: hideInapplicable.)
  isVisible: canOnRecord(resource, needs),
  handler: async (_request: unknown, _response: unknown, context: { record?: { toJSON(admin: unknown): unknown; params: Record<string, unknown> }; currentAdmin?: unknown }) => {
    const record = context.record?.toJSON(context.currentAdmin) as { params: Record<string, unknown> } | undefined;
    if (record && when && !when(context.record!.params)) record.params = { ...record.params, not_applicable: whyNot ?? 'This action no longer applies to this record.' };
    return { record };
  },
});

type RecordJson = { params: Record<string, unknown>; recordActions?: { name: string }[] };

/** An after hook of show and list: drops the buttons of actions that do not apply to the record (`when`). */
export const hideInapplicable = (screen: ScreenSpec) => async <R extends object>(response: R): Promise<R> => {
  const found = response as { record?: RecordJson; records?: RecordJson[] };
  const actions = Object.entries(screen.actions ?? {}).filter(([, a]) => a.when);
  if (!actions.length) return response;
  for (const record of [...(found.record ? [found.record] : []), ...(found.records ?? [])]) {
    record.recordActions = record.recordActions?.filter((a) => !actions.some(([name, spec]) => name === a.name && !spec.when!(record.params)));
  }
  return response;
};

export function crmOptions(resource: string, screen: ScreenSpec): Options {
  const actions = Object.entries(screen.actions ?? {}).map(([name, action]) => [name, recordAction(resource, action)]);
  const widgets = Object.entries(screen.widgets ?? {}).map(([field, components]) => [field, { components }]);
  const options: Options = {};
  if (actions.length) options.actions = Object.fromEntries(actions);
  if (widgets.length || screen.extras) options.properties = { ...Object.fromEntries(widgets), ...screen.extras };
  return options;
}
