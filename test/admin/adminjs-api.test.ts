// Every resource through AdminJS's own API: an allowed role creates, shows, edits, lists, searches and
// deletes; a role without the permission gets 403 and no record data; nothing of another tenant shows up on
// any path, linked (populated) records included; no password anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../domain/resources';
import { useTestDatabase } from '../harness';
import { startApp } from '../http/client';
import { loadWorld, type World } from '../security/world';
import { AdminClient } from './client';

const db = useTestDatabase();
let world: World;
let app: Awaited<ReturnType<typeof startApp>>;
const clients: Record<string, AdminClient> = {};

/** Who may do what to each resource, by demo user: [creates and deletes, may not read it]. */
const WHO: Record<string, [string, string | null]> = {
  tenants: ['wsadmin', null],
  events: ['wsadmin', 'superadmin'],
  audit_log: ['wsadmin', 'director'],
  assistants: ['admin', 'director'],
  assistant_conversations: ['admin', 'director'],
  assistant_messages: ['admin', 'director'],
  assistant_documents: ['admin', 'director'],
  assistant_prospects: ['admin', 'director'],
};
const NOT_WRITABLE = new Set(['tenants', 'events', 'audit_log']);
const EDIT_FIELDS = ['description', 'notes', 'content', 'first_name', 'visitor_name', 'name', 'title', 'subject', 'type_name'];

beforeAll(async () => {
  world = await loadWorld(db);
  app = await startApp(db);
  for (const [tenant, user] of [['acme', 'wsadmin'], ['acme', 'admin'], ['acme', 'agent'], ['acme', 'director'], ['acme', 'superadmin'], ['globex', 'wsadmin']]) {
    const c = new AdminClient(app.base);
    expect((await c.login(tenant!, user!)).status).toBe(302);
    clients[`${tenant}/${user}`] = c;
  }
});
afterAll(() => app?.close());

const noPassword = (body: unknown) => expect(JSON.stringify(body)).not.toMatch(/argon2|"password"/);

describe.each([...resources.keys()])('%s', (name) => {
  it('is created, shown, edited, listed, searched and deleted by an allowed role', async () => {
    if (NOT_WRITABLE.has(name)) return;
    const username = WHO[name]?.[0] ?? 'wsadmin';
    const client = clients[`acme/${username}`]!;
    const actor = await world.actor('acme', username);
    const values = await world.sample(resources.get(name)!, actor);
    const created = await client.post(`/resources/${name}/actions/new`, values);
    expect(created.status, JSON.stringify(created.body?.record?.errors)).toBe(200);
    expect(created.body.record.errors).toEqual({});
    const id = created.body.record.params.id;
    expect(typeof id).toBe('number'); // the inserted row, not the input echoed back

    const shown = await client.get(`/resources/${name}/records/${id}/show`);
    expect(shown.status).toBe(200);
    expect(shown.body.record.params.tenant_id).toBe(world.tenant('acme'));
    noPassword(shown.body);

    const field = EDIT_FIELDS.find((f) => resources.get(name)!.columns.has(f))!;
    const edited = await client.post(`/resources/${name}/records/${id}/edit`, { [field]: 'Edited through AdminJS' });
    expect(edited.body.record.errors).toEqual({});
    expect(edited.body.record.params[field]).toBe('Edited through AdminJS');

    const listed = await client.get(`/resources/${name}/actions/list?perPage=500`);
    expect(listed.status).toBe(200);
    expect(listed.body.records.map((r: any) => r.id)).toContain(id);
    noPassword(listed.body);

    const deleted = await client.post(`/resources/${name}/records/${id}/delete`);
    expect(deleted.status).toBe(200);
    expect((await db.pool.query(`SELECT 1 FROM ${name} WHERE id = $1`, [id])).rowCount).toBe(0);
  });

  it('answers 403 without record data to a role that may not read it', async () => {
    const forbidden = WHO[name]?.[1];
    if (!forbidden) return;
    const client = clients[`acme/${forbidden}`]!;
    const own = (await db.pool.query(`SELECT id FROM ${name} WHERE tenant_id = $1 LIMIT 1`, [world.tenant('acme')])).rows[0];
    const list = await client.get(`/resources/${name}/actions/list`);
    expect(list.status).toBe(403);
    expect(list.body.records).toEqual([]);
    if (own) {
      const show = await client.get(`/resources/${name}/records/${own.id}/show`);
      expect(show.status).toBe(403);
      expect(show.body.record.params).toEqual({});
    }
  });

  it('shows nothing of the other tenant on show, edit, delete, list, search or linked records', async () => {
    const client = clients['acme/wsadmin']!;
    const tenantCol = name === 'tenants' ? 'id' : 'tenant_id';
    const foreign = (await db.pool.query(`SELECT * FROM ${name} WHERE ${tenantCol} = $1 ORDER BY id LIMIT 1`, [world.tenant('globex')])).rows[0];
    if (!foreign) return;
    const before = JSON.stringify(foreign);
    expect((await client.get(`/resources/${name}/records/${foreign.id}/show`)).status).toBe(404);
    expect((await client.post(`/resources/${name}/records/${foreign.id}/edit`, { name: 'pwned' })).status).toBe(404);
    expect((await client.post(`/resources/${name}/records/${foreign.id}/delete`)).status).toBe(404);
    const byId = await client.get(`/resources/${name}/actions/list?filters.id=${foreign.id}`);
    expect(byId.body.records).toEqual([]);
    const title = ['name', 'title', 'subject', 'username', 'email', 'type_name', 'event_name'].find((f) => typeof foreign[f] === 'string');
    if (title) {
      const search = await client.get(`/resources/${name}/actions/search/${encodeURIComponent(foreign[title])}`);
      expect(search.body.records.map((r: any) => r.id)).not.toContain(foreign.id);
    }
    const list = await client.get(`/resources/${name}/actions/list?perPage=500`);
    const acme = world.tenant('acme');
    for (const record of list.body.records ?? []) {
      expect(record.params[tenantCol]).toBe(acme);
      for (const linked of Object.values(record.populated ?? {}) as any[]) {
        if (linked?.params?.tenant_id !== undefined) expect(linked.params.tenant_id).toBe(acme);
      }
    }
    noPassword(list.body);
    expect(JSON.stringify((await db.pool.query(`SELECT * FROM ${name} WHERE id = $1`, [foreign.id])).rows[0])).toBe(before);
  });
});

