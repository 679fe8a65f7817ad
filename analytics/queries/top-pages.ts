// Top pages: page views per path (the URL's path, without query string or fragment; the `path` property when
// the event has no URL), with unique users. `event` selects which event counts as a view (default page.view).
import type { ClickHouseClient } from '../clickhouse';
import type { AnalyticsScope } from '../scope';
import { str, uint } from '../sql';
import { n, rows, where, type EventFilter, type QueryResult } from './common';
import { propertySql } from './trends';

export interface TopPagesParams extends EventFilter {
  limit: number;
  event: string;
}

/** The page of an event: path of an absolute URL, a relative URL cut at ? and #, else the `path` property. */
export const PAGE_SQL = `if(url = '', ${propertySql('path')},
  if(match(url, '^[a-zA-Z][a-zA-Z0-9+.-]*://'), path(url), cutQueryStringAndFragment(url)))`;

export async function topPages(client: ClickHouseClient, scope: AnalyticsScope, p: TopPagesParams): Promise<QueryResult> {
  const found = await rows<{ page: string; c: string; u: string }>(
    client,
    `SELECT ${PAGE_SQL} AS page, count() AS c, uniqIf(distinct_id, distinct_id != '') AS u
     FROM events WHERE ${where(scope, p)} AND event = ${str(p.event)}
     GROUP BY page HAVING page != '' ORDER BY c DESC, page LIMIT ${uint(p.limit)}`,
  );
  return { rows: found.map((r) => ({ page: r.page, views: n(r.c), users: n(r.u) })), source: 'raw' };
}
