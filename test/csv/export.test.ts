// GET /api/:resource/export.csv over HTTP: exactly the rows the user may read (computed here with plain SQL),
// in the list's order across many pages, only readable fields, formula cells neutralised, 403 without
// export_data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../domain/csv/format';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from '../http/client';
import { demoTenant, type DemoTenant } from '../security/helpers';

const db = useTestDatabase();
let app: Awaited<ReturnType<typeof startApp>>;
let acme: DemoTenant;
let globex: DemoTenant;
const browsers: Record<string, Browser> = {};

/** Signed-in browser of an acme user. */
const as = (username: string) => browsers[username]!;

/** The file as header + records (cells keyed by column). */
function table(text: string) {
  const [header, ...rows] = parseCsv(text).map((r) => r.cells);
  return { header: header!, rows: rows.map((cells) => Object.fromEntries(header!.map((h, k) => [h, cells[k]!]))) };
}

/** Ids of acme deals the manager may read, in the list's default order (SQL written here, not the layer's). */
async function managerDeals(order = 'created_at DESC, id DESC', extra = 'true', params: unknown[] = []): Promise<string[]> {
  const manager = acme.users.manager!;
  const { rows } = await db.pool.query<{ id: number }>(
    `WITH RECURSIVE team AS (SELECT id FROM users WHERE id = $2 UNION SELECT u.id FROM users u JOIN team t ON u.manager_id = t.id)
     SELECT id FROM deals
      WHERE tenant_id = $1
        AND coalesce(assigned_to_id IN (SELECT id FROM team) OR supervisor_id IN (SELECT id FROM team), false)
        AND (workspace_id = $3 OR workspace_id IS NULL)
        AND (${extra})
      ORDER BY ${order}`,
    [acme.id, manager.id, manager.workspace_id, ...params],
  );
  return rows.map((r) => String(r.id));
}

