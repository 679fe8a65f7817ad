// One Chart.js chart on a canvas. Only the parts the dashboards draw are registered (bar and line charts on
// category and linear axes, tooltips, legends), which keeps the bundle small (Chart.js is tree-shakable).
// Time axes are category axes whose labels the caller formats with Intl (format.ts): no date adapter needed.
// After each draw, the canvas carries what was drawn as data attributes (data-layout: plot area, legend box,
// tick labels, the bars' or points' centres; data-tooltip: the tooltip's text), for tests and for assistive
// checks; the chart itself stays a canvas with an aria-label.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration, type Plugin,
} from 'chart.js';
import React, { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend, Filler);
Chart.defaults.font.size = 13;
Chart.defaults.color = '#454655';

/** Okabe-Ito: distinguishable with every common colour-vision deficiency (yellow last: weak on white). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];

const box = (b: { left: number; top: number; right: number; bottom: number }) => ({ left: b.left, top: b.top, right: b.right, bottom: b.bottom });

const exposeLayout: Plugin = {
  id: 'exposeLayout',
  afterRender(chart) {
    const scales = Object.fromEntries(
      Object.entries(chart.scales).map(([id, s]) => [id, { ...box(s), ticks: s.ticks.map((t) => String(t.label ?? "")) }]),
    );
    const points = chart.getDatasetMeta(0)?.data.map((e) => ({ x: Math.round(e.x), y: Math.round(e.y) })) ?? [];
    const legend = chart.legend && chart.options.plugins?.legend?.display !== false ? box(chart.legend) : null;
    chart.canvas.dataset.layout = JSON.stringify({ area: box(chart.chartArea), legend, scales, points });
    const t = chart.tooltip;
    chart.canvas.dataset.tooltip = t && t.opacity > 0 ? [...(t.title ?? []), ...(t.body ?? []).flatMap((b) => [...b.before, ...b.lines, ...b.after]), ...(t.footer ?? [])].join('\n') : '';
  },
};

export interface ChartCanvasProps {
  config: ChartConfiguration;
  label: string;
  height?: number;
  testId?: string;
}

export const ChartCanvas: React.FC<ChartCanvasProps> = ({ config, label, height = 280, testId }) => {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!ref.current) return undefined;
    const chart = new Chart(ref.current, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
      plugins: [...(config.plugins ?? []), exposeLayout],
    });
    return () => chart.destroy();
  }, [config]);
  return (
    <div style={{ position: 'relative', height, width: '100%' }}>
      <canvas ref={ref} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
};
