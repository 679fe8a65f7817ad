// Browser tests: the real app on a free port, Debian's Chromium driven by playwright-core (no downloaded
// browser), one browser per test file and a fresh context (cookies, local storage) per signed-in person.
// Nothing leaves the machine: requests to other hosts (there should be none: test/browser/pages.test.ts) are
// aborted at once, so no page waits on them. Wait for elements, never for 'networkidle'.
//
// A new screen test, in its own file or in backoffice.test.ts:
//   const db = useTestDatabase();
//   const web = useBrowser(db);                        // app + Chromium for the file
//   beforeAll(() => seedDemo(db));
//   it('…', async () => {
//     const page = await web.loginAs('acme', 'admin');  // through the login form
//     await openPage(page, '/admin/pages/…', '[data-css="…"]');
//     await shot(page, 'matrix');                      // test-artifacts/<test name>-matrix.png
//     expectHealthy(page);                             // no script error, no failed request
//   });
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ClickHouseClient } from '../../analytics/clickhouse';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { demoTenant } from '../security/helpers';
import type { Database } from '../../domain/db';
import { frontendAssets } from '../../admin/backoffice/frontend-assets';
import { startApp } from '../http/client';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');
/** Starting the app and Chromium (several seconds on 2 busy cores). */
export const BROWSER_SETUP_TIMEOUT = 120_000;
/** A whole page load. */
export const PAGE_TIMEOUT = 20_000;
/** A browser test: several page loads, each a few seconds at most on a machine busy with other tests. */
export const BROWSER_TEST_TIMEOUT = 60_000;
/** Any later element: the app is local, so seconds mean something is wrong. */
export const STEP_TIMEOUT = 10_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What went wrong in a page: script errors (uncaught or console.error) and app requests answered >= 400. */
export interface PageProblems {
  errors: string[];
  failedRequests: string[];
}

const problems = new WeakMap<Page, PageProblems>();
export const problemsOf = (page: Page): PageProblems => problems.get(page) ?? { errors: [], failedRequests: [] };

/** The page rendered without a script error (a missing component, a bundle that failed) or a failed request. */
export function expectHealthy(page: Page) {
  const found = problemsOf(page);
  expect(found.errors, 'script errors in the page').toEqual([]);
  expect(found.failedRequests, 'failed requests to the app').toEqual([]);
}

export interface BrowserHandle {
  /** The app's origin, e.g. http://127.0.0.1:41234. */
  base: string;
  browser: Browser;
  /** A page in a fresh context (its own cookies): one person. Closed after the test. */
  newPage(): Promise<Page>;
  /** A fresh page signed in through the login form, on the dashboard with the sidebar shown. */
  loginAs(tenant: string, user: string, password?: string): Promise<Page>;
}

/**
 * Per test file: the app over `db` (and ClickHouse, when the file has one) and one Chromium, closed after
 * the file; contexts closed after each test.
 */
export function useBrowser(db: Database, clickhouse?: () => ClickHouseClient): BrowserHandle {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let contexts: BrowserContext[] = [];
  const handle = {} as BrowserHandle;

  beforeAll(async () => {
    app = await startApp(db, clickhouse?.() ?? null);
    handle.base = app.base;
    // The pages' scripts (made once per change of the components, test/harness/global-setup.ts) before any page.
    [handle.browser] = await Promise.all([launchBrowser(), frontendAssets()]);
  }, BROWSER_SETUP_TIMEOUT);
  afterEach(async (ctx) => {
    // A failed test leaves a picture of each of its pages: <test name>-failure[-n].png.
    if (ctx.task.result?.state === 'fail') {
      const pages = contexts.flatMap((c) => c.pages());
      for (const [i, page] of pages.entries()) await shot(page, i ? `failure-${i}` : 'failure', ctx.task.fullTestName).catch(() => undefined);
    }
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    contexts = [];
  });
  afterAll(async () => {
    await handle.browser?.close();
    await app?.close();
  });

  handle.newPage = async () => {
    // Wide enough (>= 1324 px) that AdminJS shows its sidebar instead of a menu button.
    const context = await handle.browser.newContext({ baseURL: handle.base, viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(PAGE_TIMEOUT);
    const origin = new URL(handle.base).origin;
    await context.route(
      (url) => url.origin !== origin,
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    const found: PageProblems = { errors: [], failedRequests: [] };
    problems.set(page, found);
    page.on('pageerror', (err) => found.errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/ERR_BLOCKED_BY_CLIENT/.test(msg.text())) found.errors.push(msg.text());
    });
    page.on('response', (res) => {
      if (res.url().startsWith(origin) && res.status() >= 400) found.failedRequests.push(`${res.status()} ${res.request().method()} ${res.url()}`);
    });
    return page;
  };

  handle.loginAs = async (tenant, user, password = 'demo1234') => {
    const page = await handle.newPage();
    await login(page, tenant, user, password);
    await page.locator('[data-css="sidebar"]').waitFor({ timeout: PAGE_TIMEOUT });
    expect(new URL(page.url()).pathname).toBe('/admin');
    return page;
  };
  return handle;
}

/** Opens the sign-in page, fills organization, username and password, submits, waits for the answer. */
export async function login(page: Page, tenant: string, user: string, password = 'demo1234') {
  await page.goto('/admin/login');
  // The form is our Login component, from the components bundle: its inputs show the bundle loaded.
  await page.locator('input[name="tenant"]').waitFor({ timeout: PAGE_TIMEOUT });
  await page.fill('input[name="tenant"]', tenant);
  await page.fill('input[name="email"]', user);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForResponse((res) => new URL(res.url()).pathname === '/admin/login' && res.request().method() === 'POST'),
    page.click('button[type="submit"]'),
  ]);
}

