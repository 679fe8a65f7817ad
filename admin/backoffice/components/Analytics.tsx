// The analytics page: a dashboard per role. Directors (view_analytics) get the event charts and the CRM reports;
// a Sales Manager (view_reports, team scope) the CRM reports of their team. On top, the headline figures
// compared with the previous period; then one card per query the user may run, each saying what it counts over
// which range, drawn with Chart.js (charts/), with its rows as CSV where the user may export.
import { Box, Button, H2, H5, Input, Label, MessageBox, Select, Text } from '@adminjs/design-system';
import React, { useEffect, useMemo, useState } from 'react';
import { api } from './api';
import { CARDS, type Card, type CardContext, type Result } from './charts/cards';
import { formatRange, type Interval } from './charts/format';
import { Headlines } from './charts/Headlines';

interface QueryInfo {
  name: string;
  allowed: boolean;
  csv: boolean;
}
interface Me {
  role: { name?: string; permissions: string[] };
}
type State = Result | { error: string } | 'loading';

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const today = () => new Date(Math.floor(Date.now() / DAY) * DAY);
const PRESETS: [string, number][] = [['Last 7 days', 7], ['Last 30 days', 30], ['Last 90 days', 90], ['Last 365 days', 365]];
/** The default range of every role's dashboard: the last 30 days, compared with the 30 before. */
const DEFAULT_DAYS = 30;
const HEADLINES = ['event-headlines', 'headlines'];

/** Bucket size for the range: hours up to 3 days, days up to 4 months, then weeks. */
const intervalFor = (days: number): Interval => (days <= 3 ? 'hour' : days <= 120 ? 'day' : 'week');

function roleView(me: Me | null) {
  const p = me?.role.permissions ?? [];
  if (p.includes('view_analytics')) return { title: 'Director dashboard', scope: p.includes('view_all_data') ? 'all records of your organization' : 'the records you may see' };
  if (p.includes('view_team_data')) return { title: 'Team dashboard', scope: "your team's records: yours and everyone's below you" };
  return { title: 'Analytics', scope: 'your own records' };
}

/**
 * A card's chart, drawn again only when its result or the range changes: not when another card's answer
 * arrives or a filter is being typed (each new Chart.js configuration rebuilds the chart).
 */
const CardBody = React.memo(({ card, result, ctx }: { card: Card; result: Result; ctx: CardContext }) => <>{card.render(result, ctx)}</>);

