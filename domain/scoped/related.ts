// Related records: the rows of one resource that reference a record of another (a company's contacts, a
// deal's activities), derived from the schema's foreign keys. A panel's page is ONE statement: the rows in
// the caller's read scope of the related resource, and only while the caller may read the record itself
// (an EXISTS under its read scope, so a panel never tells about a record out of reach), with the count of
// all matching rows beside each row (a window count).
import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import { invalid } from '../errors';
import type { Reader } from '../read-session';
import { resources, type Resource } from '../resources';
import { col, readableFields, scopeOf, selection } from './fields';
import { MAX_PER_PAGE } from './query';
import { finishRow, titleSelection } from './titles';
import type { Actor, ListResult, Row } from './types';

/** Every resource with a reference to `target`, and the columns that hold it, in schema order. */
export function referrersOf(target: string): { resource: Resource; columns: string[] }[] {
  return [...resources.values()]
    .map((resource) => ({ resource, columns: resource.references.filter((ref) => ref.target === target).map((ref) => ref.column) }))
    .filter((x) => x.columns.length > 0);
}

export interface RelatedQuery {
  page?: number;
  perPage?: number;
  sortBy?: string;
  direction?: 'asc' | 'desc';
}

const TOTAL = '__total';

/** The page of `child` rows that reference `parent` #id (the read runs in the returned function). */
export function relatedPage(actor: Actor, parent: Resource, id: number, child: Resource, query: RelatedQuery): (tx: Reader) => Promise<ListResult> {
  const columns = referrersOf(parent.name).find((x) => x.resource === child)?.columns;
  if (!columns) throw invalid(`${child.name} has no reference to ${parent.name}`);
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.perPage ?? 5)));
  const page = Math.max(1, Math.floor(query.page ?? 1));
  if (query.sortBy !== undefined && (!readableFields(actor, child).includes(query.sortBy) || !child.columns.has(query.sortBy))) {
    throw invalid(`Cannot sort ${child.name} by ${query.sortBy}`, { sortBy: 'unknown or hidden field' });
  }
  const sortBy = query.sortBy ?? (child.columns.has('created_at') ? 'created_at' : 'id');
  const dir = (query.direction ?? (query.sortBy ? 'asc' : 'desc')) === 'asc' ? asc : desc;
  const pointsHere = or(...columns.map((c) => eq(col(child, c), id)));
  // (The parent's columns, inside its own subquery; Drizzle names them by its table.)
  const parentVisible = sql`EXISTS (SELECT 1 FROM ${parent.table} WHERE ${and(scopeOf(actor, 'read', parent), sql`${sql.identifier(parent.name)}.id = ${id}`)})`;
  const where: SQL | undefined = and(scopeOf(actor, 'read', child), pointsHere, parentVisible);
  return async (tx) => {
    const rows = await tx
      .select({ ...selection(actor, child), ...titleSelection(actor, child), [TOTAL]: sql<number>`(count(*) OVER ())::int` })
      .from(child.table)
      .where(where)
      .orderBy(dir(col(child, sortBy)), dir(col(child, 'id')))
      .limit(perPage)
      .offset((page - 1) * perPage);
    const total = rows.length ? Number((rows[0] as Row)[TOTAL]) : page === 1 ? 0 : -1;
    return { records: rows.map(({ [TOTAL]: _t, ...row }) => finishRow(actor, child, row as Row, true)), total };
  };
}
