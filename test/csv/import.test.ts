// POST /api/:resource/import over HTTP: a dry run previews each row and writes nothing; one bad row and nothing
// is written; a good file writes every row in one go, with audit rows. Every check is read back with plain SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../domain/csv/format';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from '../http/client';
import { demoTenant, type DemoTenant } from '../security/helpers';

const db = useTestDatabase();
let app: Awaited<ReturnType<typeof startApp>>;
let acme: DemoTenant;
let globex: DemoTenant;
const browsers: Record<string, Browser> = {};

/** POSTs a CSV (text/csv, or as the file of a multipart form) as an acme user. */
async function upload(username: string, resource: string, csv: string | string[][], opts: { dryRun?: boolean; multipart?: boolean; type?: string } = {}) {
  const text = typeof csv === 'string' ? csv : csv.map(csvLine).join('');
  // (origin: as the back office's own page sends it; admin/csrf.ts refuses a form post naming no origin)
  const headers: Record<string, string> = { cookie: browsers[username]!.cookie, origin: app.base };
  let body: string | FormData = text;
  if (opts.multipart) {
    body = new FormData();
    body.set('file', new Blob([text], { type: 'text/csv' }), 'deals.csv');
  } else headers['content-type'] = opts.type ?? 'text/csv';
  const res = await fetch(`${app.base}/api/${resource}/import${opts.dryRun ? '?dryRun=1' : ''}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

const count = async (sql: string, params: unknown[] = []) => Number((await db.pool.query(sql, params)).rows[0].n);
const dealCount = () => count('SELECT count(*) AS n FROM deals');
const auditCount = () => count('SELECT count(*) AS n FROM audit_log');

let companyOfAcme: number;
let companyOfGlobex: number;
let stageOfAcme: number;

beforeAll(async () => {
  await seedDemo(db);
  acme = await demoTenant(db, 'acme');
  globex = await demoTenant(db, 'globex');
  const ws1 = acme.users.manager!.workspace_id;
  companyOfAcme = (await db.pool.query('SELECT id FROM companies WHERE tenant_id = $1 AND (workspace_id = $2 OR workspace_id IS NULL) ORDER BY id LIMIT 1', [acme.id, ws1])).rows[0].id;
  companyOfGlobex = (await db.pool.query('SELECT id FROM companies WHERE tenant_id = $1 ORDER BY id LIMIT 1', [globex.id])).rows[0].id;
  stageOfAcme = (await db.pool.query('SELECT id FROM sales_stages WHERE tenant_id = $1 AND workspace_id IS NULL ORDER BY id LIMIT 1', [acme.id])).rows[0].id;
  app = await startApp(db);
  for (const username of ['manager', 'agent', 'director', 'admin']) {
    const b = new Browser(app.base);
    expect((await b.login('acme', username)).status).toBe(200);
    browsers[username] = b;
  }
});
afterAll(() => app?.close());

describe('dry run', () => {
  it('previews every row, with the errors of each row by field, and writes nothing', async () => {
    const [deals, audit] = [await dealCount(), await auditCount()];
    const res = await upload('manager', 'deals', [
      ['title', 'value', 'probability', 'company_id', 'expected_close_date'],
      ['Good deal', '1200.50', '40', String(companyOfAcme), '2026-12-01'],
      ['Bad value', 'lots', '40', '', ''],
      ['Bad probability', '10', '150', '', ''], // refused by the database's CHECK, found by the dry run too
      ['', '10', '', '', 'someday'],
    ], { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, written: false, total: 4, invalid: 3 });
    const [good, value, probability, empty] = res.body.rows;
    expect(good).toMatchObject({ row: 2, errors: {} });
    // The values as they would be stored: defaults filled in (owner = the importer), system fields left out.
    expect(good.values).toMatchObject({ title: 'Good deal', value: '1200.50', probability: 40, company_id: companyOfAcme, assigned_to_id: acme.users.manager!.id });
    expect(good.values).not.toHaveProperty('id');
    expect(value).toMatchObject({ row: 3, values: { title: 'Bad value', value: 'lots' } });
    expect(value.errors.value).toMatch(/must be a number/);
    expect(probability.row).toBe(4);
    expect(probability.errors.probability).toMatch(/between 0 and 100/);
    expect(empty.row).toBe(5);
    expect(empty.errors).toMatchObject({ title: expect.stringMatching(/required/), expected_close_date: expect.stringMatching(/date/) });
    expect([await dealCount(), await auditCount()]).toEqual([deals, audit]);
  });
});

describe('import', () => {
  it('writes nothing when one row is bad, and says which row and field', async () => {
    const [deals, audit] = [await dealCount(), await auditCount()];
    const res = await upload('manager', 'deals', [
      ['title', 'value'],
      ['Fine 1', '10'],
      ['Fine 2', '20'],
      ['Broken', '-5'],
      ['Fine 3', '30'],
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ written: false, total: 4, invalid: 1 });
    expect(res.body.rows).toEqual([{ row: 4, values: { title: 'Broken', value: '-5' }, errors: { value: expect.stringMatching(/negative/) } }]);
    expect(res.body.error).toMatch(/row 4: value/);
    expect([await dealCount(), await auditCount()]).toEqual([deals, audit]);
    expect(await count(`SELECT count(*) AS n FROM deals WHERE title LIKE 'Fine %'`)).toBe(0);
  });

  it('writes every row of a good file in one go, each with its audit row', async () => {
    const before = await dealCount();
    const rows = Array.from({ length: 1500 }, (_, i) => [`Imported ${i}`, String(100 + i), String(stageOfAcme), i % 2 ? '' : '2027-01-15']);
    const res = await upload('manager', 'deals', [['title', 'value', 'stage_id', 'expected_close_date'], ...rows]);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    expect(res.body).toMatchObject({ written: true, total: 1500, invalid: 0 });
    expect(res.body.ids).toHaveLength(1500);
    expect(await dealCount()).toBe(before + 1500);
    const { rows: stored } = await db.pool.query(
      `SELECT id, title, value, stage_id, expected_close_date, assigned_to_id, workspace_id, tenant_id FROM deals WHERE id = ANY($1) ORDER BY id`,
      [res.body.ids],
    );
    expect(stored).toHaveLength(1500);
    const manager = acme.users.manager!;
    expect(stored.every((d) => d.tenant_id === acme.id && d.assigned_to_id === manager.id && d.workspace_id === manager.workspace_id)).toBe(true);
    const byTitle = new Map(stored.map((d) => [d.title, d]));
    expect(byTitle.get('Imported 0')).toMatchObject({ value: '100.00', stage_id: stageOfAcme, expected_close_date: '2027-01-15' });
    expect(byTitle.get('Imported 1')).toMatchObject({ value: '101.00', expected_close_date: null });
    const audited = await count(
      `SELECT count(*) AS n FROM audit_log WHERE tenant_id = $1 AND resource = 'deals' AND action = 'create' AND actor_id = $2 AND record_id = ANY($3)`,
      [acme.id, manager.id, res.body.ids],
    );
    expect(audited).toBe(1500);
  });

  it("treats another tenant's ids in reference columns as errors of their row", async () => {
    const before = await dealCount();
    const res = await upload('manager', 'deals', [
      ['title', 'company_id'],
      ['Ours', String(companyOfAcme)],
      ['Theirs', String(companyOfGlobex)],
    ]);
    expect(res.status).toBe(400);
    expect(res.body.rows).toEqual([{ row: 3, values: { title: 'Theirs', company_id: String(companyOfGlobex) }, errors: { company_id: expect.stringMatching(new RegExp(`no companies #${companyOfGlobex}`)) } }]);
    expect(await dealCount()).toBe(before);
  });

  it('applies the scope and field checks of create to each row', async () => {
    // An Agent imports deals (manage_deals) but only into his own scope.
    const agent2 = acme.users.agent2!.id;
    const res = await upload('agent', 'deals', [
      ['title', 'assigned_to_id'],
      ['Mine', String(acme.users.agent!.id)],
      ["Someone else's", String(agent2)],
    ], { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.rows[0].errors).toEqual({});
    expect(res.body.rows[1]).toMatchObject({ row: 3, errors: { assigned_to_id: expect.stringMatching(/You may not create this deals record/) } });
  });

  it('hashes passwords of imported users and never answers with them', async () => {
    const res = await upload('admin', 'users', [
      ['username', 'email', 'first_name', 'last_name', 'password', 'role_id'],
      ['imported1', 'imported1@acme.test', 'Imp', 'One', 'a-long-password-1', String(acme.roles[1])],
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { rows: [user] } = await db.pool.query('SELECT password FROM users WHERE id = $1', [res.body.ids[0]]);
    expect(user.password).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(res.body)).not.toMatch(/a-long-password|argon2/);
  });

  it("reports the database's own refusals (a unique name used twice in the file) on the rows at fault", async () => {
    const role = String(acme.roles[1]);
    const res = await upload('admin', 'users', [
      ['username', 'email', 'first_name', 'last_name', 'password', 'role_id'],
      ['twin', 'twin1@acme.test', 'T', 'One', 'a-long-password-1', role],
      ['other', 'other@acme.test', 'O', 'Two', 'a-long-password-1', role],
      ['TWIN', 'twin2@acme.test', 'T', 'Two', 'a-long-password-1', role],
    ]);
    expect(res.status).toBe(400);
    expect(res.body.rows).toEqual([{ row: 4, values: expect.objectContaining({ username: 'TWIN' }), errors: { username: 'is already used' } }]);
    expect(await count(`SELECT count(*) AS n FROM users WHERE lower(username) IN ('twin', 'other')`)).toBe(0);
  });

  it('takes a multipart file, a BOM, CRLF, quoted cells and cells exported as neutralised formulas', async () => {
    const text = `\uFEFFtitle,description\r\n"'=1+2","line one\r\nline two, with ""quotes"""\r\n`;
    const res = await upload('manager', 'deals', text, { multipart: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { rows: [deal] } = await db.pool.query('SELECT title, description FROM deals WHERE id = $1', [res.body.ids[0]]);
    expect(deal).toEqual({ title: '=1+2', description: 'line one\r\nline two, with "quotes"' });
  });
});

describe('refusals of the whole file', () => {
  it('needs import (manage_X) on the resource', async () => {
    const res = await upload('manager', 'users', [['username'], ['x']]);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/import users/);
    expect((await upload('director', 'audit_log', [['resource'], ['x']])).status).toBe(403);
  });

  it('names unknown columns, and ignores system columns', async () => {
    const unknown = await upload('manager', 'deals', [['title', 'colour', 'size'], ['x', 'red', 'L']]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/colour is not a column of deals; size is not a column of deals/);
    expect(unknown.body.fields).toEqual({ colour: 'is not a column of deals', size: 'is not a column of deals' });
    // System columns are what an export writes: an import ignores them (and says so), never writes them.
    for (const system of ['id', 'tenant_id', 'created_at', 'updated_at']) {
      const res = await upload('manager', system === 'updated_at' ? 'products' : 'deals', [['title', system], ['x', '1']], { dryRun: true });
      expect(res.status).toBe(200);
      expect(res.body.ignored).toEqual([system]);
      expect(res.body.rows[0].values).not.toHaveProperty(system);
    }
  });

  it('refuses empty files, rows with the wrong number of cells (as row errors), broken quoting and other encodings', async () => {
    expect((await upload('manager', 'deals', '')).status).toBe(400);
    expect((await upload('manager', 'deals', 'title\r\n')).body.error).toMatch(/no rows/);
    const cells = await upload('manager', 'deals', 'title,value\nA,1\nB\nC,3,4\n');
    expect(cells.status).toBe(400);
    expect(cells.body.rows.map((r: any) => [r.row, r.errors._row])).toEqual([[3, 'has 1 cells; the header has 2'], [4, 'has 3 cells; the header has 2']]);
    expect((await upload('manager', 'deals', 'title\n"open')).body.error).toMatch(/Row 2 .*never closed/);
    expect((await upload('manager', 'deals', 'title\nx', { type: 'application/json' })).status).toBe(400);
    const latin1 = await fetch(`${app.base}/api/deals/import`, {
      method: 'POST',
      headers: { cookie: browsers.manager!.cookie, 'content-type': 'text/csv' },
      body: Buffer.from('title\ncaf\xe9\n', 'latin1'),
    });
    expect(latin1.status).toBe(400);
    expect(await dealCount()).toBeGreaterThan(0);
  });

  it('answers 413 above 10,000 rows or 5 MB', async () => {
    const rows = await upload('manager', 'deals', `title\n${'x\n'.repeat(10_001)}`);
    expect(rows.status).toBe(413);
    expect(rows.body.error).toMatch(/10001 rows; at most 10000/);
    const big = await upload('manager', 'deals', `title,description\n${`x,${'y'.repeat(1000)}\n`.repeat(5300)}`);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/larger than 5 MB/);
  });
});
