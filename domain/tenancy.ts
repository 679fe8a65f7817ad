// Which tenant a request belongs to, and how tenants come to be.
import type pg from 'pg';
import { DEFAULT_ROLES } from './default-roles';
import { invalid } from './errors';

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

/** A new tenant with the six default roles, in one transaction (operators only: not reachable from the UI). */
export async function createTenant(pool: pg.Pool, name: string, subdomain: string): Promise<TenantRow> {
  if (!LABEL.test(subdomain)) throw invalid('subdomain must be a DNS label: lower-case letters, digits and inner hyphens');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<TenantRow>('INSERT INTO tenants (name, subdomain) VALUES ($1, $2) RETURNING id, name, subdomain', [name, subdomain]);
    const tenant = rows[0]!;
    for (const role of DEFAULT_ROLES) {
      await client.query('INSERT INTO roles (name, level, permissions, description, tenant_id) VALUES ($1, $2, $3, $4, $5)', [
        role.name, role.level, role.permissions, role.description, tenant.id,
      ]);
    }
    await client.query('COMMIT');
    return tenant;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
