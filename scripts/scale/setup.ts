// The small per-tenant part of the scale data, inserted with multi-row INSERTs across all tenants at once:
// tenants, workspaces, projects, roles, users (a manager tree), a pipeline with stages, interest levels,
// product types, categories, products and activity types.
import type { Db } from '../../domain/db';
import { DEFAULT_ROLES } from '../../domain/default-roles';
import {
  activityTypes, interestLevels, productCategories, productTypes, products, projects, roles, salesPipelines, salesStages,
  tenants, users, workspaces,
} from '../../schema';
import { insertRows } from '../demo/common';
import type { Random } from '../random';

export interface ScaleUser {
  id: number;
  level: number;
  managerId: number | null;
  workspaceId: number | null;
}

export interface TenantSetup {
  id: number;
  subdomain: string;
  workspaceIds: number[];
  projectIds: number[];
  users: ScaleUser[];
  /** Level-1 users: the owners of contacts and deals. */
  agents: ScaleUser[];
  stages: { id: number; title: string; probability: number }[];
  interestLevelIds: { hot: number; warm: number; cold: number };
  products: { id: number; name: string; price: number }[];
}

export const STAGES = [
  { title: 'Prospecting', probability: 10 },
  { title: 'Qualification', probability: 25 },
  { title: 'Proposal', probability: 50 },
  { title: 'Negotiation', probability: 75 },
  { title: 'Closed Won', probability: 100 },
  { title: 'Closed Lost', probability: 0 },
];

const PRODUCT_KINDS = [
  { type: 'physical', name: 'Widget', price: [20, 400], specs: (r: Random) => ({ industry: 'retail', weight_kg: r.int(1, 40) / 2, color: r.pick(['red', 'blue', 'black']) }) },
  { type: 'digital', name: 'License', price: [10, 3000], specs: (r: Random) => ({ industry: 'software', license: r.pick(['subscription', 'perpetual']), seats: r.int(1, 50) }) },
  { type: 'service', name: 'Service', price: [100, 5000], specs: (r: Random) => ({ industry: 'consulting', duration_hours: r.int(1, 80) }) },
  { type: 'physical', name: 'Unit', price: [2000, 9000], specs: (r: Random) => ({ industry: 'real estate', area_sqm: r.int(40, 2000), lease_term_months: r.pick([12, 24, 36]) }) },
] as const;

interface UserShape {
  username: string;
  level: number;
  manager?: string;
  workspace: number | null;
}

/** wsadmin > admin > director > superadmin > managers > agents, like the demo tenants, for `count` users. */
export function userShapes(count: number): UserShape[] {
  const managers = Math.max(1, Math.round((count - 4) / 5));
  const agents = count - 4 - managers;
  const shapes: UserShape[] = [
    { username: 'wsadmin', level: 6, workspace: null },
    { username: 'admin', level: 5, manager: 'wsadmin', workspace: null },
    { username: 'director', level: 4, manager: 'admin', workspace: 0 },
    { username: 'superadmin', level: 3, manager: 'director', workspace: 0 },
  ];
  const managerName = (m: number) => (m === 0 ? 'manager' : `manager${m + 1}`);
  for (let m = 0; m < managers; m++) shapes.push({ username: managerName(m), level: 2, manager: 'superadmin', workspace: m % 2 });
  for (let a = 0; a < agents; a++) {
    const m = a % managers;
    shapes.push({ username: a === 0 ? 'agent' : `agent${a + 1}`, level: 1, manager: managerName(m), workspace: m % 2 });
  }
  return shapes;
}

