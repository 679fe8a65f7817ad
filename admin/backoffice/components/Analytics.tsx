// Director dashboards: one chart per analytics query the user may run (line for trends, bars for rankings
// and funnels, a cohort table for retention), a date range and a workspace filter, loading and empty
// states, and the chart's data as CSV where the user may export. Charts are plain SVG: no chart library.
import { Box, Button, H2, H5, Input, Label, MessageBox, Select, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import React, { useEffect, useMemo, useState } from 'react';
import { api } from './api';

type Row = Record<string, string | number | null>;
interface QueryInfo {
  name: string;
  permission: string;
  allowed: boolean;
  csv: boolean;
}
interface Result {
  rows: Row[];
  summary?: Record<string, unknown>;
}

const TITLES: Record<string, string> = {
  trends: 'Events over time',
  'top-events': 'Top events',
  'top-pages': 'Top pages',
  sessions: 'Sessions',
  funnel: 'Funnel',
  retention: 'Retention cohorts',
  pipeline: 'Pipeline performance',
  'lead-conversion': 'Lead → contact → deal',
  activities: 'Activities per user',
};
/** How each query's rows are drawn: which column labels a bar or a line, which one is the value. */
const CHARTS: Record<string, { kind: 'line' | 'bar' | 'cohort'; label: string; value: string; series?: string }> = {
  trends: { kind: 'line', label: 'bucket', value: 'count', series: 'event' },
  sessions: { kind: 'line', label: 'bucket', value: 'sessions' },
  'top-events': { kind: 'bar', label: 'event', value: 'count' },
  'top-pages': { kind: 'bar', label: 'page', value: 'views' },
  funnel: { kind: 'bar', label: 'event', value: 'users' },
  retention: { kind: 'cohort', label: 'cohort', value: 'rate', series: 'period' },
  pipeline: { kind: 'bar', label: 'stage', value: 'value', series: 'pipeline' },
  'lead-conversion': { kind: 'bar', label: 'step', value: 'count' },
  activities: { kind: 'bar', label: 'name', value: 'total' },
};
const COLORS = ['#3040d6', '#e0742a', '#1b9e77', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const columnsOf = (rows: Row[]) => (rows[0] ? Object.keys(rows[0]) : []);

function LineChart({ rows, timeKey, valueKey, seriesKey }: { rows: Row[]; timeKey: string; valueKey: string; seriesKey?: string }) {
  const times = [...new Set(rows.map((r) => String(r[timeKey])))].sort();
  const series = [...new Set(rows.map((r) => (seriesKey ? String(r[seriesKey]) : valueKey)))];
  const max = Math.max(1, ...rows.map((r) => Number(r[valueKey])));
  const W = 720, H = 220, P = 36;
  const x = (i: number) => P + (times.length <= 1 ? 0 : (i * (W - 2 * P)) / (times.length - 1));
  const y = (v: number) => H - P - (v * (H - 2 * P)) / max;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="line chart" data-testid="chart-line">
      <line x1={P} y1={H - P} x2={W - P} y2={H - P} stroke="#ccc" />
      <text x={4} y={P} fontSize="10">{max}</text>
      {series.map((s, si) => {
        const points = times.map((t, i) => {
          const hit = rows.find((r) => String(r[timeKey]) === t && (seriesKey ? String(r[seriesKey]) === s : true));
          return `${x(i)},${y(hit ? Number(hit[valueKey]) : 0)}`;
        });
        return <polyline key={s} points={points.join(' ')} fill="none" stroke={COLORS[si % COLORS.length]} strokeWidth={2} />;
      })}
      {times.length > 0 && <text x={P} y={H - 10} fontSize="10">{times[0]!.slice(0, 16)}</text>}
      {times.length > 1 && <text x={W - P} y={H - 10} fontSize="10" textAnchor="end">{times[times.length - 1]!.slice(0, 16)}</text>}
      {series.slice(0, 8).map((s, si) => (
        <text key={s} x={W - P} y={14 + si * 12} fontSize="10" textAnchor="end" fill={COLORS[si % COLORS.length]}>{s}</text>
      ))}
    </svg>
  );
}

function BarChart({ rows, labelKey, valueKey, groupKey }: { rows: Row[]; labelKey: string; valueKey: string; groupKey?: string }) {
  const max = Math.max(1, ...rows.map((r) => Number(r[valueKey])));
  const shown = rows.slice(0, 15);
  const H = 22 * shown.length + 10;
  return (
    <svg viewBox={`0 0 720 ${H}`} width="100%" role="img" aria-label="bar chart" data-testid="chart-bar">
      {shown.map((r, i) => (
        <g key={i}>
          <text x={0} y={i * 22 + 16} fontSize="11">{`${groupKey ? `${String(r[groupKey])} · ` : ''}${String(r[labelKey])}`.slice(0, 36)}</text>
          <rect x={230} y={i * 22 + 4} height={16} width={Math.max(1, (Number(r[valueKey]) / max) * 430)} fill={COLORS[0]} />
          <text x={236 + (Number(r[valueKey]) / max) * 430} y={i * 22 + 16} fontSize="11">{String(r[valueKey])}</text>
        </g>
      ))}
    </svg>
  );
}

/** Retention: one row per cohort, one column per period, shaded by the rate. */
function CohortTable({ rows, cohortKey, periodKey, valueKey }: { rows: Row[]; cohortKey: string; periodKey: string; valueKey: string }) {
  const cohorts = [...new Set(rows.map((r) => String(r[cohortKey])))];
  const periods = [...new Set(rows.map((r) => Number(r[periodKey])))].sort((a, b) => a - b);
  const cell = (c: string, p: number) => rows.find((r) => String(r[cohortKey]) === c && Number(r[periodKey]) === p);
  return (
    <Table data-testid="chart-cohorts">
      <TableHead>
        <TableRow>
          <TableCell>Cohort</TableCell>
          <TableCell>Users</TableCell>
          {periods.map((p) => <TableCell key={p}>+{p}</TableCell>)}
        </TableRow>
      </TableHead>
      <TableBody>
        {cohorts.map((c) => (
          <TableRow key={c}>
            <TableCell style={{ whiteSpace: 'nowrap' }}>{c.slice(0, 10)}</TableCell>
            <TableCell>{String(cell(c, periods[0]!)?.users ?? '')}</TableCell>
            {periods.map((p) => {
              const v = cell(c, p)?.[valueKey];
              const rate = v === null || v === undefined ? null : Number(v);
              return (
                <TableCell key={p} style={rate === null ? undefined : { background: `rgba(48,64,214,${0.7 * rate})`, color: rate > 0.5 ? 'white' : undefined }}>
                  {rate === null ? '—' : `${Math.round(rate * 100)}%`}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Rows as they come, for a query without a chart of its own. */
function DataTable({ rows }: { rows: Row[] }) {
  const cols = columnsOf(rows);
  return (
    <Table>
      <TableHead>
        <TableRow>{cols.map((c) => <TableCell key={c}>{c}</TableCell>)}</TableRow>
      </TableHead>
      <TableBody>
        {rows.slice(0, 50).map((r, i) => (
          <TableRow key={i}>{cols.map((c) => <TableCell key={c}>{r[c] === null ? '—' : String(r[c])}</TableCell>)}</TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Chart({ name, result }: { name: string; result: Result }) {
  if (!result.rows.length) return <Text data-testid="chart-empty">No data for this range.</Text>;
  const c = CHARTS[name];
  const cols = columnsOf(result.rows);
  const summary = result.summary && (
    <Text variant="sm" mb="md">
      {Object.entries(result.summary).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v === null ? '—' : v}`).join(' · ')}
    </Text>
  );
  if (!c || !cols.includes(c.label) || !cols.includes(c.value)) return <>{summary}<DataTable rows={result.rows} /></>;
  if (c.kind === 'cohort') return <>{summary}<CohortTable rows={result.rows} cohortKey={c.label} periodKey={c.series!} valueKey={c.value} /></>;
  if (c.kind === 'line') return <>{summary}<LineChart rows={result.rows} timeKey={c.label} valueKey={c.value} seriesKey={c.series} /></>;
  return <>{summary}<BarChart rows={result.rows} labelKey={c.label} valueKey={c.value} groupKey={c.series} /></>;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const Analytics: React.FC = () => {
  const [queries, setQueries] = useState<QueryInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 90 * 86_400_000)));
  const [to, setTo] = useState(isoDay(new Date(Date.now() + 86_400_000)));
  const [workspace, setWorkspace] = useState<string>('');
  const [steps, setSteps] = useState('page.view,record.created,deal.stage_changed');
  const [stepsInput, setStepsInput] = useState(steps);
  const [workspaces, setWorkspaces] = useState<{ value: string; label: string }[]>([]);
  const [results, setResults] = useState<Record<string, Result | { error: string } | 'loading'>>({});

  useEffect(() => {
    api<{ queries: QueryInfo[] }>('/api/analytics')
      .then((r) => setQueries(r.queries))
      .catch((err: Error) => setError(err.message));
    api<{ records: { id: number; name: string }[] }>('/api/workspaces?perPage=100')
      .then((r) => setWorkspaces(r.records.map((w) => ({ value: String(w.id), label: w.name }))))
      .catch(() => setWorkspaces([]));
  }, []);

  /** Pipeline performance is the pipeline as it stands (no date range); the funnel needs its steps. */
  const queryParams = (name: string) => {
    if (name === 'pipeline') return workspace ? `workspace=${workspace}` : '';
    if (name === 'funnel') return `${params}&steps=${encodeURIComponent(steps)}`;
    return params;
  };

  const params = useMemo(() => {
    const p = new URLSearchParams({ from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` });
    if (workspace) p.set('workspace', workspace);
    return p.toString();
  }, [from, to, workspace]);

  useEffect(() => {
    if (!queries) return;
    for (const q of queries.filter((x) => x.allowed)) {
      setResults((r) => ({ ...r, [q.name]: 'loading' }));
      api<Result>(`/api/analytics/${q.name}?${queryParams(q.name)}`)
        .then((res) => setResults((r) => ({ ...r, [q.name]: res })))
        .catch((err: Error) => setResults((r) => ({ ...r, [q.name]: { error: err.message } })));
    }
  }, [queries, params, steps]);

  const allowed = queries?.filter((q) => q.allowed) ?? [];
  return (
    <Box variant="grey">
      <Box variant="white" mb="lg">
        <H2>Analytics</H2>
        {error && <MessageBox message={error} variant="danger" />}
        {queries && allowed.length === 0 && <MessageBox message="Your role has no analytics or report permission." variant="info" />}
        <Box flex flexDirection="row" style={{ gap: 16, alignItems: 'flex-end', flexWrap: 'wrap' }}>
          <Box>
            <Label htmlFor="from">From</Label>
            <Input id="from" type="date" value={from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFrom(e.target.value)} />
          </Box>
          <Box>
            <Label htmlFor="to">To</Label>
            <Input id="to" type="date" value={to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
          </Box>
          <Box width="360px">
            <Label htmlFor="steps">Funnel steps</Label>
            <Input
              id="steps"
              value={stepsInput}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setStepsInput(e.target.value)}
              onBlur={() => setSteps(stepsInput)}
              onKeyDown={(e: React.KeyboardEvent) => e.key === 'Enter' && setSteps(stepsInput)}
            />
          </Box>
          <Box width="260px">
            <Label>Workspace</Label>
            <Select
              isClearable
              placeholder="All workspaces"
              value={workspaces.find((w) => w.value === workspace) ?? null}
              options={workspaces}
              onChange={(o: { value: string } | null) => setWorkspace(o?.value ?? '')}
            />
          </Box>
        </Box>
      </Box>
      <Box flex flexDirection="row" style={{ gap: 16, flexWrap: 'wrap' }}>
        {allowed.map((q) => {
          const result = results[q.name];
          return (
            <Box key={q.name} variant="white" style={{ flex: '1 1 520px', minWidth: 420 }} data-testid={`dashboard-${q.name}`}>
              <Box flex justifyContent="space-between" alignItems="center">
                <H5>{TITLES[q.name] ?? q.name}</H5>
                {q.csv && (
                  <Button as="a" size="sm" variant="outlined" href={`/api/analytics/${q.name}.csv?${queryParams(q.name)}`} download={`${q.name}.csv`}>
                    CSV
                  </Button>
                )}
              </Box>
              {result === undefined || result === 'loading' ? (
                <Text data-testid="chart-loading">Loading…</Text>
              ) : 'error' in result ? (
                <MessageBox message={result.error} variant="danger" />
              ) : (
                <Chart name={q.name} result={result} />
              )}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
};

export default Analytics;
