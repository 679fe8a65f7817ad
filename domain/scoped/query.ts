// The list and count query compiler: filters, free-text search, sort order, keyset cursors and the capped
// count, all as SQL over the resource's Drizzle columns (scope comes from ./fields).
import { and, asc, desc, eq, gte, ilike, inArray, is, isNull, lte, or, SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { invalid } from '../errors';
import type { Reader } from '../read-session';
import type { Resource } from '../resources';
import { validateInput } from '../validation';
import { col, readableFields, scopeOf, selection } from './fields';
import { keepLinked, linkedSelection } from './linked';
import { finishRow, titleColumns, titleSelection } from './titles';
import type { Actor, FilterValue, ListQuery, ListResult, Row } from './types';

export const MAX_PER_PAGE = 500;
/** Counts are exact up to this; a total of COUNT_CAP + 1 means "more than COUNT_CAP" (shown as "10,000+"). */
export const COUNT_CAP = 10_000;

/** A total as a person reads it: exact, or "more than 10,000" (never a guess). */
export const countText = (total: number) =>
  total > COUNT_CAP ? `more than ${COUNT_CAP.toLocaleString('en-US')}` : total.toLocaleString('en-US');

interface SortKey {
  column: PgColumn | null;
  dir: 'asc' | 'desc';
}

/** The sort value of a keyset cursor's row, as text (cast back to the column's type in SQL: exact, even for timestamps). */
const KEY = '__sort_key';
const cursorOf = (value: unknown, id: unknown) => Buffer.from(JSON.stringify([value, id])).toString('base64url');

function parseCursor(cursor: string): { value: string | null; id: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const [value, id] = Array.isArray(parsed) && parsed.length === 2 ? parsed : [undefined, undefined];
  if ((typeof value !== 'string' && value !== null) || !Number.isSafeInteger(id)) throw invalid('The page cursor is not valid');
  return { value, id: id as number };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Scope, filters and search of a list or count. */
export function whereOf(actor: Actor, r: Resource, query: Pick<ListQuery, 'filters' | 'q'>): SQL | undefined {
  return and(scopeOf(actor, 'read', r), filters(actor, r, query.filters ?? {}), search(actor, r, query.q));
}

/**
 * Exact up to COUNT_CAP, so small lists page exactly; beyond it COUNT_CAP + 1, "more than", so a list of a million
 * rows costs no full count. Not the planner's estimate: under the scope's conditions and row-level security it was
 * off by half (1M deals counted as 493,217), and a number shown as a total must be true.
 */
export async function countWhere(tx: Reader, r: Resource, where: SQL | undefined): Promise<number> {
  const capped = tx.select({ one: sql`1` }).from(r.table).where(where).limit(COUNT_CAP + 1).as('capped');
  const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(capped)) as [{ n: number }];
  return n;
}

/** The capped count as an expression: a column of the page's own statement (computed once, an InitPlan). */
function cappedCount(tx: Reader, r: Resource, where: SQL | undefined): SQL<number> {
  const capped = tx.select({ one: sql`1` }).from(r.table).where(where).limit(COUNT_CAP + 1);
  return sql<number>`(SELECT count(*)::int FROM (${capped}) AS capped)`;
}

const TOTAL = '__total';

/** A readable field the actor may aggregate over (a number to sum, any field to group by), else 400. */
function aggregated(actor: Actor, r: Resource, field: string, numeric: boolean): PgColumn {
  const c = r.columns.get(field);
  if (!c || (numeric && !['PgNumeric', 'PgInteger'].includes(c.columnType)) || !readableFields(actor, r).includes(field)) {
    throw invalid(`Cannot ${numeric ? 'sum' : 'group'} ${r.name} by ${field}`, { [field]: `not a readable ${numeric ? 'number ' : ''}field` });
  }
  return col(r, field);
}

export interface Tally {
  /** The group's value of the grouping field, as text (null for rows without one). */
  key: string | null;
  count: number;
  /** The sum of the summed field over the group, when one is asked for. */
  sum?: string;
}

/**
 * Counts (exact: a grouping or a sum reads every matching row anyway) and optionally sums of the matching rows
 * the actor may read, per value of `by` (null: all in one), in one statement: the home page's pipeline by stage
 * was two statements per stage, each scanning.
 */
export async function tallyWhere(tx: Reader, actor: Actor, r: Resource, by: string | null, sumOf: string | undefined, where: SQL | undefined): Promise<Tally[]> {
  const key = by === null ? null : aggregated(actor, r, by, false);
  const summed = sumOf ? aggregated(actor, r, sumOf, true) : undefined;
  const query = tx
    .select({
      key: key ? sql<string | null>`${key}::text` : sql<null>`null`,
      count: sql<number>`count(*)::int`,
      ...(summed ? { sum: sql<string>`coalesce(sum(${summed}), 0)::text` } : {}),
    })
    .from(r.table)
    .where(where);
  return (await (key ? query.groupBy(key) : query)) as Tally[];
}

/**
 * One page of the list (offset or keyset paging), with its total unless the query skips it. The sort is
 * checked at once, before any connection is taken; the returned read runs the queries.
 */
export function listPage(actor: Actor, r: Resource, query: ListQuery): (tx: Reader) => Promise<ListResult> {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.perPage ?? 20)));
  const key = sortKey(actor, r, query.sortBy, query.direction);
  const keyset = query.after !== undefined;
  return async (tx) => {
    const where = whereOf(actor, r, query);
    const natural = query.natural && !query.sortBy && !keyset && r.order.length > 0;
    const sorting: Sorting = natural ? [...r.order.map((f): [PgColumn, 'asc'] => [col(r, f), 'asc']), [col(r, 'id'), 'asc']] : order(r, key);
    const fields: Record<string, PgColumn | SQL> = {
      ...selection(actor, r),
      ...(keyset && key.column ? { [KEY]: sql<string | null>`${key.column}::text` } : {}),
      // The total travels with the page: one round trip, not two (a page past the end asks for it alone).
      ...(query.withTotal === false ? {} : { [TOTAL]: cappedCount(tx, r, where) }),
    };
    const pageOf = (selected: Record<string, PgColumn | SQL | SQL.Aliased>) =>
      tx
        .select(selected)
        .from(r.table)
        .where(keyset && query.after ? and(where, after(r, key, query.after)) : where)
        .orderBy(...sorting.map(([c, dir]) => (dir === 'asc' ? asc(c) : desc(c))))
        .limit(perPage)
        .offset(keyset ? 0 : (page - 1) * perPage);
    // The titles' and the linked records' subqueries, for the page's rows only: in the page's own select,
    // PostgreSQL runs them for every row it passes over on the way to the page, before the OFFSET (10,000 rows
    // for page 1000; a contact's namesake check at offset 2,000 took 670 ms). So the page is a subquery and they
    // are read around it, when the page selects what they name: the sort columns (the order is repeated
    // outside), a title's columns.
    const titles = query.titles ? titleSelection(actor, r) : {};
    const titlesAround = titleColumns(r).every((f) => f in fields);
    const around = { ...(titlesAround ? titles : {}), ...(query.linked ? linkedSelection(actor, r) : {}) };
    const sortedBy = sorting.map(([c, dir]) => [Object.keys(fields).find((f) => fields[f] === c), dir] as const);
    let records: Row[];
    if (Object.keys(around).length && sortedBy.every(([f]) => f)) {
      const inner = titlesAround ? fields : { ...fields, ...titles };
      const rowsOfPage = pageOf(Object.fromEntries(Object.entries(inner).map(([f, v]) => [f, is(v, SQL) ? v.as(f) : v]))).as(r.name);
      const column = (f: string) => (rowsOfPage as unknown as Record<string, PgColumn>)[f]!;
      records = await tx
        .select({ ...Object.fromEntries(Object.keys(inner).map((f) => [f, column(f)])), ...around })
        .from(rowsOfPage)
        .orderBy(...sortedBy.map(([f, dir]) => (dir === 'asc' ? asc(column(f!)) : desc(column(f!)))));
    } else records = await pageOf({ ...fields, ...titles }); // (the linked records then come by findMany)
    const first = records[0] as Row | undefined;
    const total = query.withTotal === false ? -1 : first ? Number(first[TOTAL]) : page === 1 && !keyset ? 0 : await countWhere(tx, r, where);
    const last = records.at(-1) as Row | undefined;
    const next = !keyset ? undefined : records.length < perPage || !last ? null : cursorOf(last[KEY] ?? null, last.id);
    const rows = records.map((row) => {
      const { [KEY]: _key, [TOTAL]: _total, ...rest } = row;
      return finishRow(actor, r, keepLinked(actor, r, rest), query.titles);
    });
    return { records: rows, total, ...(keyset ? { next } : {}) };
  };
}

