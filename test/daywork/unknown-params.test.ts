// Unknown query parameters on the JSON API are a 400 naming them, never silently ignored (`?limit=2` is not
// `perPage`), and the known ones keep working.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { Browser, useDemoApp } from '../http/client';

const db = useTestDatabase();
const app = useDemoApp(db);
let api: Browser;
let contact: number;
let pipeline: number;

beforeAll(async () => {
  api = new Browser(app.base);
  expect((await api.login('acme', 'admin')).status).toBe(200);
  contact = (await api.call('GET', '/api/contacts?perPage=1')).body.records[0].id;
  pipeline = (await api.call('GET', '/api/sales_pipelines?perPage=1')).body.records[0].id;
});

describe('unknown query parameters', () => {
  it('?limit=2 on a list is a 400 that names limit and says what the list takes', async () => {
    const res = await api.call('GET', '/api/contacts?limit=2');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/limit/);
    expect(res.body.error).toMatch(/perPage/);
    expect(res.body.fields).toEqual({ limit: 'unknown parameter' });
  });

  it('names every unknown parameter, on every route of the API', async () => {
    const many = await api.call('GET', '/api/contacts?limit=2&offset=4&perPage=3');
    expect(many.status).toBe(400);
    expect(Object.keys(many.body.fields).sort()).toEqual(['limit', 'offset']);
    for (const [method, path] of [
      ['GET', `/api/contacts/${contact}?fields=email`],
      ['GET', `/api/contacts/${contact}/history?limit=1`],
      ['PATCH', `/api/contacts/${contact}?force=1`],
      ['GET', '/api/contacts/export.csv?limit=5'],
      ['POST', '/api/contacts/import?dry_run=1'],
      ['GET', `/api/crm/pipelines/${pipeline}/board?per_column=2`],
      ['GET', '/api/crm/duplicates?resource=contacts&email=a@b.test&exclude=1'],
    ]) {
      const res = await api.call(method!, path!, method === 'PATCH' ? {} : undefined);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error, path).toMatch(/Unknown query parameter/);
    }
  });

  it('the known parameters still work', async () => {
    const res = await api.call('GET', '/api/contacts?perPage=2&page=1&sortBy=last_name&direction=asc&q=a&filters[status]=active');
    expect(res.status).toBe(200);
    expect(res.body.records.length).toBeLessThanOrEqual(2);
    expect((await api.call('GET', `/api/crm/pipelines/${pipeline}/board?perColumn=2`)).status).toBe(200);
  });
});
