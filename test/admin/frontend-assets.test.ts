// What the sign-in and back-office pages cost a browser. The scripts they load (admin/backoffice/frontend-assets.ts):
// each under a hashed name on the app's own origin, compressed when the browser accepts it, cached for a year;
// any other name under the assets path is a 404. The state inlined in a page (admin/backoffice/page-state.ts):
// much smaller than AdminJS's, and the page's script rebuilds exactly AdminJS's.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EXPAND_STATE } from '../../admin/backoffice/page-state';
import { useTestDatabase } from '../harness';
import { startApp } from '../http/client';
import { loadWorld } from '../security/world';
import { AdminClient } from './client';

// What AdminJS rendered, before the page was finished.
const rendered: string[] = [];
vi.mock('../../admin/backoffice/page-state', async (original) => {
  const actual = await original<typeof import('../../admin/backoffice/page-state')>();
  return { ...actual, compactPage: (html: string) => (rendered.push(html), actual.compactPage(html)) };
});

const db = useTestDatabase();
let base = '';
let admin: AdminClient;
beforeAll(async () => {
  await loadWorld(db);
  const app = await startApp(db);
  base = app.base;
  admin = new AdminClient(base);
  expect((await admin.login('acme', 'admin')).status).toBe(302);
  return app.close;
});

const HASHED = /^\/admin\/frontend\/assets\/[a-z-]+\.bundle\.[0-9a-f]{12}\.js$/;

/** A page's HTML and the URLs it loads (script src, link href). */
async function page(path: string, cookie?: string) {
  const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  expect(res.status, path).toBe(200);
  const html = await res.text();
  const tags = [...html.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="([^"]+)"[^>]*>/g)];
  const loads = tags.filter((m) => !/rel="[^"]*icon/.test(m[0])).map((m) => m[1]!);
  const icons = tags.filter((m) => /rel="[^"]*icon/.test(m[0])).map((m) => m[1]!);
  return { html, loads, icons, res };
}

describe.each([
  ['the sign-in page', '/admin/login', false],
  ['a back-office list', '/admin/resources/deals', true],
])('%s', (_name, path, signedIn) => {
  it('loads only hashed scripts of its own origin, sent compressed and cached as immutable', async () => {
    const { loads } = await page(path, signedIn ? admin.cookie : undefined);
    expect(loads.length).toBeGreaterThanOrEqual(4);
    for (const url of loads) expect(url, 'a path on the app itself, hashed').toMatch(HASHED);
    for (const url of loads) {
      const plain = await fetch(`${base}${url}`, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-encoding')).toBeNull();
      const text = Buffer.from(await plain.arrayBuffer());
      for (const accept of ['br', 'gzip']) {
        const res = await fetch(`${base}${url}`, { headers: { 'accept-encoding': accept } });
        expect(res.headers.get('content-encoding'), `${url} ${accept}`).toBe(accept);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
        expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
        // (fetch decodes the body: the compressed bytes are what was sent, smaller than the file)
        expect(Number(res.headers.get('content-length'))).toBeLessThan(text.length / 2);
        expect(Buffer.from(await res.arrayBuffer()).equals(text)).toBe(true);
      }
    }
  });

  it('names a tab icon that the app serves (no 404 for it, nor for the /favicon.ico browsers ask for themselves)', async () => {
    const { icons } = await page(path, signedIn ? admin.cookie : undefined);
    expect(icons).toEqual(['/favicon.png']);
    for (const url of [...icons, '/favicon.ico']) {
      const res = await fetch(`${base}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    }
  });
});

it('the production bundles, not the development ones (no React development warnings, minified components)', async () => {
  const { loads } = await page('/admin/login');
  const global = await (await fetch(`${base}${loads.find((u) => u.includes('/global.bundle.'))}`)).text();
  expect(global).not.toContain('react.development');
  expect(global.length).toBeLessThan(1_500_000);
  const components = await (await fetch(`${base}${loads.find((u) => u.includes('/components.bundle.'))}`)).text();
  expect(components).toContain('AdminJS.UserComponents');
  expect(components.split('\n').length).toBeLessThan(50);
});

it('the back-office page itself is compressed when accepted', async () => {
  const res = await fetch(`${base}/admin/resources/deals`, { headers: { cookie: admin.cookie, 'accept-encoding': 'br, gzip' } });
  expect(res.status).toBe(200);
  expect(['br', 'gzip']).toContain(res.headers.get('content-encoding'));
});

it.each([
  '/admin/frontend/assets/app.bundle.js', // AdminJS's own unhashed name
  '/admin/frontend/assets/components.bundle.js',
  '/admin/frontend/assets/app.bundle.000000000000.js',
  '/admin/frontend/assets/..%2F..%2Fpackage.json',
  '/admin/frontend/assets/icomoon.css',
])('%s is a 404, not a 500', async (path) => {
  const res = await fetch(`${base}${path}`);
  expect(res.status).toBe(404);
  expect(res.headers.get('cache-control') ?? '').not.toMatch(/immutable/);
});

const STATE = /window\.REDUX_STATE = (.*);\n/;
/** The page's state as its script leaves it (escapes as JSON reads them). */
const pageState = (html: string) => new Function(`return ${STATE.exec(html)![1]}`)() as Record<string, any>;

it.each(['/admin/resources/deals', '/admin/resources/deals/records/1/show', '/admin', '/admin/pages/Analytics'])('%s: the inline state rebuilds into AdminJS\'s own, from far fewer bytes', async (path) => {
  rendered.length = 0;
  const res = await fetch(`${base}${path}`, { headers: { cookie: admin.cookie } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const original = rendered.find((h) => STATE.test(h))!;
  expect(original).toBeDefined();
  const theirs = JSON.parse(STATE.exec(original)![1]!.replace(/[\uE000-\uE004]/g, (c) => ({ '\uE000': '<', '\uE001': '>', '\uE002': '&', '\uE003': '\u2028', '\uE004': '\u2029' })[c]!));
  expect(pageState(html)).toEqual(theirs);
  expect(theirs.resources.length).toBeGreaterThan(20);
  // (AdminJS's 630 kB for 28 resources: a fifth of it)
  expect(html.length).toBeLessThan(original.length * 0.25);
});

it('the rebuilding script is plain text a browser runs as it is', () => {
  const expand = new Function(`return ${EXPAND_STATE}`)();
  expect(expand({ resources: [{ id: 'r', properties: { a: { name: 'a' } }, listProperties: ['a'], titleProperty: 'a', actions: [{ name: 'list' }], resourceActions: ['list'] }] })).toMatchObject({
    resources: [
      {
        listProperties: [{ name: 'a', propertyPath: 'a', label: 'a', resourceId: 'r', isId: false, custom: {}, subProperties: [] }],
        resourceActions: [{ name: 'list', label: 'list', resourceId: 'r', guard: '', variant: 'default', custom: {} }],
      },
    ],
  });
});