export async function setupTenants(
  db: Db,
  rng: Random,
  opts: { tenants: number; users: number; products: number; passwordHash: string; createdAt: Date },
): Promise<TenantSetup[]> {
  const { createdAt } = opts;
  const tenantRows = await insertRows(
    db,
    tenants,
    Array.from({ length: opts.tenants }, (_, i) => ({ name: `Scale Tenant ${i + 1}`, subdomain: `scale${i + 1}`, createdAt })),
  );
  const bySubdomain = new Map(tenantRows.map((t) => [t.subdomain, t.id]));
  const ids = Array.from({ length: opts.tenants }, (_, i) => bySubdomain.get(`scale${i + 1}`)!);
  const perTenant = <T>(make: (tenantId: number, t: number) => T[]) => ids.flatMap((id, t) => make(id, t));

  const ws = await insertRows(db, workspaces, perTenant((tenantId) =>
    ['Sales EMEA', 'Sales Americas'].map((name) => ({ name, tenantId, createdAt, updatedAt: createdAt }))));
  const wsOf = (tenantId: number) => ws.filter((w) => w.tenantId === tenantId).sort((a, b) => a.id - b.id).map((w) => w.id);
  const wsIds = new Map(ids.map((id) => [id, wsOf(id)]));

  const proj = await insertRows(db, projects, perTenant((tenantId) =>
    wsIds.get(tenantId)!.map((workspaceId, k) => ({ name: `Project ${k + 1}`, workspaceId, tenantId, createdAt, updatedAt: createdAt }))));
  const roleRows = await insertRows(db, roles, perTenant((tenantId) =>
    DEFAULT_ROLES.map((r) => ({ name: r.name, level: r.level, permissions: r.permissions, description: r.description, tenantId, createdAt }))));
  const roleId = new Map(roleRows.map((r) => [`${r.tenantId}:${r.level}`, r.id]));

  // The tree level by level, for all tenants at once, so managers exist before their reports.
  const shapes = userShapes(opts.users);
  const userIds = new Map<string, number>();
  const setups = new Map<number, ScaleUser[]>(ids.map((id) => [id, []]));
  for (let level = 6; level >= 1; level--) {
    const atLevel = shapes.filter((s) => s.level === level);
    const rows = await insertRows(db, users, perTenant((tenantId, t) =>
      atLevel.map((s) => ({
        username: s.username,
        password: opts.passwordHash,
        email: `${s.username}@scale${t + 1}.test`,
        firstName: s.username[0]!.toUpperCase() + s.username.slice(1),
        lastName: `Scale${t + 1}`,
        roleId: roleId.get(`${tenantId}:${level}`)!,
        managerId: s.manager ? userIds.get(`${tenantId}:${s.manager}`)! : null,
        workspaceId: s.workspace === null ? null : wsIds.get(tenantId)![s.workspace]!,
        tenantId,
        createdAt,
        updatedAt: createdAt,
      }))));
    for (const u of rows) {
      userIds.set(`${u.tenantId}:${u.username}`, u.id);
      setups.get(u.tenantId)!.push({ id: u.id, level, managerId: u.managerId, workspaceId: u.workspaceId });
    }
  }

  const pipelines = await insertRows(db, salesPipelines, perTenant((tenantId) =>
    [{ title: 'Standard Sales', isDefault: true, tenantId, createdAt }]));
  const stageRows = await insertRows(db, salesStages, pipelines.flatMap((p) =>
    STAGES.map((s, order) => ({ salePipelineId: p.id, title: s.title, order: order + 1, tenantId: p.tenantId, createdAt }))));
  const levels = await insertRows(db, interestLevels, perTenant((tenantId) =>
    ['Hot', 'Warm', 'Cold'].map((level) => ({ level, tenantId, createdAt }))));
  const types = await insertRows(db, productTypes, perTenant((tenantId) =>
    ['physical', 'digital', 'service'].map((name) => ({ name, tenantId, createdAt }))));
  const categories = await insertRows(db, productCategories, perTenant((tenantId) =>
    [['Hardware', '#ef4444', 'Cpu'], ['Software', '#3b82f6', 'Code'], ['Services', '#10b981', 'Wrench']].map(([name, color, icon]) =>
      ({ name: name!, color: color!, icon: icon!, tenantId, createdAt }))));
  await insertRows(db, activityTypes, perTenant((tenantId) =>
    ['Call', 'Email', 'Meeting', 'Demo'].map((typeName) => ({ typeName, tenantId, createdAt }))));

  const pipelineOf = new Map(pipelines.map((p) => [p.tenantId, p.id]));
  const productRows = await insertRows(db, products, perTenant((tenantId, t) =>
    Array.from({ length: opts.products }, (_, k) => {
      const kind = PRODUCT_KINDS[k % PRODUCT_KINDS.length]!;
      const type = types.find((x) => x.tenantId === tenantId && x.name === kind.type)!;
      const category = categories.filter((c) => c.tenantId === tenantId)[k % 3]!;
      return {
        name: `${kind.name} ${k + 1}`,
        title: `${kind.name} ${k + 1} (scale${t + 1})`,
        salePrice: rng.money(kind.price[0], kind.price[1]),
        sku: `S${t + 1}-${String(k + 1).padStart(4, '0')}`,
        productTypeId: type.id,
        categoryId: category.id,
        salesPipelineId: pipelineOf.get(tenantId)!,
        stock: rng.int(0, 500),
        specifications: kind.specs(rng),
        tenantId,
        createdAt,
        updatedAt: createdAt,
      };
    })));

  return ids.map((id, t) => {
    const us = setups.get(id)!;
    const pid = pipelineOf.get(id)!;
    const lv = (name: string) => levels.find((l) => l.tenantId === id && l.level === name)!.id;
    return {
      id,
      subdomain: `scale${t + 1}`,
      workspaceIds: wsIds.get(id)!,
      projectIds: proj.filter((p) => p.tenantId === id).map((p) => p.id),
      users: us,
      agents: us.filter((u) => u.level === 1),
      stages: stageRows
        .filter((s) => s.salePipelineId === pid)
        .sort((a, b) => a.order - b.order)
        .map((s) => ({ id: s.id, title: s.title, probability: STAGES[s.order - 1]!.probability })),
      interestLevelIds: { hot: lv('Hot'), warm: lv('Warm'), cold: lv('Cold') },
      products: productRows.filter((p) => p.tenantId === id).map((p) => ({ id: p.id, name: p.name, price: Number(p.salePrice) })),
    };
  });
}
