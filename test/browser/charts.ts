// Reading the dashboards' Chart.js charts in a real browser: each canvas carries what it drew (plot area,
// legend box, tick labels, bar and point centres: data-layout) and its tooltip's text (data-tooltip), written
// by the chart itself after each draw (admin/backoffice/components/charts/ChartCanvas.tsx).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ARTIFACTS } from './helpers';

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
export interface ChartLayout {
  area: Box;
  legend: Box | null;
  scales: Record<string, Box & { ticks: string[] }>;
  points: { x: number; y: number }[];
}

const canvas = (page: Page, name: string) => page.locator(`[data-testid="chart-${name}"]`);

export async function layoutOf(page: Page, name: string): Promise<ChartLayout> {
  const c = canvas(page, name);
  await c.waitFor({ state: 'visible' });
  await page.waitForFunction((n) => document.querySelector(`[data-testid="chart-${n}"]`)?.getAttribute('data-layout'), name);
  return JSON.parse((await c.getAttribute('data-layout'))!) as ChartLayout;
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Ticks on both axes, and a legend (when there is one) beside the plot, not over it. */
export async function expectReadable(page: Page, name: string): Promise<ChartLayout> {
  const l = await layoutOf(page, name);
  expect(l.scales.x?.ticks.length, `${name}: x ticks`).toBeGreaterThanOrEqual(2);
  expect(l.scales.y?.ticks.length, `${name}: y ticks`).toBeGreaterThanOrEqual(2);
  if (l.legend) expect(overlaps(l.legend, l.area), `${name}: legend over the plot ${JSON.stringify(l)}`).toBe(false);
  return l;
}

/** Hovers the chart's i-th bar or point (of the first dataset; dx, dy from its centre) and returns the tooltip's text. */
export async function tooltipAt(page: Page, name: string, i: number, dx = 0, dy = 0): Promise<string> {
  const l = await layoutOf(page, name);
  const p = l.points[i]!;
  await canvas(page, name).hover({ position: { x: p.x + dx, y: p.y + dy } });
  await page.waitForFunction((n) => document.querySelector(`[data-testid="chart-${n}"]`)?.getAttribute('data-tooltip'), name);
  return (await canvas(page, name).getAttribute('data-tooltip'))!;
}

/** Clicks the chart at its i-th bar or point (dx: offset from its centre, e.g. back into a horizontal bar). */
export async function clickAt(page: Page, name: string, i: number, dx = 0) {
  const p = (await layoutOf(page, name)).points[i]!;
  await canvas(page, name).click({ position: { x: p.x + dx, y: p.y } });
}

/** The value a headline card shows. */
export const figureText = (page: Page, source: string, figure: string, part: 'value' | 'change' | 'previous' = 'value') =>
  page.locator(`[data-testid="dashboard-${source}"] [data-testid="figure-${figure}"] [data-testid="figure-${part}"]`).innerText();

/** Waits until every card has its answer. */
export async function settled(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-loading"]').length === 0);
}

/**
 * A screenshot of the whole dashboard: AdminJS scrolls inside its own container, so a full-page screenshot shows
 * one screen; the viewport is made as tall as the content for the picture, then restored.
 */
export async function shotWhole(page: Page, step: string, shot: (page: Page, step: string) => Promise<string>) {
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('*'), (e) => e.scrollHeight)));
  await page.setViewportSize({ width: size.width, height: Math.min(height + 100, 12_000) });
  await page.waitForTimeout(300); // (the charts redraw at the new size)
  await shot(page, step);
  // And each card on its own, at full resolution, to read.
  for (const card of await page.locator('[data-testid^="dashboard-"]').all()) {
    const name = await card.getAttribute('data-testid');
    const file = `${expect.getState().currentTestName ?? 'test'} ${step} ${name}`.replace(/[^a-zA-Z0-9]+/g, '-').toLowerCase();
    await card.screenshot({ path: join(ARTIFACTS, 'cards', `${file}.png`) });
  }
  await page.setViewportSize(size);
}
