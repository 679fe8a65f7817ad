// Which tenant a request belongs to, and how tenants come to be.
import type pg from 'pg';
import { DEFAULT_ROLES } from './default-roles';
import { conflict, invalid, type DomainError } from './errors';
import { hashPassword, passwordProblem } from './passwords';
import { resources } from './resources';
import { validateInput } from './validation';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The tenant subdomain of a Host header: acme.localhost:3000 -> 'acme', acme.crm.example.com -> 'acme'
 * (when BASE_DOMAIN is crm.example.com). Plain hosts (localhost, an IP, the base domain) have none: the
 * login form then names the tenant.
 */
export function subdomainOf(host: string | undefined, baseDomain = process.env.BASE_DOMAIN ?? 'localhost'): string | null {
  if (!host) return null;
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  if (!hostname.endsWith(`.${baseDomain}`)) return null;
  const sub = hostname.slice(0, -(baseDomain.length + 1));
  return LABEL.test(sub) ? sub : null;
}

export interface TenantRow {
  id: number;
  name: string;
  subdomain: string;
}

/** Looked up by the system connection: before login no tenant context exists yet. */
export async function findTenant(pool: pg.Pool, subdomain: string): Promise<TenantRow | null> {
  const label = subdomain.trim().toLowerCase();
  // Only a DNS label can be a tenant's subdomain; anything else (a NUL character: PostgreSQL refuses the query, a 500) names none.
  if (!LABEL.test(label)) return null;
  const { rows } = await pool.query<TenantRow>('SELECT id, name, subdomain FROM tenants WHERE subdomain = $1', [label]);
  return rows[0] ?? null;
}

export interface FirstAdmin {
  username: string;
  email: string;
  /** Plain text: checked by the app's password rule, stored as an argon2id hash. */
  password: string;
  firstName: string;
  lastName: string;
}

/** The level of a tenant's first user: Admin (users, roles, workspaces), below the Workspace Admin. */
export const FIRST_ADMIN_LEVEL = 5;

/** Refuses a bad tenant or admin before anything is written, every problem named (one 400). */
function checkNewTenant(name: string, subdomain: string, admin?: FirstAdmin): void {
  const errors: Record<string, string> = {};
  if (!name.trim()) errors.name = 'name must not be empty';
  if (!LABEL.test(subdomain)) errors.subdomain = 'subdomain must be a DNS label: lower-case letters, digits and inner hyphens';
  if (admin) {
    try {
      // The same column checks as a user created in the app.
      validateInput(resources.get('users')!, { username: admin.username, email: admin.email, first_name: admin.firstName, last_name: admin.lastName }, 'update');
    } catch (err) {
      Object.assign(errors, (err as DomainError).fields);
    }
    if (!admin.username.trim()) errors.username = 'username must not be empty';
    if (!/^[^@\s]+@[^@\s]+$/.test(admin.email)) errors.email = 'email must be an e-mail address';
    const problem = passwordProblem(admin.password);
    if (problem) errors.password = `password must be ${problem}`;
  }
  if (Object.keys(errors).length) throw invalid(Object.values(errors).join('; '), errors);
}

/**
 * A new tenant with the six default roles and, if given, its first admin (level 5), in one transaction
 * (operators only: `npm run tenant:create`, not reachable from the UI). An existing subdomain is a conflict.
 */
export async function createTenant(pool: pg.Pool, name: string, subdomain: string, admin?: FirstAdmin): Promise<TenantRow & { adminId?: number }> {
  checkNewTenant(name, subdomain, admin);
  const passwordHash = admin && (await hashPassword(admin.password));
  const taken = () => conflict(`A tenant with the subdomain "${subdomain}" already exists`, { subdomain: 'is already used' });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: existing } = await client.query('SELECT 1 FROM tenants WHERE subdomain = $1', [subdomain]);
    if (existing.length) throw taken();
    const { rows } = await client.query<TenantRow>('INSERT INTO tenants (name, subdomain) VALUES ($1, $2) RETURNING id, name, subdomain', [name.trim(), subdomain]);
    const tenant = rows[0]!;
    let adminRole: number | undefined;
    for (const role of DEFAULT_ROLES) {
      const { rows: inserted } = await client.query<{ id: number }>(
        'INSERT INTO roles (name, level, permissions, description, tenant_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [role.name, role.level, role.permissions, role.description, tenant.id],
      );
      if (role.level === FIRST_ADMIN_LEVEL) adminRole = inserted[0]!.id;
    }
    let adminId: number | undefined;
    if (admin) {
      const { rows: user } = await client.query<{ id: number }>(
        'INSERT INTO users (username, email, password, first_name, last_name, role_id, tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
        [admin.username.trim(), admin.email.trim(), passwordHash, admin.firstName.trim(), admin.lastName.trim(), adminRole, tenant.id],
      );
      adminId = user[0]!.id;
    }
    await client.query('COMMIT');
    return { ...tenant, adminId };
  } catch (err) {
    await client.query('ROLLBACK');
    // Two operators at once: the unique key decides.
    if ((err as { code?: string; constraint?: string }).constraint === 'tenants_subdomain_key') throw taken();
    throw err;
  } finally {
    client.release();
  }
}