/** Rows after the cursor's row in the order of `key` (then id); NULLs sort last ascending, first descending. */
function after(r: Resource, key: SortKey, cursor: string): SQL {
  const { value, id } = parseCursor(cursor);
  const idCol = col(r, 'id');
  const op = sql.raw(key.dir === 'asc' ? '>' : '<');
  const c = key.column;
  if (!c) return sql`${idCol} ${op} ${id}`;
  const type = { serial: 'integer', bigserial: 'bigint' }[c.getSQLType()] ?? c.getSQLType();
  const pair = sql`(${c}, ${idCol}) ${op} (${value}::${sql.raw(type)}, ${id})`;
  if (c.notNull) return pair; // (an index on the sort column and id serves this row comparison)
  if (key.dir === 'asc') return value === null ? sql`(${c} is null and ${idCol} > ${id})` : sql`(${pair} or ${c} is null)`;
  return value === null ? sql`((${c} is null and ${idCol} < ${id}) or ${c} is not null)` : pair;
}

function filters(actor: Actor, r: Resource, given: Record<string, FilterValue>): SQL | undefined {
  const readable = new Set(readableFields(actor, r));
  const parts: SQL[] = [];
  for (const [field, value] of Object.entries(given)) {
    if (!readable.has(field)) throw invalid(`Cannot filter ${r.name} by ${field}`, { [field]: 'unknown or hidden field' });
    const c = col(r, field);
    if (value === null) parts.push(isNull(c));
    else if (Array.isArray(value)) parts.push(inArray(c, value.map((v) => valueOf(r, field, v))));
    else if (typeof value === 'object' && 'equals' in value) parts.push(equals(c, r, field, value.equals));
    else if (typeof value === 'object') {
      if (value.from !== undefined && value.from !== '') parts.push(gte(c, valueOf(r, field, value.from)));
      if (value.to !== undefined && value.to !== '') parts.push(lte(c, valueOf(r, field, value.to)));
    } else if (c.columnType === 'PgText' && !(c as { enumValues?: unknown[] }).enumValues) {
      parts.push(ilike(c, `%${escapeLike(String(value))}%`));
    } else parts.push(eq(c, valueOf(r, field, value)));
  }
  return parts.length ? and(...parts) : undefined;
}

