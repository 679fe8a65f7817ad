// `npm run bench:pages [-- --loads 10 --start start --deals 1000000]`
//
// What a person at the screen waits for. The app runs as `npm start` serves it (`--start <npm script>`: the
// one switch; `--start start:prod` for the production start, after `npm run build`), on the scale data
// (bench/scale-db.ts: 1M deals in scale1), ClickHouse pointed at a closed port (the outbox's 10M events are
// not shipped meanwhile). Debian's Chromium (playwright-core; a fresh temporary profile per launch, a fresh context, so an empty cache, per
// cold load), signed in as the Director of scale1, loads:
// - cold and warm (the same context again) full loads of the deals list, a deal's page and the home page;
// - in-app navigations between them: sidebar link to the list, list row to the deal, sidebar back to the list,
//   the logo to the home page.
// For each: the time until the content is visible (the list's rows, the deal's fields, the home page's
// welcome), the bytes on the wire (CDP Network.loadingFinished encodedDataLength: compressed as sent,
// headers included), the requests that went to the network (not served from the cache), and every request to
// another host (listed: none should leave the app's origin). p50 and p95 over `--loads` runs.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../scripts/free-port';
import { parseCount } from '../scripts/scale/options';
import { adminLogin } from './admin-http';
import { percentile } from './interleave';
import { ensureScaleDatabase } from './scale-db';

const { values: args } = parseArgs({
  options: {
    deals: { type: 'string', default: '1000000' },
    loads: { type: 'string', default: '10' },
    start: { type: 'string', default: 'start' },
  },
});
const DEALS = parseCount('deals', args.deals!);
const LOADS = parseCount('loads', args.loads!);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const log = (line: string) => console.error(line);

const scratch = await ensureScaleDatabase(DEALS, log);
const dataDir = mkdtempSync(join(tmpdir(), 'bench-pages-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const closed = await freePort(); // (nobody listens there)

// The app as `npm run <start>` serves it, in its own process group (npm, node and whatever they start).
log(`starting: npm run ${args.start} on ${base}`);
const app = spawn('npm', ['run', '--silent', args.start!], {
  env: { ...process.env, DATABASE_URL: scratch.url, CLICKHOUSE_URL: `http://127.0.0.1:${closed}`, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SESSION_SECRET: 'bench-pages-secret-0123456789abcdef' },
  stdio: ['ignore', 'ignore', 'pipe'],
  detached: true,
});
// Its log only if it fails to start (ClickHouse being unreachable is logged all along).
let appLog = '';
app.stderr!.on('data', (chunk: Buffer) => (appLog = (appLog + chunk.toString()).slice(-4000)));
const stopApp = () => {
  try {
    process.kill(-app.pid!, 'SIGTERM');
  } catch {
    // gone already
  }
};
process.on('exit', stopApp);
for (let waited = 0; ; waited += 250) {
  if (app.exitCode !== null) throw new Error(`npm run ${args.start} exited (${app.exitCode}):\n${appLog}`);
  if (waited > 180_000) throw new Error(`the app did not answer on ${base} within 3 minutes`);
  const up = await fetch(`${base}/health`).then((r) => r.status > 0, () => false);
  if (up) break;
  await new Promise((r) => setTimeout(r, 250));
}

const db = new pg.Client({ connectionString: scratch.url });
await db.connect();
const { rows: [deal] } = await db.query<{ id: number }>(
  `SELECT d.id FROM deals d JOIN users u ON u.id = d.assigned_to_id AND u.tenant_id = d.tenant_id JOIN tenants t ON t.id = d.tenant_id
    WHERE t.subdomain = 'scale1' AND d.workspace_id = (SELECT workspace_id FROM users WHERE tenant_id = t.id AND username = 'director') ORDER BY d.id LIMIT 1 OFFSET 1000`,
);
await db.end();
const cookie = (await adminLogin(base, { tenant: 'scale1', email: 'director', password: 'demo1234' })).split('=');

// --- what a page costs ------------------------------------------------------------------------------

interface Sample {
  ms: number;
  bytes: number;
  requests: number;
}

/** Counts a page's traffic through the DevTools protocol; `take()` returns it since the last take. */
async function meter(page: Page, foreign: Set<string>) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let requests = 0;
  const inFlight = new Set<string>();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!/^https?:/.test(e.request.url)) return;
    requests++;
    inFlight.add(e.requestId);
    if (new URL(e.request.url).host !== new URL(base).host) foreign.add(e.request.url);
  });
  cdp.on('Network.requestServedFromCache', () => requests--);
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    inFlight.delete(e.requestId);
  });
  cdp.on('Network.loadingFailed', (e) => inFlight.delete(e.requestId));
  return {
    /** After the content is shown: waits for the requests still under way (up to 10 s), then the counts. */
    async take(): Promise<{ bytes: number; requests: number }> {
      for (let quietFor = 0, waited = 0; quietFor < 300 && waited < 10_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
        quietFor = inFlight.size ? 0 : quietFor + 50;
      }
      const counted = { bytes, requests };
      bytes = 0;
      requests = 0;
      return counted;
    },
  };
}

