// References in words: the titles of the records a set of rows points at, read through the scoped layer, for
// record history, the audit log and CSV exports alike. A reference the reader may not follow is RESTRICTED:
// neither the target's id nor any of its data.
import { resourceOf, titleText } from './resources';
import type { Actor, Row, ScopedData } from './scoped-data';
import { RESTRICTED } from './scoped/titles';

/** Reference column -> id -> title, of the referenced records the reader may read, for every id `values` name. */
export async function referenceTitles(data: ScopedData, actor: Actor, resource: string, values: Row[]): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  for (const ref of resourceOf(resource)?.references ?? []) {
    const target = resourceOf(ref.target)!;
    const ids = [...new Set(values.map((v) => v[ref.column]).filter((v) => typeof v === 'number'))] as number[];
    if (!ids.length || !actor.ability.can('read', target.name)) continue;
    const found = await data.findMany(actor, target.name, ids, { fields: ['tenant_id', ...target.title.fields] }).catch(() => [] as Row[]);
    out.set(ref.column, new Map(found.map((row) => [row.id as number, titleText(target, row)])));
  }
  return out;
}

/** The columns of `resource` that reference another record. */
export const referenceColumns = (resource: string): string[] => (resourceOf(resource)?.references ?? []).map((ref) => ref.column);

/** A reference's title: empty for none, RESTRICTED for one the reader may not read. */
export function titleOrRestricted(titles: Map<string, Map<number, string>>, column: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return titles.get(column)?.get(Number(value)) ?? RESTRICTED;
}
