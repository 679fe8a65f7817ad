// The dashboard's cards, one per analytics query: its title, what it counts over which range (the caption),
// the query's parameters, and how its rows are drawn.
import { Text } from '@adminjs/design-system';
import React from 'react';
import { ChartCanvas } from './ChartCanvas';
import { CohortTable } from './CohortTable';
import { bars, stackedStatuses, timeSeries, type Row } from './configs';
import { formatCount, formatMoney, formatRange, formatRate, formatSeconds, type Interval } from './format';
import { activitiesOf, dealsOfStage, eventsOf, leadsCreated, type Range } from './links';

export interface Result {
  rows: Row[];
  summary?: Record<string, unknown>;
}

export interface CardContext {
  range: Range;
  interval: Interval;
  workspace: string;
  funnelSteps: string;
  /** The shared query string: from, to, workspace. */
  params: string;
}

export interface Card {
  title: string;
  caption: (c: CardContext) => string;
  params?: (c: CardContext) => string;
  render: (result: Result, c: CardContext) => React.ReactNode;
}

const PERIOD: Record<Interval, string> = { hour: 'hour', day: 'day', week: 'week (from Monday)', month: 'month' };
const currencyOf = (r: Result) => (typeof r.summary?.currency === 'string' ? r.summary.currency : 'USD');
const rangeText = (c: CardContext) => `${formatRange(c.range.from, c.range.to)} (UTC)`;
const chart = (name: string, title: string) => (config: Parameters<typeof ChartCanvas>[0]['config'], height?: number) => (
  <ChartCanvas config={config} label={title} testId={`chart-${name}`} height={height} />
);
/** As many +N columns as the range has weeks (2 to 12). */
const weeksIn = (r: Range) => Math.min(12, Math.max(2, Math.ceil((r.to.getTime() - r.from.getTime()) / (7 * 86_400_000))));
const barHeight = (n: number) => Math.max(160, 60 + n * 30);

const STATUSES: [string, string][] = [['completed', 'completed'], ['in_progress', 'in progress'], ['planned', 'planned'], ['cancelled', 'cancelled']];
const STEP_NAMES: Record<string, string> = { leads: 'Leads created', converted: 'Converted', contacts: 'Became a contact', deals: 'Contact has a deal' };