const LIST = { name: 'deals list', path: '/admin/resources/deals', ready: 'table tbody tr td[data-property-name="title"]' };
const RECORD = { name: 'a deal', path: `/admin/resources/deals/records/${deal!.id}/show`, ready: '[data-testid="property-show-title"]' };
const HOME = { name: 'home', path: '/admin', ready: '[data-testid="dashboard"] >> text=Welcome,' };
type Screen = typeof LIST;

const visible = (page: Page, screen: Screen) => page.locator(screen.ready).first().waitFor({ state: 'visible', timeout: 60_000 });

async function timed(page: Page, m: Awaited<ReturnType<typeof meter>>, go: () => Promise<unknown>, screen: Screen): Promise<Sample> {
  const t0 = performance.now();
  await go();
  await visible(page, screen);
  const ms = performance.now() - t0;
  return { ms, ...(await m.take()) };
}

const results = new Map<string, Sample[]>();
const add = (name: string, s: Sample) => results.set(name, [...(results.get(name) ?? []), s]);
const foreign = new Set<string>();
const shots = join(process.cwd(), 'test-artifacts');
mkdirSync(shots, { recursive: true });

async function signedInPage(browser: Awaited<ReturnType<typeof chromium.launch>>): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } }); // (the sidebar shows from this width)
  await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: base }]);
  return { context, page: await context.newPage() };
}

/** Opens a sidebar group if closed, then clicks its link to `path`. */
async function sidebar(page: Page, path: string) {
  const link = page.locator(`[data-css="sidebar-resources"] a[href="${path}"]`);
  if (!(await link.isVisible())) await page.locator('[data-css="sidebar-resources"] li', { hasText: 'Sales' }).locator('a').first().click();
  await link.click();
}

// playwright launches Chromium with a fresh temporary profile (user-data-dir) each time.
const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
try {
  for (let i = 0; i < LOADS; i++) {
    log(`loads ${i + 1}/${LOADS}`);
    for (const screen of [LIST, RECORD, HOME]) {
      const { context, page } = await signedInPage(browser);
      const m = await meter(page, foreign);
      add(`cold: ${screen.name}`, await timed(page, m, () => page.goto(base + screen.path, { waitUntil: 'commit' }), screen));
      add(`warm: ${screen.name}`, await timed(page, m, () => page.goto(base + screen.path, { waitUntil: 'commit' }), screen));
      if (i === 0) await page.screenshot({ path: join(shots, `bench-pages-${screen.name.replace(/\W+/g, '-')}.png`) });
      await context.close();
    }
    const { context, page } = await signedInPage(browser);
    const m = await meter(page, foreign);
    await timed(page, m, () => page.goto(base + HOME.path, { waitUntil: 'commit' }), HOME);
    add('navigate: home -> list (sidebar)', await timed(page, m, () => sidebar(page, LIST.path), LIST));
    add('navigate: list -> a deal (row)', await timed(page, m, () => page.locator(LIST.ready).first().click(), RECORD));
    add('navigate: a deal -> list (sidebar)', await timed(page, m, () => sidebar(page, LIST.path), LIST));
    add('navigate: list -> home (logo)', await timed(page, m, () => page.locator('[data-css="sidebar-logo"]').click(), HOME));
    await context.close();
  }
} finally {
  await browser.close();
  stopApp();
  rmSync(dataDir, { recursive: true, force: true });
}

const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q);
const width = Math.max(...[...results.keys()].map((k) => k.length));
console.log(`\nPages in Chromium as the Director of scale1 (${scratch.name}; \`npm run ${args.start}\`; ${LOADS} loads each): visible = until the content shows, ms; KB on the wire (compressed, as sent); requests to the network`);
const head = ['visible p50', 'p95', 'KB p50', 'KB p95', 'requests p50'];
console.log(`${'page'.padEnd(width)}  ${head.map((h) => h.padStart(12)).join(' ')}`);
for (const [name, samples] of results) {
  const kb = samples.map((s) => s.bytes / 1024);
  const cells = [p(samples.map((s) => s.ms), 50).toFixed(0), p(samples.map((s) => s.ms), 95).toFixed(0), p(kb, 50).toFixed(1), p(kb, 95).toFixed(1), String(p(samples.map((s) => s.requests), 50))];
  console.log(`${name.padEnd(width)}  ${cells.map((c) => c.padStart(12)).join(' ')}`);
}
console.log(foreign.size ? `\nrequests to other hosts (${foreign.size}):\n${[...foreign].map((u) => `  ${u}`).join('\n')}` : '\nrequests to other hosts: none');
process.exit(0);