async function insertDeals(count: number, values: (i: number) => Record<string, unknown>) {
  for (let at = 0; at < count; at += 500) {
    const batch = Array.from({ length: Math.min(500, count - at) }, (_, k) => values(at + k));
    const cols = Object.keys(batch[0]!);
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${cols.map((c) => `$${params.push(row[c])}`).join(', ')})`);
    await db.pool.query(`INSERT INTO deals (${cols.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

beforeAll(async () => {
  await seedDemo(db);
  acme = await demoTenant(db, 'acme');
  globex = await demoTenant(db, 'globex');
  const [ws1, ws2] = acme.workspaces;
  const agent = acme.users.agent!; // in the manager's team and workspace
  const agent3 = acme.users.agent3!; // manager2's team
  expect(agent.manager_id).toBe(acme.users.manager!.id);
  // Many rows, most of them sharing one created_at (keyset pages must break ties by id), some without value
  // (NULLs in a nullable sort column), and rows just outside the scope: other team, other workspace, other tenant.
  const same = '2026-03-01 10:00:00.123456';
  await insertDeals(1200, (i) => ({
    title: `Bulk deal ${i}`,
    value: i % 7 === 0 ? null : String(1000 + (i % 13) * 10),
    assigned_to_id: agent.id,
    workspace_id: i % 3 === 0 ? null : ws1,
    tenant_id: acme.id,
    created_at: i % 4 === 0 ? `2026-02-0${1 + (i % 9)} 08:00:00.000001` : same,
  }));
  await insertDeals(30, (i) => ({ title: `Other team ${i}`, assigned_to_id: agent3.id, workspace_id: ws1, tenant_id: acme.id }));
  await insertDeals(30, (i) => ({ title: `Other workspace ${i}`, assigned_to_id: agent.id, workspace_id: ws2, tenant_id: acme.id }));
  await insertDeals(30, (i) => ({ title: `Globex ${i}`, assigned_to_id: globex.users.agent!.id, tenant_id: globex.id }));
  await insertDeals(6, (i) => ({
    title: ['=HYPERLINK("http://evil.test","click")', '+1+2', '-3', '@SUM(A1:A9)', 'comma, "quoted"\nand a line break', '\tTabbed'][i],
    description: i === 0 ? '=cmd|" /C calc"!A0' : null,
    assigned_to_id: agent.id,
    workspace_id: ws1,
    tenant_id: acme.id,
  }));

  app = await startApp(db);
  for (const username of ['manager', 'agent', 'director']) {
    const b = new Browser(app.base);
    expect((await b.login('acme', username)).status).toBe(200);
    browsers[username] = b;
  }
});
afterAll(() => app?.close());

describe('export as a Sales Manager (export_data, team scope)', () => {
  it('contains exactly the deals he may read, in the list order, across many pages', async () => {
    const res = await as('manager').call('GET', '/api/deals/export.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="deals-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body).toMatch(/\r\n$/);
    const { rows } = table(res.body as string);
    const expected = await managerDeals();
    expect(expected.length).toBeGreaterThan(1000); // more than two pages of 500
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(rows.some((r) => /Other team|Other workspace|Globex/.test(r.title!))).toBe(false);
  });

  it('applies the list sort, NULLs included, both ways', async () => {
    for (const [direction, order] of [['asc', 'value ASC NULLS LAST, id ASC'], ['desc', 'value DESC NULLS FIRST, id DESC']] as const) {
      const res = await as('manager').call('GET', `/api/deals/export.csv?sortBy=value&direction=${direction}`);
      expect(res.status).toBe(200);
      expect(table(res.body as string).rows.map((r) => r.id)).toEqual(await managerDeals(order));
    }
  });

  it('applies the list search and filters', async () => {
    const res = await as('manager').call('GET', `/api/deals/export.csv?q=${encodeURIComponent('bulk deal 11')}&filters[value][from]=1050`);
    expect(res.status).toBe(200);
    const expected = await managerDeals('created_at DESC, id DESC', `title ILIKE '%bulk deal 11%' AND value >= $4`, [1050]);
    expect(expected.length).toBeGreaterThan(3);
    expect(table(res.body as string).rows.map((r) => r.id)).toEqual(expected);
  });

  it('writes cells as RFC 4180 and neutralises formulas', async () => {
    const res = await as('manager').call('GET', '/api/deals/export.csv?columns=id,title,description,value');
    const text = res.body as string;
    const { header, rows } = table(text);
    expect(header).toEqual(['id', 'title', 'description', 'value']);
    const titles = rows.map((r) => r.title);
    expect(titles).toContain(`'=HYPERLINK("http://evil.test","click")`);
    expect(titles).toEqual(expect.arrayContaining(["'+1+2", "'-3", "'@SUM(A1:A9)", "'\tTabbed", 'comma, "quoted"\nand a line break']));
    expect(rows.find((r) => r.title!.includes('HYPERLINK'))!.description).toBe(`'=cmd|" /C calc"!A0`);
    // As bytes: the quoted cell, quotes doubled; no cell of the file starts with a formula character.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(text).toContain('"comma, ""quoted""\nand a line break"');
    for (const r of rows) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+@\t\r]/);
    // Numbers of numeric columns stay numbers; NULL is an empty cell.
    expect(rows.some((r) => r.value === '')).toBe(true);
    expect(rows.filter((r) => r.value !== '').every((r) => /^\d+\.\d{2}$/.test(r.value!))).toBe(true);
  });

  it('has every readable field of users but never the password', async () => {
    const res = await as('manager').call('GET', '/api/users/export.csv');
    expect(res.status).toBe(200);
    const { header, rows } = table(res.body as string);
    expect(header).not.toContain('password');
    expect(header).toEqual(expect.arrayContaining(['id', 'username', 'email', 'role_id', 'manager_id']));
    expect(res.body).not.toMatch(/argon2/);
    const { rows: expected } = await db.pool.query<{ id: number }>(
      'SELECT id FROM users WHERE tenant_id = $1 AND (workspace_id = $2 OR workspace_id IS NULL) ORDER BY created_at DESC, id DESC',
      [acme.id, acme.users.manager!.workspace_id],
    );
    expect(rows.map((r) => r.id)).toEqual(expected.map((u) => String(u.id)));
    const asked = await as('manager').call('GET', '/api/users/export.csv?columns=username,password');
    expect(asked.status).toBe(400);
    expect(asked.body.fields).toHaveProperty('password');
  });

  it('writes JSON and lists as JSON text', async () => {
    const roles = table((await as('manager').call('GET', '/api/roles/export.csv?sortBy=level&direction=asc')).body as string).rows;
    expect(JSON.parse(roles[0]!.permissions!)).toEqual(expect.arrayContaining(['view_own_data', 'manage_deals']));
    const products = table((await as('manager').call('GET', '/api/products/export.csv')).body as string).rows;
    const withSpecs = products.find((p) => p.specifications !== '')!;
    const { rows: [stored] } = await db.pool.query('SELECT specifications FROM products WHERE id = $1', [Number(withSpecs.id)]);
    expect(JSON.parse(withSpecs.specifications!)).toEqual(stored.specifications);
  });
});

describe('who may export', () => {
  it('an Agent (no export_data) gets 403 and no data', async () => {
    const res = await as('agent').call('GET', '/api/deals/export.csv');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(JSON.stringify(res.body)).not.toMatch(/Bulk deal/);
  });

  it('needs read too: a Director may not export the audit log he may not read', async () => {
    expect((await as('director').call('GET', '/api/audit_log/export.csv')).status).toBe(403);
    expect((await as('director').call('GET', '/api/deals/export.csv?columns=id')).status).toBe(200);
  });

  it('refuses anonymous users, unknown resources and bad queries before sending anything', async () => {
    expect((await new Browser(app.base).call('GET', '/api/deals/export.csv')).status).toBe(401);
    expect((await as('manager').call('GET', '/api/nothing/export.csv')).status).toBe(404);
    expect((await as('manager').call('GET', '/api/deals/export.csv?sortBy=nope')).status).toBe(400);
    expect((await as('manager').call('GET', '/api/deals/export.csv?direction=up')).status).toBe(400);
  });
});

describe('references in an export', () => {
  it("write the referenced record's title beside its id, 'Restricted' where the reader may not read it, and import back unchanged", async () => {
    const [ws1] = acme.workspaces;
    const agent = acme.users.agent!;
    const hidden = (await db.pool.query(
      `SELECT id, first_name, last_name FROM contacts WHERE tenant_id = $1 AND assigned_to_id = $2 ORDER BY id LIMIT 1`,
      [acme.id, acme.users.agent3!.id], // manager2's team: the manager may not read it
    )).rows[0];
    const mine = (await db.pool.query(`SELECT id, first_name || ' ' || last_name AS name FROM contacts WHERE tenant_id = $1 AND assigned_to_id = $2 ORDER BY id LIMIT 1`, [acme.id, agent.id])).rows[0];
    const company = (await db.pool.query(`SELECT id, name FROM companies WHERE tenant_id = $1 AND (workspace_id = $2 OR workspace_id IS NULL) ORDER BY id LIMIT 1`, [acme.id, ws1])).rows[0];
    await insertDeals(1, () => ({ title: 'Ref deal hidden contact', assigned_to_id: agent.id, contact_id: hidden.id, company_id: company.id, workspace_id: ws1, tenant_id: acme.id }));
    await insertDeals(1, () => ({ title: 'Ref deal own contact', assigned_to_id: agent.id, contact_id: mine.id, company_id: company.id, workspace_id: ws1, tenant_id: acme.id }));

    const res = await as('manager').call('GET', `/api/deals/export.csv?q=${encodeURIComponent('Ref deal')}`);
    expect(res.status).toBe(200);
    const { header, rows } = table(res.body as string);
    expect(header).toEqual(expect.arrayContaining(['contact_id', 'contact_id (title)', 'company_id', 'company_id (title)', 'assigned_to_id (title)']));
    expect(header.indexOf('contact_id (title)')).toBe(header.indexOf('contact_id') + 1);
    const byTitle = Object.fromEntries(rows.map((r) => [r.title, r]));
    expect(byTitle['Ref deal hidden contact']).toMatchObject({ contact_id: String(hidden.id), 'contact_id (title)': 'Restricted', 'company_id (title)': company.name });
    expect(byTitle['Ref deal own contact']).toMatchObject({ contact_id: String(mine.id), 'contact_id (title)': mine.name, 'company_id (title)': company.name });
    expect(res.body as string).not.toContain(`${hidden.first_name} ${hidden.last_name}`);

    // What the export wrote imports back (a dry run): the title columns are ignored, the ids are the references.
    const own = (res.body as string).split('\r\n').filter((line, k) => k === 0 || line.includes('Ref deal own contact')).join('\r\n') + '\r\n';
    const imported = await fetch(`${app.base}/api/deals/import?dryRun=1`, {
      method: 'POST',
      headers: { cookie: as('manager').cookie, origin: app.base, 'content-type': 'text/csv' },
      body: own,
    });
    const report = (await imported.json()) as any;
    expect(imported.status).toBe(200);
    expect(report.ignored).toEqual(expect.arrayContaining(['contact_id (title)', 'company_id (title)']));
    expect(report.invalid).toBe(0);
    expect(report.rows[0].values).toMatchObject({ title: 'Ref deal own contact', contact_id: mine.id, company_id: company.id });
  });
});
