// The back-office page's inline state (admin/backoffice/page-state.ts): much smaller than AdminJS's, and the
// script in the page rebuilds exactly AdminJS's.
import { beforeAll, expect, it, vi } from 'vitest';
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
