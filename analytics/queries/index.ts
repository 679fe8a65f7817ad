// The dashboard queries the JSON API serves, by name: which CASL subject gates each, how its parameters are
// read from the query string, and where it runs (ClickHouse for events, PostgreSQL for CRM state).
//   event analytics (view_analytics: subject 'analytics'): event-headlines, trends, top-events, top-pages, sessions, funnel, retention
//   CRM reports (view_reports: subject 'reports'):         headlines, pipeline, lead-conversion, activities
import type { Actor, ScopedData } from '../../domain/scoped-data';
import { DomainError } from '../../domain/errors';
import type { ClickHouseClient } from '../clickhouse';
import { INTERVALS, parseEnum, parseInt, parseList, parseRange, parseText, parseTime, parseWorkspace, type TimeRange } from '../params';
import { analyticsScope } from '../scope';
import { activitiesReport } from './activities';
import type { QueryResult } from './common';
import { funnel } from './funnel';
import { leadConversion } from './lead-conversion';
import { pipelinePerformance } from './pipeline';
import { eventHeadlines } from './event-headlines';
import { crmHeadlines } from './headlines';
import { cohortUsers, retention } from './retention';
import { sessions } from './sessions';
import { topEvents } from './top-events';
import { topPages } from './top-pages';
import { trends } from './trends';

type Query = Record<string, unknown>;

export interface QueryContext {
  data: ScopedData;
  actor: Actor;
  clickhouse: ClickHouseClient | null;
  clickhouseHint?: string;
}

/** ClickHouse is not configured or not reachable: answered 503 (the CRM reports still work). */
export class AnalyticsUnavailable extends Error {}

export interface QueryDefinition {
  /** The CASL subject of `read` (and `export` for CSV). */
  gate: 'analytics' | 'reports';
  run(ctx: QueryContext, q: Query): Promise<QueryResult>;
}

function events(ctx: QueryContext) {
  const scope = analyticsScope(ctx.actor, 'analytics');
  if (!ctx.clickhouse) {
    throw new AnalyticsUnavailable(`Event analytics need ClickHouse, which is not available here: ${ctx.clickhouseHint ?? 'not configured'}`);
  }
  return { client: ctx.clickhouse, scope };
}

function reports(ctx: QueryContext) {
  analyticsScope(ctx.actor, 'reports');
}

/** from/to only when given (CRM reports default to the current state). */
function optionalRange(q: Query): TimeRange | undefined {
  return parseTime(q, 'from') || parseTime(q, 'to') ? parseRange(q, 30, 3660) : undefined;
}

export const QUERIES: Record<string, QueryDefinition> = {
  'event-headlines': {
    gate: 'analytics',
    run: (ctx, q) => {
      const { client, scope } = events(ctx);
      return eventHeadlines(client, scope, { range: parseRange(q, 30), workspace: parseWorkspace(q) });
    },
  },
  trends: {
    gate: 'analytics',
    run: (ctx, q) => {
      const { client, scope } = events(ctx);
      return trends(client, scope, {
        range: parseRange(q),
        workspace: parseWorkspace(q),
        interval: parseEnum(q, 'interval', INTERVALS, 'day'),
        events: parseList(q, 'events', 20),
        breakdown: parseText(q, 'breakdown'),
        limit: parseInt(q, 'limit', 1, 50, 10),
      });
    },
  },
  'top-events': {
    gate: 'analytics',
    run: (ctx, q) => {
      const { client, scope } = events(ctx);
      return topEvents(client, scope, { range: parseRange(q), workspace: parseWorkspace(q), limit: parseInt(q, 'limit', 1, 100, 20) });
    },
  },
  'top-pages': {
    gate: 'analytics',
    run: (ctx, q) => {
      const { client, scope } = events(ctx);
      return topPages(client, scope, {
        range: parseRange(q),
        workspace: parseWorkspace(q),
        limit: parseInt(q, 'limit', 1, 100, 20),
        event: parseText(q, 'event') ?? 'page.view',
      });
    },
  },
  sessions: {
    gate: 'analytics',
    run: (ctx, q) => {
      const { client, scope } = events(ctx);
      return sessions(client, scope, { range: parseRange(q), workspace: parseWorkspace(q), interval: parseEnum(q, 'interval', INTERVALS, 'day') });
    },
  },
  funnel: {
    gate: 'analytics',
    run: (ctx, q) => {
      const { client, scope } = events(ctx);
      const steps = parseList(q, 'steps', 10);
      if (!steps || steps.length < 2) throw new DomainError('invalid', 'steps: 2 to 10 comma-separated event names, in order', { steps: 'at least 2 events' });
      return funnel(client, scope, {
        range: parseRange(q),
        workspace: parseWorkspace(q),
        steps,
        window: parseInt(q, 'window', 1, 90 * 86_400, 86_400),
      });
    },
  },
  retention: {
    gate: 'analytics',
    run: (ctx, q) => {
      const { client, scope } = events(ctx);
      const p = {
        range: parseRange(q, 56),
        workspace: parseWorkspace(q),
        interval: parseEnum(q, 'interval', ['day', 'week', 'month'] as const, 'week'),
        periods: parseInt(q, 'periods', 1, 24, 8),
        startEvent: parseText(q, 'start_event'),
        returnEvent: parseText(q, 'return_event'),
        layout: parseEnum(q, 'layout', ['long', 'table'] as const, 'long'),
      };
      // cohort=<its first day>: that cohort's users instead of the rates.
      const cohort = parseTime(q, 'cohort');
      return cohort ? cohortUsers(client, scope, p, cohort) : retention(client, scope, p);
    },
  },
  headlines: {
    gate: 'reports',
    run: (ctx, q) => {
      reports(ctx);
      return crmHeadlines(ctx.data, ctx.actor, { range: parseRange(q, 30, 3660), workspace: parseWorkspace(q) });
    },
  },
  pipeline: {
    gate: 'reports',
    run: (ctx, q) => {
      reports(ctx);
      return pipelinePerformance(ctx.data, ctx.actor, { range: optionalRange(q), workspace: parseWorkspace(q) });
    },
  },
  'lead-conversion': {
    gate: 'reports',
    run: (ctx, q) => {
      reports(ctx);
      return leadConversion(ctx.data, ctx.actor, { range: parseRange(q, 90, 3660), workspace: parseWorkspace(q) });
    },
  },
  activities: {
    gate: 'reports',
    run: (ctx, q) => {
      reports(ctx);
      return activitiesReport(ctx.data, ctx.actor, {
        range: parseRange(q, 30, 3660),
        workspace: parseWorkspace(q),
        by: parseEnum(q, 'by', ['user', 'team'] as const, 'user'),
      });
    },
  },
};