const Analytics: React.FC = () => {
  const [queries, setQueries] = useState<QueryInfo[] | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState(isoDay(new Date(today().getTime() - (DEFAULT_DAYS - 1) * DAY)));
  const [to, setTo] = useState(isoDay(today()));
  const [workspace, setWorkspace] = useState('');
  const [steps, setSteps] = useState('user.login,page.view,record.created');
  const [stepsInput, setStepsInput] = useState(steps);
  const [workspaces, setWorkspaces] = useState<{ value: string; label: string }[]>([]);
  const [results, setResults] = useState<Record<string, State>>({});

  useEffect(() => {
    api<{ queries: QueryInfo[] }>('/api/analytics').then((r) => setQueries(r.queries)).catch((e: Error) => setError(e.message));
    api<Me>('/auth/me').then(setMe).catch(() => setMe(null));
    api<{ records: { id: number; name: string }[] }>('/api/workspaces?perPage=100')
      .then((r) => setWorkspaces(r.records.map((w) => ({ value: String(w.id), label: w.name }))))
      .catch(() => setWorkspaces([]));
  }, []);

  const ctx: CardContext | null = useMemo(() => {
    const range = { from: new Date(`${from}T00:00:00Z`), to: new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY) };
    if (!(range.from < range.to)) return null;
    const p = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString() });
    if (workspace) p.set('workspace', workspace);
    return { range, interval: intervalFor((range.to.getTime() - range.from.getTime()) / DAY), workspace, funnelSteps: steps, params: p.toString() };
  }, [from, to, workspace, steps]);

  const paramsOf = (name: string) => (ctx ? (CARDS[name]?.params?.(ctx) ?? ctx.params) : '');

  useEffect(() => {
    if (!queries || !ctx) return;
    for (const q of queries.filter((x) => x.allowed)) {
      const url = `/api/analytics/${q.name}?${paramsOf(q.name)}`;
      setResults((r) => ({ ...r, [q.name]: 'loading' }));
      api<Result>(url)
        .then((res) => setResults((r) => ({ ...r, [q.name]: res })))
        .catch((err: Error) => setResults((r) => ({ ...r, [q.name]: { error: err.message } })));
    }
  }, [queries, ctx]);

  const allowed = queries?.filter((q) => q.allowed) ?? [];
  const view = roleView(me);
  const preset = (days: number) => {
    setTo(isoDay(today()));
    setFrom(isoDay(new Date(today().getTime() - (days - 1) * DAY)));
  };
  const headlines = allowed.filter((q) => HEADLINES.includes(q.name));
  return (
    <Box variant="grey" style={{ padding: 'min(32px, 3vw)' }}>
      <Box variant="white" mb="lg" style={{ padding: 'min(32px, 4vw)' }}>
        <H2>{view.title}</H2>
        <Text mb="lg" data-testid="dashboard-scope">{`Figures cover ${view.scope}${ctx ? `, ${formatRange(ctx.range.from, ctx.range.to)}` : ''}. Times are UTC.`}</Text>
        {error && <MessageBox message={error} variant="danger" />}
        {queries && allowed.length === 0 && <MessageBox message="Your role has no analytics or report permission." variant="info" />}
        <Box flex flexDirection="row" style={{ gap: 12, alignItems: 'flex-end', flexWrap: 'wrap' }}>
          <Box flex style={{ gap: 6, flexWrap: 'wrap' }}>
            {PRESETS.map(([label, days]) => (
              <Button key={days} size="sm" variant="outlined" type="button" data-testid={`range-${days}`} onClick={() => preset(days)}>{label}</Button>
            ))}
          </Box>
          <Box>
            <Label htmlFor="from">From</Label>
            <Input id="from" type="date" value={from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFrom(e.target.value)} />
          </Box>
          <Box>
            <Label htmlFor="to">To (inclusive)</Label>
            <Input id="to" type="date" value={to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
          </Box>
          <Box style={{ width: 'min(260px, 100%)' }}>
            <Label>Workspace</Label>
            <Select isClearable placeholder="All workspaces" value={workspaces.find((w) => w.value === workspace) ?? null} options={workspaces} onChange={(o: { value: string } | null) => setWorkspace(o?.value ?? '')} />
          </Box>
          {allowed.some((q) => q.name === 'funnel') && (
            <Box style={{ width: 'min(360px, 100%)' }}>
              <Label htmlFor="steps">Funnel steps (event names, in order)</Label>
              <Input id="steps" value={stepsInput} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setStepsInput(e.target.value)} onBlur={() => setSteps(stepsInput)} onKeyDown={(e: React.KeyboardEvent) => e.key === 'Enter' && setSteps(stepsInput)} />
            </Box>
          )}
        </Box>
        {!ctx && <MessageBox mt="default" message="From must be on or before To." variant="danger" />}
        {headlines.map((q) => {
          const r = results[q.name];
          return (
            <Box key={q.name} mt="lg">
              {r === undefined || r === 'loading' ? <Text data-testid="chart-loading">Loading…</Text> : 'error' in r ? <MessageBox message={r.error} variant="danger" /> : (
                <Headlines rows={r.rows} summary={r.summary ?? {}} testId={`dashboard-${q.name}`} />
              )}
            </Box>
          );
        })}
      </Box>
      <Box style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 480px), 1fr))', gap: 16 }}>
        {ctx && allowed.filter((q) => !HEADLINES.includes(q.name)).map((q) => {
          const card = CARDS[q.name];
          const result = results[q.name];
          return (
            <Box key={q.name} variant="white" style={{ minWidth: 0, padding: 'min(24px, 4vw)' }} data-testid={`dashboard-${q.name}`}>
              <Box flex justifyContent="space-between" alignItems="center" style={{ gap: 8 }}>
                <H5 mb="sm">{card?.title ?? q.name}</H5>
                {q.csv && <Button as="a" size="sm" variant="outlined" href={`/api/analytics/${q.name}.csv?${paramsOf(q.name)}`} download={`${q.name}.csv`}>CSV</Button>}
              </Box>
              <Text variant="sm" mb="default" data-testid="chart-caption" style={{ color: '#5c5f72' }}>{card?.caption(ctx)}</Text>
              {result === undefined || result === 'loading' ? <Text data-testid="chart-loading">Loading…</Text>
                : 'error' in result ? <MessageBox message={result.error} variant="danger" />
                : !result.rows.length ? <Text data-testid="chart-empty">No data for this range.</Text>
                : card ? <CardBody card={card} result={result} ctx={ctx} /> : <Text>{`${result.rows.length} rows`}</Text>}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
};

export default Analytics;
