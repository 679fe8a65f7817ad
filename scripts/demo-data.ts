// The demo data: two tenants (acme, globex) of the same shape, loaded in one transaction into an empty
// database. Deterministic: a seeded PRNG and a fixed base date, so two runs give identical rows (except
// the password hash, whose salt is random). Used by `npm run db:seed` (scripts/seed-demo.ts) and `npm start`.
import { hash, type Algorithm } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import type { Database } from '../domain/db';
import { DEFAULT_ROLES } from '../domain/default-roles';
import { roles, tenants, users, workspaces, projects } from '../schema';
import { DAY, DEMO_BASE_DATE, daysAgo, insertRows, type TenantContext, type Tx } from './demo/common';
import { seedIngestKeys } from './demo/analytics';
import { seedCatalog, seedCustomers, seedDeals, seedPipelines } from './demo/crm';
import { seedAgentConversations, seedAssistants, seedEvents } from './demo/engagement';
import { DEMO_TENANTS, type TenantSpec } from './demo/tenants';
import { Random } from './random';

export { DEMO_BASE_DATE };

/** The one password of every demo user. */
export const DEMO_PASSWORD = 'demo1234';

// Algorithm is an ambient const enum, which verbatimModuleSyntax cannot read at run time: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm.Argon2id;

const roleName = (level: number) => DEFAULT_ROLES.find((r) => r.level === level)!.name;

export const DEMO_LOGINS: { tenant: string; username: string; email: string; role: string; level: number }[] = DEMO_TENANTS.flatMap(
  (t) =>
    t.users.map((u) => ({
      tenant: t.subdomain,
      username: u.username,
      email: `${u.username}@${t.emailDomain}`,
      role: roleName(u.level),
      level: u.level,
    })),
);

/** An argon2id hash of DEMO_PASSWORD (slow on purpose: compute it once and share it between users). */
export const hashDemoPassword = () => hash(DEMO_PASSWORD, { algorithm: ARGON2ID });

// Any fixed key: two processes seeding the same empty database at once must not both load it.
const SEED_LOCK = 7_140_222;

/**
 * Loads the demo tenants if the database has no tenant yet. Returns false (and changes nothing) otherwise.
 * All or nothing: one transaction.
 */
export async function seedDemo(db: Database): Promise<boolean> {
  return db.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const existing = await tx.select({ id: tenants.id }).from(tenants).limit(1);
    if (existing.length) return false;
    // Argon2 is slow on purpose: hash once (only when seeding) and share the hash between all demo users.
    const passwordHash = await hashDemoPassword();
    for (const spec of DEMO_TENANTS) await seedTenant(tx, spec, passwordHash);
    return true;
  });
}

async function seedTenant(tx: Tx, spec: TenantSpec, passwordHash: string): Promise<void> {
  const rng = new Random(spec.seed);
  const createdAt = daysAgo(420);
  const [tenant] = await insertRows(tx, tenants, [{ name: spec.name, subdomain: spec.subdomain, createdAt }]);
  const tenantId = tenant!.id;

  const ctx: TenantContext = {
    tx, rng, spec, tenantId, createdAt,
    workspaces: [], projects: [], roles: [], users: [], user: new Map(), companies: [], contacts: [], products: [],
    pipelines: [], stages: [], interestLevels: [], deals: [],
  };
  await seedOrganization(ctx, passwordHash);
  await seedPipelines(ctx);
  await seedCatalog(ctx);
  await seedCustomers(ctx);
  await seedDeals(ctx);
  await seedEvents(ctx);
  await seedAssistants(ctx);
  await seedAgentConversations(ctx);
  await seedIngestKeys(ctx);
}

async function seedOrganization(ctx: TenantContext, passwordHash: string): Promise<void> {
  const { tx, spec, tenantId } = ctx;
  const t0 = ctx.createdAt;
  const later = (days: number) => new Date(t0.getTime() + days * DAY);

  ctx.workspaces = await insertRows(
    tx,
    workspaces,
    spec.workspaces.map((w, i) => ({ name: w.name, description: w.description, tenantId, createdAt: later(i), updatedAt: later(i + 30) })),
  );
  ctx.projects = await insertRows(
    tx,
    projects,
    spec.projects.map((p, i) => ({
      name: p.name,
      description: p.description,
      status: p.status,
      workspaceId: ctx.workspaces[p.workspace]!.id,
      tenantId,
      createdAt: later(10 + i * 20),
      updatedAt: later(40 + i * 30),
    })),
  );
  ctx.roles = await insertRows(
    tx,
    roles,
    DEFAULT_ROLES.map((r) => ({ name: r.name, level: r.level, permissions: r.permissions, description: r.description, tenantId, createdAt: t0 })),
  );

  // Managers first: insert the tree level by level so every manager_id refers to a row already there.
  let pending = spec.users;
  let round = 0;
  while (pending.length) {
    const ready = pending.filter((u) => !u.manager || ctx.user.has(u.manager));
    if (!ready.length) throw new Error(`demo users with unknown managers: ${pending.map((u) => u.username).join(', ')}`);
    const inserted = await insertRows(
      tx,
      users,
      ready.map((u, i) => ({
        username: u.username,
        password: passwordHash,
        email: `${u.username}@${spec.emailDomain}`,
        firstName: u.firstName,
        lastName: u.lastName,
        roleId: ctx.roles.find((r) => r.level === u.level)!.id,
        managerId: u.manager ? ctx.user.get(u.manager)!.id : null,
        workspaceId: u.workspace === undefined ? null : ctx.workspaces[u.workspace]!.id,
        tenantId,
        createdAt: later(1 + round * 7 + i),
        updatedAt: later(60 + round * 7 + i),
      })),
    );
    for (const u of inserted) ctx.user.set(u.username, u);
    ctx.users.push(...inserted);
    pending = pending.filter((u) => !ready.includes(u));
    round++;
  }
}
