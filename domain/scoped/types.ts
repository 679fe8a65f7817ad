// The shapes the scoped data layer (domain/scoped-data.ts) takes and returns; re-exported from there.
import type { Db } from '../db';
import type { AppAbility } from '../ability';
import type { Principal } from '../principal';
import type { ReadSession } from '../read-session';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Row = Record<string, unknown>;

export interface Actor {
  principal: Principal;
  ability: AppAbility;
  /** A request's read session (actorForRequest): the actor's reads share its connection. */
  reads?: ReadSession;
}

export type FilterValue =
  | string
  | number
  | boolean
  | null
  | (string | number)[]
  | { from?: unknown; to?: unknown }
  /** The whole value, not a part of it (text ignoring case): `{ equals: 'Ann@X.test' }` matches ann@x.test only. */
  | { equals: string | number | boolean };

export interface ListQuery {
  filters?: Record<string, FilterValue>;
  /** Free text matched against the resource's title-like text columns. */
  q?: string;
  sortBy?: string;
  direction?: 'asc' | 'desc';
  page?: number;
  perPage?: number;
  /** false: skip counting (the caller counts separately); total is then -1. */
  withTotal?: boolean;
  /**
   * Keyset paging, to read a whole list page by page (exports): null for the first page, then the previous
   * page's `next`. Each page starts right after the previous page's last row in the list's order, so rows are
   * neither skipped nor repeated however deep the page; `page` is ignored.
   */
  after?: string | null;
  /** Without sortBy: the resource's natural order (its spec's `order`: a stage after its pipeline and order). */
  natural?: boolean;
  /** Each record also carries its title (`__title`, domain/scoped/titles.ts). */
  titles?: boolean;
  /** The records the rows link to come in the same statement, for findMany after it (domain/scoped/linked.ts). */
  linked?: boolean;
}

export interface ListResult {
  records: Row[];
  /** Exact up to COUNT_CAP; COUNT_CAP + 1 means "more than COUNT_CAP" (countText words it). */
  total: number;
  /** With `after`: the cursor of this page's last row, or null when there is no further page. */
  next?: string | null;
}

/** One row of createMany: what was (or would be) stored, or the input as given and what is wrong with it. */
export interface RowOutcome {
  /** The record as stored (in a dry run: as it would be); for a row with errors, its input as given. */
  values: Row;
  /** Field -> message; `_row` for a refusal of the row as a whole (e.g. outside the actor's scope). */
  errors: Record<string, string>;
}

export interface CreateManyResult {
  /** Whether the rows were written: every row valid and no dry run. */
  written: boolean;
  rows: RowOutcome[];
}
