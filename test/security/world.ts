// Test fixture for the security tests: the demo tenants (same shape), actors by username, and rows
// written by the system connection (superuser: no tenant context, no audit) for the layer to act on.
import { randomUUID } from 'node:crypto';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { DomainError } from '../../domain/errors';
import { resources, type Resource } from '../../domain/resources';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { seedDemo } from '../../scripts/demo-data';
import type { TestDatabase } from '../harness';

// A real argon2id hash (of 'matrix-pass-1'), for rows the system writes directly.
export const HASH = '$argon2id$v=19$m=19456,t=2,p=1$rC2iBoH6+GwkhsYIQgskVg$spDc8X+iUNP5xdUlPsUXfmxgvwh2uFSv+wx14kFRpfE';

export interface World {
  data: ScopedData;
  tenant: (subdomain: string) => number;
  actor: (subdomain: string, username: string) => Promise<Actor>;
  one: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>>;
  sample: (r: Resource, actor: Actor, tenantId?: number) => Promise<Record<string, unknown>>;
  insertAsSystem: (r: Resource, values: Record<string, unknown>) => Promise<number>;
}

let counter = 0;

export async function loadWorld(db: TestDatabase): Promise<World> {
  await seedDemo(db);
  const data = new ScopedData(db);
  const { rows: tenantRows } = await db.pool.query<{ id: number; subdomain: string }>('SELECT id, subdomain FROM tenants');
  const tenantIds = new Map(tenantRows.map((t) => [t.subdomain, t.id]));
  const tenant = (s: string) => tenantIds.get(s)!;
  const one = async (sql: string, params: unknown[] = []) => {
    const { rows } = await db.pool.query(sql, params);
    if (!rows[0]) throw new Error(`fixture query found nothing: ${sql}`);
    return rows[0] as Record<string, unknown>;
  };
  const actor = async (s: string, username: string) => {
    const u = await one('SELECT id FROM users WHERE tenant_id = $1 AND username = $2', [tenant(s), username]);
    return data.actor(tenant(s), u.id as number);
  };

  /** A valid payload for `r`: required columns filled, required references pointing at usable rows. */
  async function sample(r: Resource, a: Actor, tenantId = a.principal.tenantId): Promise<Record<string, unknown>> {
    const n = ++counter;
    const values: Record<string, unknown> = {};
    const refs = new Map(r.references.map((x) => [x.column, x.target]));
    for (const [name, col] of r.columns) {
      if (!col.notNull || col.hasDefault || ['id', 'tenant_id'].includes(name)) continue;
      const target = refs.get(name);
      values[name] = target ? await referenceFor(target, a, tenantId, values) : plain(r, name, col, n);
    }
    if (r.name === 'users') Object.assign(values, { username: `matrix${n}`, email: `matrix${n}@matrix.test`, password: 'matrix-pass-1' });
    if (r.name === 'roles') Object.assign(values, { level: 1, permissions: ['view_own_data'] });
    if (r.name === 'product_offers') Object.assign(values, { discount_type: 'percentage', discount_value: '10.00' });
    if (r.name === 'sales_stages') values.order = 100 + n;
    if (r.name === 'assistant_conversations') values.visitor_id = randomUUID();
    if (r.name === 'audit_log') Object.assign(values, { resource: 'contacts', record_id: 1, action: 'create' });
    return values;
  }

  function plain(r: Resource, name: string, col: PgColumn, n: number): unknown {
    const e = (col as { enumValues?: string[] }).enumValues;
    if (e?.length) return e[0];
    if (name.includes('email')) return `m${n}@matrix.test`;
    switch (col.columnType) {
      case 'PgInteger':
        return 1;
      case 'PgNumeric':
        return '1.00';
      case 'PgBoolean':
        return false;
      default:
        return `Matrix ${r.name} ${n}`;
    }
  }

  async function referenceFor(target: string, a: Actor, tenantId: number, so: Record<string, unknown>) {
    const me = a.principal.tenantId === tenantId ? a.principal.userId : (await one('SELECT id FROM users WHERE tenant_id = $1 ORDER BY id LIMIT 1', [tenantId])).id;
    if (target === 'users') return me;
    if (target === 'roles') return (await one(`SELECT id FROM roles WHERE tenant_id = $1 AND level = 1`, [tenantId])).id;
    if (target === 'agent_conversations') {
      return (await one(`INSERT INTO agent_conversations (user_id, title, tenant_id) VALUES ($1, 'matrix', $2) RETURNING id`, [me, tenantId])).id;
    }
    if (target === 'assistant_conversations') {
      const assistant = so.assistant_id ?? (await one('SELECT id FROM assistants WHERE tenant_id = $1 ORDER BY id LIMIT 1', [tenantId])).id;
      return (await one('SELECT id FROM assistant_conversations WHERE tenant_id = $1 AND assistant_id = $2 ORDER BY id LIMIT 1', [tenantId, assistant])).id;
    }
    const hasWs = resources.get(target)?.workspaced;
    return (await one(`SELECT id FROM ${target} WHERE tenant_id = $1 ${hasWs ? 'AND workspace_id IS NULL' : ''} ORDER BY id LIMIT 1`, [tenantId])).id;
  }

  /** Inserts as the system (bypassing the layer), returning the id. */
  async function insertAsSystem(r: Resource, values: Record<string, unknown>): Promise<number> {
    const v = { ...values };
    if (typeof v.password === 'string') v.password = HASH;
    for (const k of Object.keys(v)) if (typeof v[k] === 'object' && v[k] !== null && !Array.isArray(v[k])) v[k] = JSON.stringify(v[k]);
    const cols = Object.keys(v);
    const { rows } = await db.pool.query(
      `INSERT INTO ${r.name} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      cols.map((c) => v[c]),
    );
    return rows[0].id as number;
  }

  return { data, tenant, actor, one, sample, insertAsSystem };
}

/** What a call ended in: 'ok', or the DomainError kind (anything else is a test failure). */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.kind;
    throw err;
  }
}
