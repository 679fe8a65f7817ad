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

/** A record action whose page is a component; its handler only hands the record to the component. */
const recordAction = (resource: string, { component, icon, needs, when }: RecordAction) => ({
  actionType: 'record',
  component,
  icon,
  isAccessible: canOnRecord(resource, needs, when),
  handler: async (_request: unknown, _response: unknown, context: { record?: { toJSON(admin: unknown): unknown }; currentAdmin?: unknown }) => ({
    record: context.record?.toJSON(context.currentAdmin),
  }),
});

export function crmOptions(resource: string, screen: ScreenSpec): Options {
  const actions = Object.entries(screen.actions ?? {}).map(([name, action]) => [name, recordAction(resource, action)]);
  const widgets = Object.entries(screen.widgets ?? {}).map(([field, components]) => [field, { components }]);
  const options: Options = {};
  if (actions.length) options.actions = Object.fromEntries(actions);
  if (widgets.length || screen.extras) options.properties = { ...Object.fromEntries(widgets), ...screen.extras };
  return options;
}