export const CARDS: Record<string, Card> = {
  trends: {
    title: 'Events over time',
    caption: (c) => `Events per ${PERIOD[c.interval]}, the 5 most frequent event names, ${rangeText(c)}.`,
    params: (c) => `${c.params}&interval=${c.interval}&limit=5`,
    render: (r, c) => chart('trends', 'Events over time')(timeSeries(r.rows, { value: 'count', series: 'event', interval: c.interval, unit: 'events' })),
  },
  sessions: {
    title: 'Sessions',
    caption: (c) => `Sessions per ${PERIOD[c.interval]} (by their first event), ${rangeText(c)}.`,
    params: (c) => `${c.params}&interval=${c.interval}`,
    render: (r, c) => (
      <>
        {r.summary && (
          <Text variant="sm" mb="sm">
            {`Median length ${r.summary.median_seconds === null ? '—' : formatSeconds(Number(r.summary.median_seconds))} · ` +
              `${r.summary.avg_events === null ? '—' : formatCount(Number(r.summary.avg_events))} events per session on average`}
          </Text>
        )}
        {chart('sessions', 'Sessions')(timeSeries(r.rows, { value: 'sessions', interval: c.interval, unit: 'sessions' }))}
      </>
    ),
  },
  'top-events': {
    title: 'Top events',
    caption: (c) => `Events per name, ${rangeText(c)}. A bar opens the events list (it keeps the last 7 days).`,
    params: (c) => `${c.params}&limit=10`,
    render: (r, c) =>
      chart('top-events', 'Top events')(
        bars(r.rows, { label: (x) => String(x.event), value: 'count', unit: 'count', axisTitle: 'events', details: (x) => [`users: ${formatCount(Number(x.users))}`], open: (x) => eventsOf(String(x.event), c.range) }),
        barHeight(r.rows.length),
      ),
  },
  'top-pages': {
    title: 'Top pages',
    caption: (c) => `Page views (page.view) per path, ${rangeText(c)}. A bar opens the events list (it keeps the last 7 days).`,
    params: (c) => `${c.params}&limit=10`,
    render: (r, c) =>
      chart('top-pages', 'Top pages')(
        bars(r.rows, { label: (x) => String(x.page), value: 'views', unit: 'count', axisTitle: 'page views', details: (x) => [`users: ${formatCount(Number(x.users))}`], open: (x) => eventsOf('page.view', c.range, String(x.page)) }),
        barHeight(r.rows.length),
      ),
  },
  funnel: {
    title: 'Funnel',
    caption: (c) => `Users who did these steps in this order, each within a day of the first, ${rangeText(c)}.`,
    params: (c) => `${c.params}&steps=${encodeURIComponent(c.funnelSteps)}`,
    render: (r) => (
      <>
        {r.summary && <Text variant="sm" mb="sm">{`Converted: ${formatCount(Number(r.summary.converted))} of ${formatCount(Number(r.summary.entered))} (${r.summary.conversion_rate === null ? '—' : formatRate(Number(r.summary.conversion_rate))})`}</Text>}
        {chart('funnel', 'Funnel')(
          bars(r.rows, {
            label: (x) => `${String(x.step)}. ${String(x.event)}`, value: 'users', unit: 'count', axisTitle: 'users', horizontal: false,
            details: (x) => [`of step 1: ${x.conversion_rate === null ? '—' : formatRate(Number(x.conversion_rate))}`, `of the previous step: ${x.step_conversion_rate === null ? '—' : formatRate(Number(x.step_conversion_rate))}`],
          }),
        )}
      </>
    ),
  },
  retention: {
    title: 'Retention cohorts',
    caption: (c) => `Users by the week of their first event in ${rangeText(c)}, and the share of them active again each later week (+0: that week). A cohort opens its users.`,
    params: (c) => `${c.params}&interval=week&periods=${weeksIn(c.range)}&layout=table`,
    render: (r, c) => <CohortTable rows={r.rows} params={`${c.params}&interval=week`} periodName="week" />,
  },
  pipeline: {
    title: 'Pipeline by stage',
    caption: (c) => `Value of the deals created ${rangeText(c)}, by their current stage. A bar or a stage opens those deals.`,
    params: (c) => c.params,
    render: (r, c) => {
      const currency = currencyOf(r);
      const rows = r.rows.filter((x) => x.stage_id !== null);
      const covered = r.summary?.from ? c.range : null;
      return chart('pipeline', 'Pipeline by stage')(
        bars(rows, {
          label: (x) => String(x.stage), group: (x) => String(x.pipeline), value: 'value', unit: 'money', currency, axisTitle: `value (${currency})`,
          details: (x) => [`deals: ${formatCount(Number(x.deals))}`, `weighted by probability: ${formatMoney(Number(x.weighted_value), currency)}`],
          open: (x) => dealsOfStage(Number(x.stage_id), covered, c.workspace),
        }),
        barHeight(rows.length),
      );
    },
  },
  'lead-conversion': {
    title: 'Lead conversion',
    caption: (c) => `Leads created ${rangeText(c)}: converted (status), then a contact with the lead's email, then a deal of that contact.`,
    params: (c) => c.params,
    render: (r, c) => (
      <>
        {r.summary && (
          <Text variant="sm" mb="sm" data-testid="conversion-rate">
            {`Conversion rate ${r.summary.conversion_rate === null ? '—' : formatRate(Number(r.summary.conversion_rate))} (leads converted / leads created) · ` +
              `led to a deal: ${r.summary.deal_rate === null ? '—' : formatRate(Number(r.summary.deal_rate))}, worth ${formatMoney(Number(r.summary.deal_value), currencyOf(r))}`}
          </Text>
        )}
        {chart('lead-conversion', 'Lead conversion')(
          bars(r.rows, {
            label: (x) => STEP_NAMES[String(x.step)] ?? String(x.step), value: 'count', unit: 'count', axisTitle: 'leads',
            details: (x) => [`of the leads created: ${x.rate === null ? '—' : formatRate(Number(x.rate))}`],
            open: (x) => (x.step === 'leads' ? leadsCreated(c.range, undefined, c.workspace) : x.step === 'converted' ? leadsCreated(c.range, 'converted', c.workspace) : null),
          }),
          barHeight(4),
        )}
      </>
    ),
  },
  activities: {
    title: 'Activities per owner',
    caption: (c) => `Activities created ${rangeText(c)} per owner, by status. A bar opens that owner's activities.`,
    params: (c) => c.params,
    render: (r, c) =>
      chart('activities', 'Activities per owner')(
        stackedStatuses(r.rows, STATUSES, (x) => String(x.name ?? x.username ?? 'Unassigned'), (x) => (x.user_id === null ? null : activitiesOf(Number(x.user_id), c.range, c.workspace))),
        barHeight(r.rows.length),
      ),
  },
};
