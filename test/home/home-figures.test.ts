// The home page per role: every figure it shows equals the total of the back-office list it links to, fetched
// through AdminJS's own list API with the link's query string (the same filters, the same scoped layer), and
// a figure's value equals the sum of the values of the records of that list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/demo-data';
import { AdminClient } from '../admin/client';
import { useTestDatabase } from '../harness';
import { startApp } from '../http/client';

const db = useTestDatabase();
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  await seedDemo(db);
  app = await startApp(db);
});
afterAll(() => app?.close());

interface Figure {
  label: string;
  count: number;
  sum?: string;
  href: string;
}

/** Every record of the list behind `href`, page by page, and its total. */
async function listOf(client: AdminClient, href: string) {
  const url = new URL(href, app.base);
  const records: Record<string, unknown>[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    url.searchParams.set('page', String(page));
    url.searchParams.set('perPage', '500');
    const res = await client.get(`${url.pathname.replace('/admin', '')}/actions/list${url.search}`);
    expect(res.status, href).toBe(200);
    total = res.body.meta.total;
    records.push(...res.body.records.map((r: { params: Record<string, unknown> }) => r.params));
    if (records.length >= total || res.body.records.length === 0) break;
  }
  return { total, records };
}

const cents = (v: unknown) => Math.round(Number(v ?? 0) * 100);

describe.each([
  ['agent', 'agent', ['Open deals', 'Activities', 'Leads'], 6],
  ['manager', 'manager', ['Open deals', 'Activities', 'Leads', 'Team pipeline by stage'], 7],
  ['director', 'director', ['Open pipeline by stage', 'Deals won (by close date)', 'Leads'], 4],
  ['admin', 'admin', ['Changed in the last 7 days', 'In use'], 4],
] as const)('the home of the %s', (role, username, titles, atLeast) => {
  it('shows its sections, and every figure equals the total (and value) of the list it links to', async () => {
    const client = new AdminClient(app.base);
    expect((await client.login('acme', username)).status).toBe(302);
    const home = await client.get('/dashboard');
    expect(home.status).toBe(200);
    expect(home.body.role).toBe(role);
    expect(home.body.sections.map((s: { title: string }) => s.title)).toEqual(titles);
    const figures: Figure[] = home.body.sections.flatMap((s: { figures: Figure[] }) => s.figures);
    expect(figures.length, 'figures (none left out as unreadable)').toBeGreaterThanOrEqual(atLeast);
    expect(figures.some((f) => f.count > 0), 'some figure is not zero').toBe(true);
    for (const f of figures) {
      const list = await listOf(client, f.href);
      expect(list.total, `${f.label}: ${f.href}`).toBe(f.count);
      if (f.sum !== undefined) expect(cents(f.sum), `${f.label} value`).toBe(list.records.reduce((a, r) => a + cents(r.value), 0));
    }
    expect(JSON.stringify(home.body)).not.toMatch(/argon2|"password"|key_hash/);
  });
});

it('the agent counts only their own work, the manager their team, the director the pipeline of all', async () => {
  const totals: Record<string, number> = {};
  for (const username of ['agent', 'manager', 'director']) {
    const client = new AdminClient(app.base);
    await client.login('acme', username);
    const { body } = await client.get('/dashboard');
    const open = body.sections.flatMap((s: { figures: Figure[] }) => s.figures).filter((f: Figure) => /probability/.test(f.href));
    totals[username] = open.filter((f: Figure) => username === 'director' || f.label === 'Open deals').reduce((a: number, f: Figure) => a + f.count, 0);
  }
  expect(totals.agent).toBeLessThanOrEqual(totals.manager!);
  expect(totals.manager).toBeLessThan(totals.director!);
});
