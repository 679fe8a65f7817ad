// The related panels of a record page: which resources reference this one (the schema's foreign keys,
// domain/scoped/related.ts), in the order the screen spec's `related` gives (absent: every referrer), and
// what each panel shows. The rows come from ScopedData.related: one statement per panel, in scope.
import { resourceOf } from '../../domain/resources';
import { referrersOf } from '../../domain/scoped-data';
import { labelOf, resourceLabel } from './labels';
import { listOf } from './options';
import { screenOf } from './resources';

export interface Panel {
  resource: string;
  label: string;
  /** The reference column an "add" prefills with this record's id. */
  reference: string;
  /** Columns besides the title (references left out: a panel row links to its record). */
  columns: { field: string; label: string; type: string }[];
}

/** The panels of a record page of `name`. */
export function panelsOf(name: string): Panel[] {
  const referrers = referrersOf(name);
  const chosen = screenOf(name).related;
  const ordered = chosen ? chosen.map((n) => referrers.find((x) => x.resource.name === n)!).filter(Boolean) : referrers;
  return ordered.map(({ resource, columns }) => {
    const refs = new Set(resource.references.map((ref) => ref.column));
    const fields = listOf(resource, screenOf(resource.name).list).filter((f) => resource.columns.has(f) && !refs.has(f) && !resource.title.fields.includes(f));
    return {
      resource: resource.name,
      label: resourceLabel(resource.name),
      reference: columns[0]!,
      columns: fields.slice(0, 4).map((field) => ({ field, label: labelOf(resource.name, field), type: resourceOf(resource.name)!.columns.get(field)!.columnType })),
    };
  });
}