/** Waits until the element is shown (playwright-core has no expect of its own: assert with vitest). */
export const visible = (locator: Locator, timeout = STEP_TIMEOUT) => locator.first().waitFor({ state: 'visible', timeout });

/** Goes to an app path and waits for an element that shows the screen is there. */
export async function openPage(page: Page, path: string, ready: string) {
  await page.goto(path);
  await page.locator(ready).first().waitFor({ timeout: PAGE_TIMEOUT });
}

/** A PNG of the page in test-artifacts/, named after the running test and the step. Returns its path. */
export async function shot(page: Page, step: string, testName = expect.getState().currentTestName ?? 'test') {
  mkdirSync(ARTIFACTS, { recursive: true });
  const test = testName;
  const name = `${test} ${step}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// ---- The sidebar ----

/** Opens every closed group of the sidebar (AdminJS shows a group's resources once it is clicked). */
export async function expandSidebar(page: Page) {
  const groups = page.locator('[data-css="sidebar-resources"] > section > ul > li');
  const count = await groups.count();
  for (let i = 0; i < count; i++) {
    const group = groups.nth(i);
    if ((await group.locator('ul').count()) > 0) continue; // open already
    await group.locator('a').first().click();
    await group.locator('ul a').first().waitFor();
  }
}

/** The resource links of the sidebar, every group opened: label and href. */
export async function sidebarLinks(page: Page): Promise<{ label: string; href: string }[]> {
  await expandSidebar(page);
  return page
    .locator('[data-css="sidebar-resources"] a[href]')
    .evaluateAll((as) => as.map((a) => ({ label: (a as HTMLElement).innerText.trim(), href: a.getAttribute('href') ?? '' })));
}

// ---- AdminJS resource screens and forms ----

export const resourcePath = (resource: string, action?: string, recordId?: number | string) =>
  recordId === undefined
    ? `/admin/resources/${resource}${action ? `/actions/${action}` : ''}`
    : `/admin/resources/${resource}/records/${recordId}/${action ?? 'show'}`;

/** The form field (section) of a property, e.g. field(page, 'first_name'). */
export const field = (page: Page, path: string): Locator => page.locator(`[data-testid="property-edit-${path}"]`);

/** Opens a record's edit form (or a resource's new form without recordId) and waits for its Save button. */
export async function openForm(page: Page, resource: string, recordId?: number | string) {
  await openPage(page, recordId === undefined ? resourcePath(resource, 'new') : resourcePath(resource, 'edit', recordId), '[data-testid="button-save"]');
}

/** Types into a text or text-area field and leaves it (AdminJS text areas take the value on blur). */
export async function fillField(page: Page, path: string, value: string) {
  const input = field(page, path).locator('input, textarea').first();
  await input.fill(value);
  await input.press('Tab');
}

/** Picks an option of a select field (enum or reference) by its visible label. */
export async function selectOption(page: Page, path: string, label: string) {
  const select = field(page, path);
  await select.locator('input').first().click();
  await select.locator('input').first().fill(label);
  await page.getByRole('option', { name: label, exact: true }).click();
}

/** The message under a form field ('' when none). */
export const fieldMessage = (page: Page, path: string) => field(page, path).innerText();

/** Clicks Save and waits for the action's answer from AdminJS's API; returns the JSON it answered. */
export async function save(page: Page): Promise<{ record?: { params: Record<string, unknown>; errors: Record<string, unknown> }; notice?: { message: string; type: string } }> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/admin/api/resources/')),
    page.click('[data-testid="button-save"]'),
  ]);
  return res.json();
}

/** Waits for the notice AdminJS shows after an action (a toast at the top) whose text matches; returns the text. */
export async function notice(page: Page, text: RegExp): Promise<string> {
  const box = page.locator('[data-testid="notice-wrapper"]').filter({ hasText: text }).last();
  await box.waitFor();
  return box.innerText();
}

/** Waits until the page shows an app path (AdminJS moves between screens without reloading). */
export const atPath = (page: Page, path: string) => page.waitForURL((url) => url.pathname === path);

/** A button of the action header on a resource or record page, e.g. actionButton(page, 'contacts', 'edit'). */
export const actionButton = (page: Page, resource: string, action: string): Locator =>
  page.locator(`[data-css="${resource}-${action}-button"]`).first();

/** Runs a record action that asks first (delete): its header button, then Confirm in the dialog. Returns the JSON answer. */
export async function confirmAction(page: Page, resource: string, action: string) {
  await actionButton(page, resource, action).click();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(`/${action}`)),
    page.getByRole('button', { name: 'Confirm' }).click(),
  ]);
  return res.json();
}

/**
 * A browser test file's usual setting: its own database with the demo data, the app in Chromium over it, acme's
 * tenant id (set before the tests run) and a one-row SQL reader for checking what a screen did.
 */
export function useDemoBrowser() {
  const db = useTestDatabase();
  const demo = {
    db,
    web: useBrowser(db),
    acme: 0,
    one: async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0],
  };
  beforeAll(async () => {
    await seedDemo(db);
    demo.acme = (await demoTenant(db, 'acme')).id;
  });
  return demo;
}
