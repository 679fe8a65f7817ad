// Chart.js configurations of the dashboards, one builder per query: which rows become labels and datasets,
// the axes' ticks and units (counts, money in the tenant's currency, dates in the viewer's locale), the
// tooltip's text, and which record list a click opens.
import type { ChartConfiguration, ChartEvent, ActiveElement, Chart } from 'chart.js';
import { PALETTE } from './ChartCanvas';
import { formatBucket, formatCompact, formatCount, formatMoney, formatMoneyCompact, formatRate, formatSeconds, type Interval } from './format';

export type Row = Record<string, string | number | null>;

const num = (v: unknown) => (v === null || v === undefined || v === '' ? 0 : Number(v));

/** What a click on a bar or its axis label opens (index: the bar's label index). */
export type OpenIndex = (index: number) => string | null;

function clickThrough(open: OpenIndex | undefined, axis: 'x' | 'y') {
  if (!open) return {};
  const go = (i: number | undefined) => {
    const url = i === undefined ? null : open(i);
    if (url) window.location.assign(url);
  };
  return {
    onClick: (e: ChartEvent, active: ActiveElement[], chart: Chart) => {
      if (active[0]) return go(active[0].index);
      // A click on a label of the category axis opens the same list as its bar.
      const s = chart.scales[axis];
      if (!s || e.x === null || e.y === null) return undefined;
      const inAxis = axis === 'y' ? e.x < chart.chartArea.left && e.y >= s.top && e.y <= s.bottom : e.y > chart.chartArea.bottom;
      if (inAxis) go(Math.round(s.getValueForPixel(axis === 'y' ? e.y : e.x) ?? -1));
      return undefined;
    },
    onHover: (e: ChartEvent, active: ActiveElement[]) => {
      const el = e.native?.target as HTMLElement | undefined;
      if (el) el.style.cursor = active.length ? 'pointer' : 'default';
    },
  };
}

const legend = (display: boolean) => ({ display, position: 'bottom' as const, labels: { boxWidth: 14, padding: 14 } });

/** Lines over time: one dataset per series, x the buckets as dates, y counts. */
export function timeSeries(rows: Row[], opts: { value: string; series?: string; interval: Interval; unit: string; seriesLabel?: (s: string) => string }): ChartConfiguration {
  const buckets = [...new Set(rows.map((r) => String(r.bucket)))].sort();
  const names = [...new Set(rows.map((r) => (opts.series ? String(r[opts.series]) : opts.unit)))];
  const at = new Map(rows.map((r) => [`${String(r.bucket)}|${opts.series ? String(r[opts.series]) : opts.unit}`, num(r[opts.value])]));
  return {
    type: 'line',
    data: {
      labels: buckets.map((b) => formatBucket(b, opts.interval)),
      datasets: names.map((s, i) => ({
        label: opts.seriesLabel ? opts.seriesLabel(s) : s,
        data: buckets.map((b) => at.get(`${b}|${s}`) ?? 0),
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        borderWidth: 2,
        pointRadius: buckets.length > 60 ? 0 : 2,
        pointHitRadius: 8,
        cubicInterpolationMode: 'monotone' as const,
      })),
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0, autoSkipPadding: 16 }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => formatCompact(Number(v)) }, title: { display: true, text: opts.unit } },
      },
      plugins: {
        legend: legend(names.length > 1),
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatCount(Number(c.parsed.y))}` } },
      },
    },
  };
}

export interface BarOptions {
  label: (r: Row) => string;
  value: string;
  unit: 'count' | 'money';
  currency?: string;
  axisTitle: string;
  /** Extra tooltip lines of a row. */
  details?: (r: Row) => string[];
  /** Rows grouped into coloured datasets (pipelines); one colour otherwise. */
  group?: (r: Row) => string;
  open?: (r: Row) => string | null;
  horizontal?: boolean;
}

/** Bars of a ranking or a funnel: one bar per row; horizontal bars keep long names whole. */
export function bars(rows: Row[], o: BarOptions): ChartConfiguration {
  const horizontal = o.horizontal ?? true;
  const groups = o.group ? [...new Set(rows.map(o.group))] : [o.axisTitle];
  const money = (v: number, compact: boolean) => (compact ? formatMoneyCompact(v, o.currency) : formatMoney(v, o.currency));
  const fmt = (v: number, compact = false) => (o.unit === 'money' ? money(v, compact) : compact ? formatCompact(v) : formatCount(v));
  const valueAxis = { beginAtZero: true, ticks: { precision: 0, callback: (v: string | number) => fmt(Number(v), true) }, title: { display: true, text: o.axisTitle } };
  const labelAxis = { ticks: { autoSkip: false }, grid: { display: false } };
  return {
    type: 'bar',
    data: {
      labels: rows.map(o.label),
      datasets: groups.map((g, i) => ({
        label: g,
        data: rows.map((r) => (!o.group || o.group(r) === g ? num(r[o.value]) : null)),
        backgroundColor: PALETTE[i % PALETTE.length],
        skipNull: true,
        maxBarThickness: 28,
        grouped: false,
      })),
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      ...clickThrough(o.open ? (i) => o.open!(rows[i]!) : undefined, horizontal ? 'y' : 'x'),
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: legend(groups.length > 1),
        tooltip: {
          callbacks: {
            // A grouped bar (a pipeline's stage) names its group too: stage names repeat across pipelines.
            title: (items) => (items[0] ? `${String(items[0].label)}${o.group ? ` · ${o.group(rows[items[0].dataIndex]!)}` : ''}` : ''),
            label: (c) => `${o.axisTitle}: ${fmt(Number(horizontal ? c.parsed.x : c.parsed.y))}`,
            afterLabel: (c) => o.details?.(rows[c.dataIndex]!) ?? [],
          },
        },
      },
    },
  };
}

/** Activities per user, stacked by status. */
export function stackedStatuses(rows: Row[], statuses: [string, string][], label: (r: Row) => string, open: (r: Row) => string | null): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: rows.map(label),
      datasets: statuses.map(([key, name], i) => ({ label: name, data: rows.map((r) => num(r[key])), backgroundColor: PALETTE[i % PALETTE.length], maxBarThickness: 28 })),
    },
    options: {
      indexAxis: 'y',
      ...clickThrough((i) => open(rows[i]!), 'y'),
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'activities' } }, y: { stacked: true, grid: { display: false } } },
      plugins: { legend: legend(true), tooltip: { mode: 'index', intersect: false, callbacks: { footer: (items) => `overdue: ${formatCount(num(rows[items[0]!.dataIndex]!.overdue))}` } } },
    },
  };
}

export { formatRate, formatSeconds };
