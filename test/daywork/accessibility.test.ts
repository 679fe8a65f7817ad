// Accessibility: an axe-core scan (injected by Playwright) of the everyday screens reports no critical or serious
// violation; the sidebar and list rows work from the keyboard; at 390 px the Ask Epesi panel fits the screen.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { BROWSER_TEST_TIMEOUT, openPage, resourcePath, shot, useBrowser, visible } from '../browser/helpers';
import { useTestDatabase } from '../harness';

const db = useTestDatabase();
const web = useBrowser(db);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(() => seedDemo(db));

interface Violation { id: string; impact: string; help: string; nodes: { target: string[] }[] }

async function seriousViolations(page: Page): Promise<string[]> {
  // (evaluated through the DevTools protocol: the page's CSP rightly refuses an injected inline script tag)
  await page.evaluate(AXE);
  const found = (await page.evaluate(async () => (await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations)) as Violation[];
  return found
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

describe('accessibility', { timeout: 180_000 }, () => {
  it('axe finds no critical or serious violation on login, home, a list, a record, a form, the board and Analytics', async () => {
    const page = await web.newPage();
    await openPage(page, '/admin/login', 'input[name="tenant"]');
    const problems: Record<string, string[]> = { login: await seriousViolations(page) };
    const admin = await web.loginAs('acme', 'director');
    const contact = (await db.pool.query(`SELECT id FROM contacts ORDER BY id LIMIT 1`)).rows[0].id;
    for (const [name, path, ready] of [
      ['home', '/admin', '[data-testid="dashboard"]'],
      ['list', resourcePath('contacts'), 'table tbody tr'],
      ['record', resourcePath('contacts', 'show', contact), '[data-testid="record-history"]'],
      ['form', resourcePath('contacts', 'edit', contact), '[data-testid="button-save"]'],
      ['board', '/admin/pages/Deal%20board', '[data-testid="deal-board"] section'],
      ['analytics', '/admin/pages/Analytics', 'h2'],
    ] as const) {
      await openPage(admin, path, ready);
      problems[name] = await seriousViolations(admin);
    }
    expect(Object.fromEntries(Object.entries(problems).filter(([, v]) => v.length))).toEqual({});
  });

  it('at 390 px the Ask Epesi panel fits the screen', async () => {
    const page = await web.loginAs('acme', 'agent');
    await page.setViewportSize({ width: 390, height: 844 });
    await openPage(page, resourcePath('contacts'), 'table tbody tr, [data-css="contacts-list"]');
    await page.getByRole('button', { name: /Ask Epesi/ }).click();
    const panel = page.locator('[data-testid="agent-panel"]');
    await visible(panel);
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await shot(page, 'agent-390');
  });
});

describe('keyboard', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('opens a sidebar group and a list row with Tab and Enter; the closed filter drawer takes no focus', async () => {
    const page = await web.loginAs('acme', 'agent');
    const group = page.locator('[data-css="sidebar-resources"] li > a:not([href])', { hasText: 'Customers' }).first();
    await group.waitFor();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await group.evaluate((el) => el === document.activeElement);
    }
    expect(reached, 'Tab reaches the Customers group').toBe(true);
    await page.keyboard.press('Enter');
    const contacts = page.locator('[data-css="sidebar-resources"] a[href="/admin/resources/contacts"]');
    await visible(contacts);
    await contacts.focus();
    await page.keyboard.press('Enter');
    await page.locator('table tbody tr[data-id]').first().waitFor();
    const row = page.locator('table tbody tr[data-id]').first();
    const id = await row.getAttribute('data-id');
    await row.focus();
    expect(await row.evaluate((el) => el === document.activeElement)).toBe(true);
    const drawer = page.locator('[data-css$="-filter-drawer"]').first();
    if (await drawer.count()) expect(await drawer.evaluate((d) => (d as HTMLElement).inert)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/admin/resources/contacts/records/${id}/show`);
    await shot(page, 'row-opened');
  });

  it("opens a row's \"...\" menu with Tab and Enter and chooses Edit from it with the keyboard", async () => {
    const page = await web.loginAs('acme', 'agent');
    await openPage(page, resourcePath('contacts'), 'table tbody tr[data-id]');
    const row = page.locator('table tbody tr[data-id]').first();
    const id = await row.getAttribute('data-id');
    const title = (await row.locator('td:nth-child(2)').textContent())?.trim();
    await row.focus();
    const menu = row.getByRole('button', { name: `Actions for ${title}` });
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await menu.evaluate((el) => el === document.activeElement);
    }
    expect(reached, `Tab reaches the row's menu button, "Actions for ${title}"`).toBe(true);
    await page.keyboard.press('Enter');
    const edit = row.getByRole('menuitem', { name: 'Edit' });
    await visible(edit);
    await shot(page, 'row-menu-open');
    let onEdit = false;
    for (let i = 0; i < 6 && !onEdit; i++) {
      await page.keyboard.press('Tab');
      onEdit = await edit.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));
    }
    expect(onEdit, 'Tab moves into the open menu, to Edit').toBe(true);
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/admin/resources/contacts/records/${id}/edit`);
    await shot(page, 'row-menu-edit');
  });
});
