// Small helpers shared by the security tests: who is who in the demo tenants (read with the superuser
// connection, never through the layer under test) and a check that a call fails with a given DomainError.
import { expect } from 'vitest';
import { DomainError } from '../../domain/errors';
import type { TestDatabase } from '../harness';

export interface DemoUser {
  id: number;
  tenant_id: number;
  username: string;
  manager_id: number | null;
  workspace_id: number | null;
  role_id: number;
  level: number;
}

export interface DemoTenant {
  id: number;
  /** users by username */
  users: Record<string, DemoUser>;
  /** role ids by level */
  roles: Record<number, number>;
  /** workspace ids in creation order */
  workspaces: number[];
}

/** A row of the audit trail as the tests read it. */
export interface AuditRow {
  id: number;
  tenant_id: number;
  actor_id: number | null;
  resource: string;
  record_id: number;
  action: string;
  before: Record<string, any> | null;
  after: Record<string, any> | null;
}

/** The newest audit row's id (0 when none). */
export async function lastAuditId(db: TestDatabase): Promise<number> {
  return Number((await db.pool.query('SELECT coalesce(max(id), 0) AS m FROM audit_log')).rows[0].m);
}

/** Audit rows written after `since`, oldest first. */
export async function auditSince(db: TestDatabase, since: number): Promise<AuditRow[]> {
  const sql = 'SELECT id::int, tenant_id, actor_id, resource, record_id, action, before, after FROM audit_log WHERE id > $1 ORDER BY id';
  return (await db.pool.query<AuditRow>(sql, [since])).rows;
}

export async function demoTenant(db: TestDatabase, subdomain: string): Promise<DemoTenant> {
  const { rows: [tenant] } = await db.pool.query<{ id: number }>('SELECT id FROM tenants WHERE subdomain = $1', [subdomain]);
  if (!tenant) throw new Error(`no demo tenant ${subdomain}`);
  const { rows: users } = await db.pool.query<DemoUser>(
    `SELECT u.id, u.tenant_id, u.username, u.manager_id, u.workspace_id, u.role_id, r.level
       FROM users u JOIN roles r ON r.id = u.role_id WHERE u.tenant_id = $1`,
    [tenant.id],
  );
  const { rows: roles } = await db.pool.query<{ id: number; level: number }>(
    'SELECT id, level FROM roles WHERE tenant_id = $1 ORDER BY id',
    [tenant.id],
  );
  const { rows: workspaces } = await db.pool.query<{ id: number }>('SELECT id FROM workspaces WHERE tenant_id = $1 ORDER BY id', [tenant.id]);
  return {
    id: tenant.id,
    users: Object.fromEntries(users.map((u) => [u.username, u])),
    roles: Object.fromEntries(roles.map((r) => [r.level, r.id])),
    workspaces: workspaces.map((w) => w.id),
  };
}

const STATUS = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 } as const;

/** The call fails with a DomainError of `kind` (and the matching HTTP status). */
export async function expectRefused(call: Promise<unknown>, kind: keyof typeof STATUS): Promise<DomainError> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a ${kind} DomainError, but the call succeeded`).toBeDefined();
  expect(error).toBeInstanceOf(DomainError);
  const e = error as DomainError;
  expect({ kind: e.kind, status: e.status }, e.message).toEqual({ kind, status: STATUS[kind] });
  return e;
}

export const sortedIds = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);