describe('forms', () => {
  it('answers a GET of the create action with a 400 and a message, not a 500', async () => {
    const res = await clients['acme/admin']!.get('/resources/companies/actions/new');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/created with POST/);
  });

  it('shows a clear field message for bad JSON and writes nothing', async () => {
    const client = clients['acme/admin']!;
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM products')).rows[0].n;
    const res = await client.post('/resources/products/actions/new', { name: 'P', title: 'T', sale_price: '9.99', specifications: '{"weight": ' });
    expect(res.body.record.errors.specifications.message).toMatch(/not valid JSON/);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM products')).rows[0].n).toBe(before);
  });

  it('saves text[] lists, JSON objects, money and empty numbers correctly', async () => {
    const client = clients['acme/admin']!;
    const role = await client.post('/resources/roles/actions/new', { name: 'Form role', level: 1, permissions: ['view_own_data', 'manage_contacts'] });
    expect(role.body.record.errors).toEqual({});
    const stored = (await db.pool.query('SELECT permissions FROM roles WHERE id = $1', [role.body.record.params.id])).rows[0];
    expect(stored.permissions).toEqual(['view_own_data', 'manage_contacts']);

    const product = await client.post('/resources/products/actions/new', {
      name: 'Form product', title: 'Form product', sale_price: '19.9', specifications: { color: 'red', sizes: [1, 2] }, stock: '',
    });
    expect(product.body.record.errors).toEqual({});
    const row = (await db.pool.query('SELECT sale_price, specifications, stock FROM products WHERE id = $1', [product.body.record.params.id])).rows[0];
    expect(row).toEqual({ sale_price: '19.90', specifications: { color: 'red', sizes: [1, 2] }, stock: 0 });
  });

  it('refuses a reference to a record the user cannot see, naming the field', async () => {
    const client = clients['acme/agent']!;
    const foreignCompany = (await db.pool.query('SELECT id FROM companies WHERE tenant_id = $1 LIMIT 1', [world.tenant('globex')])).rows[0].id;
    const res = await client.post('/resources/contacts/actions/new', { first_name: 'A', last_name: 'B', email: 'ab@example.com', company_id: foreignCompany });
    expect(res.body.record.errors.company_id.message).toMatch(/no companies #\d+ that you can use/);
  });
});

describe('menus', () => {
  it('show an Agent only the resources their role may read', async () => {
    const page = await fetch(`${app.base}/admin`, { headers: { cookie: clients['acme/agent']!.cookie } });
    const html = await page.text();
    // (the page's state, compacted: rebuilt as the page's script does, admin/backoffice/page-state.ts)
    const state = new Function(`return ${/window\.REDUX_STATE = (.*);\n/.exec(html)![1]}`)();
    const visible = state.resources.filter((r: any) => r.href).map((r: any) => r.id).sort();
    expect(visible).not.toContain('assistants');
    expect(visible).not.toContain('audit_log');
    expect(visible).not.toContain('events');
    expect(visible).toContain('contacts');
    expect(visible).toContain('deals');
  });
});

describe('users', () => {
  it('keeps the password when the edit form leaves it blank, and hashes a new one', async () => {
    const client = clients['acme/admin']!;
    const agent = (await db.pool.query("SELECT id, password FROM users WHERE username = 'agent2' AND tenant_id = $1", [world.tenant('acme')])).rows[0];
    const kept = await client.post(`/resources/users/records/${agent.id}/edit`, { first_name: 'Renamed', password: '' });
    expect(kept.body.record.errors).toEqual({});
    expect((await db.pool.query('SELECT password FROM users WHERE id = $1', [agent.id])).rows[0].password).toBe(agent.password);
    const reset = await client.post(`/resources/users/records/${agent.id}/edit`, { password: 'a-fresh-secret-9' });
    expect(reset.body.record.errors).toEqual({});
    const stored = (await db.pool.query('SELECT password FROM users WHERE id = $1', [agent.id])).rows[0].password;
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toBe(agent.password);
    noPassword(reset.body);
  });
});