/** The whole value: text ignoring case (`lower(x) = lower(v)`, what the lower(email) indexes serve), else equal. */
export function equals(c: PgColumn, r: Resource, field: string, raw: unknown): SQL {
  if (c.columnType === 'PgText' && !(c as { enumValues?: unknown[] }).enumValues) return sql`lower(${c}) = lower(${String(raw)})`;
  return eq(c, valueOf(r, field, raw));
}

function valueOf(r: Resource, field: string, raw: unknown): unknown {
  return validateInput({ ...r, columns: new Map([[field, r.columns.get(field)!]]) }, { [field]: raw }, 'update')[field];
}

/**
 * Whether the actor reads `field` on every record it may list. A field hidden on some records (a read rule
 * without it, or a rule denying it) is never searched: a hit would tell what the field holds.
 */
function readsEverywhere(actor: Actor, r: Resource, field: string): boolean {
  // (possibleRulesFor: rulesFor without a field leaves out the rules that deny fields.)
  const rules = actor.ability.possibleRulesFor('read', r.name);
  return rules.some((rule) => !rule.inverted) && rules.every((rule) => (rule.inverted ? !rule.fields || !rule.matchesField(field) : rule.matchesField(field)));
}

/**
 * Free text (a phrase) in one of the search fields the actor reads, or, word by word, in the title's fields:
 * "Yuki Walsh" finds the contact whose first name is Yuki and last name Walsh (each word in one of the title's
 * fields). Word by word rather than the title's fields joined: each word's test is a column's own ILIKE, which
 * its trigram index answers; a joined expression had no index (concat_ws is not immutable), and every such
 * search scanned the table (100k contacts: 300-600 ms). A number alone also matches the id.
 */
function search(actor: Actor, r: Resource, q?: string): SQL | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  const like = (c: PgColumn, part: string) => ilike(c, `%${escapeLike(part)}%`);
  const cols = r.searchFields.filter((f) => readsEverywhere(actor, r, f)).map((f) => col(r, f)); // (text columns: the spec check proves it)
  const numeric = /^\d+$/.test(text) && Number(text) <= 2_147_483_647 ? [eq(col(r, 'id'), Number(text))] : [];
  const titled = r.title.fields;
  const words = text.split(/\s+/);
  const byWord =
    titled.length > 1 && words.length > 1 && titled.every((f) => readsEverywhere(actor, r, f))
      ? [and(...words.map((w) => or(...titled.map((f) => like(col(r, f), w)))))!]
      : [];
  return or(...numeric, ...cols.map((c) => like(c, text)), ...byWord) ?? sql`false`;
}

/** The list's order: a column (none: id alone), then id, both in one direction. */
function sortKey(actor: Actor, r: Resource, sortBy?: string, direction: 'asc' | 'desc' = 'desc'): SortKey {
  if (sortBy) {
    if (!readableFields(actor, r).includes(sortBy) || !r.columns.has(sortBy)) {
      throw invalid(`Cannot sort ${r.name} by ${sortBy}`, { sortBy: 'unknown or hidden field' });
    }
    return { column: sortBy === 'id' ? null : col(r, sortBy), dir: direction };
  }
  return { column: r.columns.has('created_at') ? col(r, 'created_at') : null, dir: 'desc' };
}

/** A list's order: columns, each with its direction. */
type Sorting = [PgColumn, 'asc' | 'desc'][];

function order(r: Resource, key: SortKey): Sorting {
  const id = col(r, 'id');
  return key.column ? [[key.column, key.dir], [id, key.dir]] : [[id, key.dir]];
}
