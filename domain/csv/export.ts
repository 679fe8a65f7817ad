// A list as CSV: the same filters, search and sort as the list, every matching row, read page by page through
// the scoped data layer (keyset pages, so a deep page costs what the first does). Only for a user who may
// export the resource and read it; only the fields they may read (never a password). Beside each reference
// column, its target's title as the reader may read it ("Restricted" otherwise), which an import ignores.
import { SECRET_FIELDS } from '../ability';
import { invalid } from '../errors';
import { MAX_PER_PAGE, type Actor, type ListQuery, type ScopedData } from '../scoped-data';
import { referenceColumns, referenceTitles, titleOrRestricted } from '../reference-titles';
import { titleColumn } from './columns';
import { cellText, csvLine } from './format';

export type ExportQuery = Pick<ListQuery, 'filters' | 'q' | 'sortBy' | 'direction'>;

/** The columns of the file: the ones asked for, or every field the actor may read, in table order. */
export function exportColumns(data: ScopedData, actor: Actor, name: string, wanted?: string[]): string[] {
  data.resource(actor, 'export', name);
  const r = data.resource(actor, 'read', name);
  const readable = new Set(data.readableFields(actor, r));
  for (const f of SECRET_FIELDS[name] ?? []) readable.delete(f);
  const all = [...r.columns.keys()].filter((f) => readable.has(f) || f === 'id');
  if (!wanted?.length) return all;
  const unknown = wanted.filter((f) => !all.includes(f));
  if (unknown.length) {
    throw invalid(`Cannot export ${unknown.join(', ')} of ${name}: no such field, or one you may not read. Fields: ${all.join(', ')}`,
      Object.fromEntries(unknown.map((f) => [f, 'unknown or hidden field'])));
  }
  return [...new Set(wanted)];
}

/**
 * The CSV text, a page at a time: the header and the first page come with the first chunk, so that a refusal
 * or a bad query fails before anything is sent.
 */
export async function* exportCsv(data: ScopedData, actor: Actor, name: string, query: ExportQuery, wanted?: string[]): AsyncGenerator<string> {
  const columns = exportColumns(data, actor, name, wanted);
  const r = data.resource(actor, 'read', name);
  const types = columns.map((f) => r.columns.get(f));
  let after: string | null = null;
  const refs = new Set(referenceColumns(name));
  let chunk = csvLine(columns.flatMap((f) => (refs.has(f) ? [f, titleColumn(f)] : [f])));
  for (;;) {
    const page = await data.list(actor, name, { ...query, perPage: MAX_PER_PAGE, withTotal: false, after });
    const titles = await referenceTitles(data, actor, name, page.records);
    for (const record of page.records) {
      const cells = columns.flatMap((f, k) => {
        const cell = cellText(record[f], types[k]);
        return refs.has(f) ? [cell, cellText(titleOrRestricted(titles, f, record[f]), undefined)] : [cell];
      });
      chunk += csvLine(cells);
    }
    yield chunk;
    chunk = '';
    if (!page.next) return;
    after = page.next;
  }
}
