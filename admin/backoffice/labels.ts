// Human labels for every resource and field, derived from the column names: "sales_pipelines" ->
// "Sales Pipelines", "assigned_to_id" -> "Assigned to" (a reference reads as the thing it points at).
import { resources } from '../../domain/resources';
import { screenOf } from './resources';

const words = (name: string) => name.replace(/_id$/, '').replace(/_/g, ' ');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A field's label as derived from its name; the id reads "ID". */
export const derivedLabel = (field: string) => (field === 'id' ? 'ID' : capital(words(field)));
/** A resource's label: "sales_pipelines" -> "Sales Pipelines". */
export const resourceLabel = (name: string) => name.split('_').map(capital).join(' ');
/** A field's label: the screen spec's where it names one (./resources/), else derived. */
export const labelOf = (r: string, field: string) => screenOf(r).labels?.[field] ?? derivedLabel(field);

export function labels() {
  const out: Record<string, { properties: Record<string, string> }> = {};
  const names: Record<string, string> = {};
  for (const r of resources.values()) {
    names[r.name] = resourceLabel(r.name);
    const properties: Record<string, string> = { history: 'History', effective_price: 'Price today', __title: 'Name', related: 'Related records' };
    for (const field of r.columns.keys()) properties[field] = labelOf(r.name, field);
    out[r.name] = { properties };
  }
  return {
    labels: { ...names, Analytics: 'Analytics', 'Roles and permissions': 'Roles and permissions', 'Deal board': 'Deal board' },
    actions: { convert: 'Convert', assign: 'Assign', complete: 'Mark complete', exportCsv: 'Export CSV', importCsv: 'Import CSV', embed: 'Embed code' },
    resources: out,
  };
}
