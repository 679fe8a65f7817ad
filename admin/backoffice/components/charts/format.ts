// How the dashboards write numbers, money, rates, durations and dates: Intl, in the viewer's locale (the
// browser's language), money in the tenant's currency. All times are UTC, as the analytics API counts them.
export const locale = typeof navigator === 'undefined' ? 'en' : navigator.language || 'en';

const cache = new Map<string, Intl.NumberFormat>();
const numberFormat = (key: string, options: Intl.NumberFormatOptions) => {
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(locale, options));
  return cache.get(key)!;
};

export const formatCount = (v: number) => numberFormat('count', { maximumFractionDigits: 0 }).format(v);
/** Axis ticks: 1.2K, 35K, 1.4M. */
export const formatCompact = (v: number) => numberFormat('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(v);

const currencyCode = (c: string | undefined) => (c && /^[A-Z]{3}$/.test(c) ? c : 'USD');
export const formatMoney = (v: number, currency?: string) =>
  numberFormat(`money-${currencyCode(currency)}`, { style: 'currency', currency: currencyCode(currency), maximumFractionDigits: 0 }).format(v);
/** Axis ticks of money: $35K. */
export const formatMoneyCompact = (v: number, currency?: string) =>
  numberFormat(`money-compact-${currencyCode(currency)}`, { style: 'currency', currency: currencyCode(currency), notation: 'compact', maximumFractionDigits: 1 }).format(v);

/** A rate (0..1) as a percentage: 14.7 %. */
export const formatRate = (v: number) => numberFormat('rate', { style: 'percent', maximumFractionDigits: 1 }).format(v);

export function formatSeconds(v: number): string {
  if (v < 60) return `${formatCount(Math.round(v))} s`;
  const m = Math.floor(v / 60);
  const s = Math.round(v % 60);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export type Unit = 'count' | 'money' | 'rate' | 'seconds';
export function formatValue(v: number | null | undefined, unit: Unit, currency?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === 'money') return formatMoney(v, currency);
  if (unit === 'rate') return formatRate(v);
  if (unit === 'seconds') return formatSeconds(v);
  return formatCount(v);
}

/** Change in % with its sign: +12.5 %, −3 %. */
export const formatChange = (v: number) => `${v > 0 ? '+' : ''}${numberFormat('change', { maximumFractionDigits: 1 }).format(v)} %`;

const dateFormats = {
  day: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  hour: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', timeZone: 'UTC' }),
  month: new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }),
  full: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
};
export type Interval = 'hour' | 'day' | 'week' | 'month';

/** A bucket start (ISO) as an axis tick: "Sep 3", "Sep 3, 14", "Sep 2026"; weeks by their Monday. */
export function formatBucket(iso: string, interval: Interval): string {
  const d = new Date(iso);
  if (interval === 'hour') return dateFormats.hour.format(d);
  if (interval === 'month') return dateFormats.month.format(d);
  return dateFormats.day.format(d);
}

export const formatDay = (d: Date) => dateFormats.full.format(d);

/** [from, to) as the days it covers: "3 Sep – 2 Oct 2026" (to is exclusive, so the last day is the one before). */
export function formatRange(from: Date, to: Date): string {
  const last = new Date(to.getTime() - 1);
  const f = dateFormats.full as Intl.DateTimeFormat & { formatRange?: (a: Date, b: Date) => string };
  return f.formatRange ? f.formatRange(from, last) : `${f.format(from)} – ${f.format(last)}`;
}
