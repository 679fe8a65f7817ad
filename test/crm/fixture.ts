// Shared setup of the CRM action tests: the demo tenants on a fresh database, actors by username, rows the
// system writes directly (no tenant context, no audit), and snapshots that prove a refused action wrote nothing.
// Every expectation is read with the superuser connection (db.pool), never through the layer under test.
import { beforeAll, expect } from 'vitest';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase, type TestDatabase } from '../harness';
import { auditSince, demoTenant, lastAuditId, type AuditRow, type DemoTenant } from '../security/helpers';
import { HASH } from '../security/world';

export interface CrmWorld {
  db: TestDatabase;
  data: ScopedData;
  acme: DemoTenant;
  globex: DemoTenant;
  actor: (username: string, tenant?: DemoTenant) => Promise<Actor>;
  /** The first row of a query on the superuser connection. */
  one: (sql: string, params?: unknown[]) => Promise<Record<string, any>>;
  rows: (sql: string, params?: unknown[]) => Promise<Record<string, any>[]>;
  /** Inserts a row as the system; returns it. */
  insert: (table: string, values: Record<string, unknown>) => Promise<Record<string, any>>;
  lastAuditId: () => Promise<number>;
  auditSince: (id: number) => Promise<AuditRow[]>;
  /** Row counts of the CRM tables and the audit trail: equal before and after means nothing was written. */
  snapshot: () => Promise<Record<string, number>>;
}

/** Call at the top level of a test file. */
export function crmWorld(): CrmWorld {
  const db = useTestDatabase();
  const w = { db } as CrmWorld;
  beforeAll(async () => {
    await seedDemo(db);
    w.data = new ScopedData(db);
    w.acme = await demoTenant(db, 'acme');
    w.globex = await demoTenant(db, 'globex');
  });
  w.actor = (username, tenant = w.acme) => w.data.actor(tenant.id, tenant.users[username]!.id);
  w.rows = async (sql, params = []) => (await db.pool.query(sql, params)).rows;
  w.one = async (sql, params = []) => {
    const [row] = await w.rows(sql, params);
    if (!row) throw new Error(`fixture query found nothing: ${sql}`);
    return row;
  };
  w.insert = async (table, values) => {
    const cols = Object.keys(values);
    return w.one(
      `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
      cols.map((c) => values[c]),
    );
  };
  w.lastAuditId = () => lastAuditId(db);
  w.auditSince = (id) => auditSince(db, id);
  w.snapshot = async () =>
    w.one(
      `SELECT (SELECT count(*)::int FROM contacts) AS contacts, (SELECT count(*)::int FROM companies) AS companies,
              (SELECT count(*)::int FROM deals) AS deals, (SELECT count(*)::int FROM leads) AS leads,
              (SELECT count(*)::int FROM activities) AS activities, (SELECT count(*)::int FROM audit_log) AS audit,
              (SELECT md5(string_agg(l::text, ',' ORDER BY id)) FROM leads l) AS leads_state,
              (SELECT md5(string_agg(d::text, ',' ORDER BY id)) FROM deals d) AS deals_state,
              (SELECT md5(string_agg(a::text, ',' ORDER BY id)) FROM activities a) AS activities_state`,
    ) as Promise<Record<string, number>>;
  return w;
}

/** Runs `call`, which must be refused, and checks that nothing at all was written meanwhile. */
export async function writesNothing(w: CrmWorld, call: () => Promise<unknown>): Promise<void> {
  const before = await w.snapshot();
  await call();
  expect(await w.snapshot()).toEqual(before);
}

let seq = 0;
/** A fresh lead in acme, written by the system: the given fields over a plain default. */
export async function newLead(w: CrmWorld, values: Record<string, unknown> = {}, tenant = w.acme): Promise<Record<string, any>> {
  const n = ++seq;
  return w.insert('leads', {
    first_name: 'Lena',
    last_name: `Lead${n}`,
    email: `lena.lead${n}@crm-test.example`,
    phone: '+44 20 7946 0000',
    job_title: 'Buyer',
    company: `Test Company ${n}`,
    status: 'qualified',
    workspace_id: tenant.workspaces[0],
    tenant_id: tenant.id,
    ...values,
  });
}

/**
 * A user like the demo `agent` (same workspace and manager) whose role lacks `missing` permissions: for the
 * refusals of a permission the scoped layer checks in the middle of an action.
 */
export async function agentWithout(w: CrmWorld, missing: string[], tenant = w.acme): Promise<{ id: number; actor: Actor }> {
  const n = ++seq;
  const agent = tenant.users.agent!;
  const { permissions } = await w.one('SELECT permissions FROM roles WHERE id = $1', [agent.role_id]);
  const role = await w.insert('roles', {
    name: `Agent without ${missing.join(' ')} ${n}`,
    level: 1,
    permissions: (permissions as string[]).filter((p) => !missing.includes(p)),
    tenant_id: tenant.id,
  });
  const user = await w.insert('users', {
    username: `limited${n}`,
    password: HASH,
    email: `limited${n}@crm-test.example`,
    first_name: 'Limited',
    last_name: `Agent ${n}`,
    role_id: role.id,
    manager_id: agent.manager_id,
    workspace_id: agent.workspace_id,
    tenant_id: tenant.id,
  });
  return { id: user.id as number, actor: await w.data.actor(tenant.id, user.id as number) };
}
