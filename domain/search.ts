// The global search: one phrase across every resource the actor may read, a few titled hits per resource.
// Each resource's hits are its scoped list with the free-text `q` (domain/scoped/query.ts), so a hit is a
// record the actor could open from that list, and nothing else: the same scope, tenant and field security.
import { invalid } from './errors';
import { resources } from './resources';
import { isSearchIndexed } from '../schema/search-indexes';
import { RESTRICTED, TITLE, type Actor, type ScopedData } from './scoped-data';

/** Longer than any title; a pasted paragraph is no search. */
export const MAX_SEARCH_LENGTH = 100;
/** Hits shown per resource; one more is read to tell "there are more". */
export const HITS_PER_RESOURCE = 5;

export interface SearchHit {
  id: unknown;
  title: string;
}

export interface SearchGroup {
  resource: string;
  hits: SearchHit[];
  /** More records of this resource match than the hits shown. */
  more: boolean;
}

/** The phrase searched, trimmed; 400 when empty or too long. */
export function searchPhrase(raw: unknown): string {
  const q = typeof raw === 'string' ? raw.trim() : '';
  if (!q) throw invalid('Type something to search for', { q: 'empty' });
  if (q.length > MAX_SEARCH_LENGTH) throw invalid(`A search is at most ${MAX_SEARCH_LENGTH} characters`, { q: 'too long' });
  return q;
}

/**
 * The resources that match `q`, in menu order, each with its first hits (newest first). Resources the actor
 * may not read are not asked; those without search fields have nothing a phrase could match. Nor are those
 * whose search is not indexed (the events log: 10M rows at scale, kept without a trigram index for ingest's
 * sake): a phrase few events hold was a scan of 10 s there, and the search box answers as one types. Events
 * are searched from their own list.
 */
export async function searchAll(data: ScopedData, actor: Actor, q: string): Promise<SearchGroup[]> {
  const names = [...resources.values()].filter((r) => r.searchFields.length > 0 && isSearchIndexed(r.table) && actor.ability.can('read', r.name)).map((r) => r.name);
  // In parallel: on a request's read session they share its one connection, elsewhere each reads on its own.
  const pages = await Promise.all(
    names.map((name) => data.list(actor, name, { q, perPage: HITS_PER_RESOURCE + 1, withTotal: false, titles: true })),
  );
  return names
    .map((resource, i) => {
      // (A record whose title the actor may not read is no hit it could tell from another.)
      const titled = pages[i]!.records.filter((row) => row[TITLE] !== RESTRICTED);
      const hits = titled.slice(0, HITS_PER_RESOURCE).map((row) => ({ id: row.id, title: String(row[TITLE]) }));
      return { resource, hits, more: pages[i]!.records.length > HITS_PER_RESOURCE };
    })
    .filter((g) => g.hits.length > 0);
}
