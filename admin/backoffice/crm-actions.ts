// The CRM's own actions on top of the generated CRUD: lead conversion and assignment, completing an
// activity, a product's price today, the duplicate-email warning, an assistant's embed code. Each form posts
// to the JSON API (/api/crm, /api/assistants), so the work runs through the scoped data layer in one
// transaction; these options only place the buttons.
import { asSubject } from '../../domain/ability';
import type { Action as Permission } from '../../domain/permissions';
import { actorOfAdmin } from './actors';
import { Components } from './components';

type Ctx = { currentAdmin?: unknown; record?: { params: Record<string, unknown> } };
type Options = { actions?: Record<string, unknown>; properties?: Record<string, unknown> };

const canOnRecord = (resource: string, action: Permission, extra: (p: Record<string, unknown>) => boolean = () => true) => (ctx: Ctx) =>
  !!ctx.record && extra(ctx.record.params) && actorOfAdmin(ctx.currentAdmin).ability.can(action, asSubject(resource, { ...ctx.record.params }) as never);

/** A record action whose page is a component; its handler only hands the record to the component. */
const recordAction = (component: string, icon: string, isAccessible: (ctx: Ctx) => boolean) => ({
  actionType: 'record',
  component,
  icon,
  isAccessible,
  handler: async (_request: unknown, _response: unknown, context: { record?: { toJSON(admin: unknown): unknown }; currentAdmin?: unknown }) => ({
    record: context.record?.toJSON(context.currentAdmin),
  }),
});

export function crmOptions(resource: string): Options {
  switch (resource) {
    case 'leads':
      return {
        actions: {
          convert: recordAction(Components.ConvertLead, 'UserCheck', canOnRecord('leads', 'update', (p) => p.status !== 'converted')),
          assign: recordAction(Components.AssignLead, 'UserPlus', canOnRecord('leads', 'update')),
        },
        properties: { email: { components: { edit: Components.DuplicateEmail } } },
      };
    case 'contacts':
      return { properties: { email: { components: { edit: Components.DuplicateEmail } } } };
    case 'activities':
      return {
        actions: {
          complete: recordAction(Components.CompleteActivity, 'CheckCircle', canOnRecord('activities', 'update', (p) => p.status !== 'completed')),
        },
      };
    case 'assistants':
      return { actions: { embed: recordAction(Components.AssistantEmbed, 'Code', canOnRecord('assistants', 'update')) } };
    case 'products':
      return {
        properties: {
          effective_price: {
            type: 'string',
            position: 4.5,
            isVisible: { list: false, filter: false, edit: false, show: true },
            components: { show: Components.EffectivePrice },
          },
        },
      };
    default:
      return {};
  }
}
