// Two tenants of the same shape. The strongest user of acme (level 6, every permission, all data) probes
// every resource of globex through every path of the data layer and gets nothing of it.
import { beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../domain/resources';
import type { Actor } from '../../domain/scoped-data';
import { useTestDatabase } from '../harness';
import { loadWorld, outcome, type World } from './world';

const db = useTestDatabase();
let world: World;
let attacker: Actor;
let acme: number;
let globex: number;

beforeAll(async () => {
  world = await loadWorld(db);
  attacker = await world.actor('acme', 'wsadmin');
  acme = world.tenant('acme');
  globex = world.tenant('globex');
  // Give globex an audit trail too (seeding is not audited).
  await world.data.create(await world.actor('globex', 'admin'), 'companies', { name: 'Globex probe target' });
});

const readable = [...resources.keys()];
const foreignId = async (name: string) =>
  (await world.one(`SELECT id FROM ${name} WHERE ${name === 'tenants' ? 'id' : 'tenant_id'} = $1 ORDER BY id LIMIT 1`, [globex])).id as number;

describe.each(readable)('%s', (name) => {
  it('shows, lists, links, changes and deletes nothing of the other tenant', async () => {
    const id = await foreignId(name);
    const before = await db.pool.query(`SELECT * FROM ${name} WHERE id = $1`, [id]);

    expect(await outcome(world.data.get(attacker, name, id))).toBe('not_found');
    expect(await world.data.findMany(attacker, name, [id])).toEqual([]);
    const byId = await world.data.list(attacker, name, { filters: { id } });
    expect(byId).toEqual({ records: [], total: 0 });
    if (resources.get(name)!.columns.has('tenant_id')) {
      const injected = await world.data.list(attacker, name, { filters: { tenant_id: globex } });
      expect(injected).toEqual({ records: [], total: 0 });
    }
    // Search (reference dropdowns, autocomplete) by the foreign row's own title finds none of it.
    const title = ['name', 'title', 'subject', 'email', 'username', 'type_name', 'level', 'event_name'].find((f) =>
      resources.get(name)!.columns.has(f),
    );
    const text = title && before.rows[0]?.[title];
    if (typeof text === 'string') {
      const found = await world.data.list(attacker, name, { q: text });
      expect(found.records.filter((row) => row.id === id)).toEqual([]);
    }
    // Every row any list returns is acme's.
    const all = await world.data.list(attacker, name, { perPage: 500 });
    for (const row of all.records) expect(row.tenant_id ?? row.id).toBe(acme);

    const field = [...resources.get(name)!.columns.keys()].find((f) => ['name', 'title', 'description', 'content', 'subject'].includes(f));
    if (field) expect(['not_found', 'forbidden']).toContain(await outcome(world.data.update(attacker, name, id, { [field]: 'pwned' })));
    expect(['not_found', 'forbidden']).toContain(await outcome(world.data.remove(attacker, name, id)));
    expect(['not_found', 'forbidden']).toContain(await outcome(world.data.removeMany(attacker, name, [id])));

    // The row is untouched.
    expect((await db.pool.query(`SELECT * FROM ${name} WHERE id = $1`, [id])).rows).toEqual(before.rows);
  });

  it('refuses a tenant_id in the payload', async () => {
    const r = resources.get(name)!;
    if (!r.columns.has('tenant_id')) return;
    const payload = { ...(await world.sample(r, attacker)), tenant_id: globex };
    expect(['forbidden']).toContain(await outcome(world.data.create(attacker, name, payload)));
  });
});

const withReferences = [...resources.values()].filter((r) => r.references.length > 0);

describe.each(withReferences.map((r) => r.name))('references of %s', (name) => {
  it('cannot point at another tenant on create or update', async () => {
    const r = resources.get(name)!;
    for (const ref of r.references) {
      const foreign = await foreignId(ref.target);
      const payload = { ...(await world.sample(r, attacker)), [ref.column]: foreign };
      const created = await outcome(world.data.create(attacker, name, payload));
      // Resources the attacker may not create at all answer 403 before any reference is looked at.
      expect(['invalid', 'forbidden'], `${name}.${ref.column} on create`).toContain(created);
    }
    const own = await world.data.list(attacker, name, { perPage: 1 }).catch(() => null);
    const row = own?.records[0];
    if (!row) return;
    for (const ref of r.references) {
      const result = await outcome(world.data.update(attacker, name, row.id, { [ref.column]: await foreignId(ref.target) }));
      expect(['invalid', 'forbidden'], `${name}.${ref.column} on update`).toContain(result);
    }
  });
});

it('no acme record refers to a globex record after the probe', async () => {
  for (const r of withReferences) {
    for (const ref of r.references) {
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM ${r.name} x JOIN ${ref.target} y ON y.id = x.${ref.column} WHERE x.tenant_id <> y.tenant_id`,
      );
      expect(rows[0].n, `${r.name}.${ref.column}`).toBe(0);
    }
  }
});
