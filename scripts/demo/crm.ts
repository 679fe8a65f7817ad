// The CRM part of one demo tenant: pipelines, catalog, companies, contacts, leads, deals and activities.
import {
  activities, activityTypes, companies, contacts, deals, interestLevels, leads, productCategories, productOffers,
  productTypes, products, salesPipelines, salesStages,
} from '../../schema';
import { DAY, DEMO_BASE_DATE, addMinutes, between, dateOnly, daysAgo, insertRows, slug, type TenantContext } from './common';
import { FIRST_NAMES, JOB_TITLES, LAST_NAMES } from './tenants';

type User = TenantContext['users'][number];

export async function seedPipelines(ctx: TenantContext): Promise<void> {
  const { tx, spec, tenantId } = ctx;
  ctx.pipelines = await insertRows(
    tx,
    salesPipelines,
    spec.pipelines.map((p, i) => ({
      title: p.title,
      description: p.description,
      isDefault: i === 0,
      // The second pipeline belongs to the enterprise project; both are tenant-wide (no workspace).
      projectId: i === 0 ? null : ctx.projects[0]!.id,
      tenantId,
      createdAt: daysAgo(400 - i * 30),
    })),
  );
  ctx.stages = await insertRows(
    tx,
    salesStages,
    spec.pipelines.flatMap((p, i) =>
      p.stages.map((s, order) => ({
        salePipelineId: ctx.pipelines[i]!.id,
        title: s.title,
        description: s.description,
        order: order + 1,
        projectId: ctx.pipelines[i]!.projectId,
        tenantId,
        createdAt: daysAgo(400 - i * 30),
      })),
    ),
  );
  ctx.interestLevels = await insertRows(
    tx,
    interestLevels,
    [
      ['Hot', 'Ready to buy, budget approved'],
      ['Warm', 'Interested, evaluating options'],
      ['Cold', 'Little engagement so far'],
    ].map(([level, description]) => ({ level: level!, description, tenantId, createdAt: daysAgo(400) })),
  );
}

export async function seedCatalog(ctx: TenantContext): Promise<void> {
  const { tx, spec, tenantId, rng } = ctx;
  const types = await insertRows(
    tx,
    productTypes,
    [
      ['physical', 'Tangible goods that are shipped or handed over'],
      ['digital', 'Software, licenses and subscriptions'],
      ['service', 'Work performed: installation, consulting, training'],
    ].map(([name, description]) => ({ name: name!, description, tenantId, createdAt: daysAgo(395) })),
  );
  const categories = await insertRows(
    tx,
    productCategories,
    spec.categories.map((c) => ({
      name: c.name,
      description: c.description,
      color: c.color,
      icon: c.icon,
      workspaceId: c.workspace === undefined ? null : ctx.workspaces[c.workspace]!.id,
      tenantId,
      createdAt: daysAgo(395),
    })),
  );
  ctx.products = await insertRows(
    tx,
    products,
    spec.products.map((p, i) => {
      const created = between(rng, 200, 380);
      const category = categories[p.category]!;
      return {
        name: p.name,
        title: p.title,
        description: p.description,
        salePrice: p.price,
        currency: spec.currency,
        sku: p.sku,
        productTypeId: types.find((t) => t.name === p.type)!.id,
        categoryId: category.id,
        featuredPhoto: `https://images.epesicrm.test/${spec.subdomain}/${p.sku.toLowerCase()}.jpg`,
        isFeatured: p.featured ?? false,
        salesPipelineId: ctx.pipelines[p.enterprise ? 1 : 0]!.id,
        // One retired product per tenant, to exercise the active filter.
        isActive: i !== spec.products.length - 2,
        stock: p.stock,
        specifications: p.specifications,
        workspaceId: category.workspaceId,
        projectId: p.enterprise ? ctx.projects[0]!.id : null,
        tenantId,
        createdAt: created,
        updatedAt: addMinutes(created, rng.int(0, 60 * 24 * 90)),
      };
    }),
  );
  const p = ctx.products;
  const offer = (
    productIndex: number, name: string, description: string, discountType: 'percentage' | 'fixed_amount', discountValue: string,
    start: Date | null, end: Date | null, conditions: Record<string, unknown>, isActive = true,
  ) => {
    const created = start ? new Date(Math.min(addMinutes(start, -60 * 24 * 7).getTime(), daysAgo(2).getTime())) : daysAgo(150);
    return {
      productId: p[productIndex]!.id, name, description, discountType, discountValue, startDate: start, endDate: end, isActive,
      conditions, tenantId, createdAt: created, updatedAt: created,
    };
  };
  await insertRows(tx, productOffers, [
    offer(0, 'Spring Sale', 'Seasonal discount', 'percentage', '15.00', daysAgo(190), daysAgo(160), {}, false),
    offer(11, 'Bundle of three', '10% off from three units', 'percentage', '10.00', null, null, { min_quantity: 3 }),
    offer(2, 'Launch offer', 'Introductory price', 'fixed_amount', '200.00', daysAgo(10), daysAgo(-20), { new_customers_only: true }),
    offer(4, 'Year-end enterprise deal', 'For contracts signed before year end', 'percentage', '20.00', daysAgo(-30), daysAgo(-90),
      { customer_type: 'enterprise', min_contract_months: 12 }),
    offer(6, 'Loyalty credit', 'Fixed credit for existing customers', 'fixed_amount', '50.00', null, null, { existing_customer: true }),
    offer(9, 'Partner program', 'Reseller discount', 'percentage', '25.00', daysAgo(300), null, { partner_tier: ['gold', 'platinum'] }),
  ]);
}

const LEAD_COMPANIES = [
  'Bluth Company', 'Dunder Mifflin', 'Sterling Cooper', 'Prestige Worldwide', 'Los Pollos Hermanos', 'Monsters Inc',
  'Wonka Industries', 'Nakatomi Trading', 'Globo Gym', 'Paper Street Soap',
];
const LEAD_SOURCES = ['website', 'referral', 'linkedin', 'trade_show', 'cold_call', 'email_campaign', 'webinar', 'assistant'];

/** A sales person for a record: mostly agents, sometimes managers, rarely the top of the sales tree. */
function salesPerson(ctx: TenantContext): User {
  const level = ctx.rng.weighted([1, 2, 3, 4], [14, 5, 1, 1]);
  const roleId = ctx.roles.find((r) => r.level === level)!.id;
  return ctx.rng.pick(ctx.users.filter((u) => u.roleId === roleId));
}

function phone(ctx: TenantContext, workspaceIndex: number): string {
  const { rng } = ctx;
  return workspaceIndex === 0 ? `+44 20 7946 ${rng.int(1000, 9999)}` : `+1 555 ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
}

export async function seedCustomers(ctx: TenantContext): Promise<void> {
  const { tx, spec, tenantId, rng } = ctx;
  const projectIn = (workspaceId: number) => {
    const candidates = ctx.projects.filter((p) => p.workspaceId === workspaceId);
    return candidates.length && rng.chance(0.5) ? rng.pick(candidates).id : null;
  };
  ctx.companies = await insertRows(
    tx,
    companies,
    spec.companies.map(([name, industry], i) => {
      const w = i % 2;
      const workspaceId = ctx.workspaces[w]!.id;
      return {
        name,
        type: rng.weighted(['Customer', 'Prospect', 'Partner', 'Vendor'], [6, 5, 2, 1]),
        industry,
        phone: phone(ctx, w),
        email: `info@${slug(name)}.example`,
        website: `https://www.${slug(name)}.example`,
        address: `${rng.int(1, 250)} ${rng.pick(['Market', 'Station', 'Harbour', 'Park', 'Mill', 'Church'])} Street, ${rng.pick(spec.workspaces[w]!.cities)}`,
        workspaceId,
        projectId: projectIn(workspaceId),
        tenantId,
        createdAt: between(rng, 250, 390),
      };
    }),
  );

  ctx.contacts = await insertRows(
    tx,
    contacts,
    Array.from({ length: 40 }, (_, i) => {
      const owner = salesPerson(ctx);
      // A company the contact's owner can open: of their workspace, or tenant-wide (no demo reference
      // points where the role that works the contact may not follow).
      const reachable = ctx.companies.filter((c) => !owner.workspaceId || !c.workspaceId || c.workspaceId === owner.workspaceId);
      const company = reachable[i % reachable.length]!;
      const firstName = rng.pick(FIRST_NAMES);
      const lastName = rng.pick(LAST_NAMES);
      const workspaceId = owner.workspaceId ?? company.workspaceId!;
      return {
        firstName,
        lastName,
        email: `${firstName}.${lastName}`.toLowerCase() + `@${slug(company.name)}.example`,
        phone: phone(ctx, ctx.workspaces.findIndex((w) => w.id === workspaceId)),
        jobTitle: rng.pick(JOB_TITLES),
        status: rng.weighted(['lead', 'prospect', 'active', 'inactive'] as const, [3, 5, 8, 2]),
        companyId: company.id,
        assignedToId: owner.id,
        supervisorId: owner.managerId,
        workspaceId,
        projectId: projectIn(workspaceId),
        tenantId,
        createdAt: between(rng, 30, 240),
      };
    }),
  );

  await insertRows(
    tx,
    leads,
    Array.from({ length: 60 }, () => {
      const status = rng.weighted(['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const, [8, 7, 6, 4, 5]);
      const score =
        status === 'qualified' || status === 'converted' ? rng.int(60, 100) : status === 'unqualified' ? rng.int(0, 30) : rng.int(10, 70);
      const owner = status === 'new' && rng.chance(0.6) ? null : salesPerson(ctx);
      const firstName = rng.pick(FIRST_NAMES);
      const lastName = rng.pick(LAST_NAMES);
      const company = rng.pick(LEAD_COMPANIES);
      const created = between(rng, 0.2, 100);
      const w = owner?.workspaceId ? ctx.workspaces.findIndex((x) => x.id === owner.workspaceId) : rng.int(0, 1);
      return {
        firstName,
        lastName,
        email: `${firstName}.${lastName}`.toLowerCase() + `@${slug(company)}.example`,
        phone: rng.chance(0.7) ? phone(ctx, w) : null,
        company,
        jobTitle: rng.pick(JOB_TITLES),
        source: rng.pick(LEAD_SOURCES),
        status,
        score,
        notes: rng.chance(0.4) ? rng.pick(['Asked for a callback next week', 'Met at the trade fair', 'Budget expected in Q1', 'Wants a demo']) : null,
        assignedToId: owner?.id ?? null,
        assignedById: owner?.managerId ?? null,
        // (never after the load day began: the round robin of new leads goes by the latest assignment)
        assignedAt: owner ? new Date(Math.min(addMinutes(created, rng.int(10, 60 * 24 * 3)).getTime(), DEMO_BASE_DATE.getTime() - 60_000)) : null,
        workspaceId: ctx.workspaces[w]!.id,
        projectId: null,
        tenantId,
        createdAt: created,
      };
    }),
  );
}

export const DEMO_DEALS_PER_TENANT = 40;

export async function seedDeals(ctx: TenantContext): Promise<void> {
  const { tx, tenantId, rng } = ctx;
  const stagesOf = (pipelineId: number) => ctx.stages.filter((s) => s.salePipelineId === pipelineId);
  const probabilityOf = (stageTitle: string, pipelineIndex: number) =>
    ctx.spec.pipelines[pipelineIndex]!.stages.find((s) => s.title === stageTitle)!.probability;
  const level = (name: string) => ctx.interestLevels.find((l) => l.level === name)!.id;
  const userById = new Map(ctx.users.map((u) => [u.id, u]));

  ctx.deals = await insertRows(
    tx,
    deals,
    Array.from({ length: DEMO_DEALS_PER_TENANT }, (_, i) => {
      const product = ctx.products[i % ctx.products.length]!;
      const pipelineIndex = ctx.pipelines.findIndex((p) => p.id === product.salesPipelineId);
      const stages = stagesOf(product.salesPipelineId!);
      // Most deals sit early in the pipeline; fewer reach the end.
      const stage = rng.weighted(stages, stages.map((_, k) => stages.length - k + 1));
      const base = probabilityOf(stage.title, pipelineIndex);
      const closed = base === 0 || base === 100;
      const probability = closed ? base : Math.max(1, Math.min(99, base + rng.int(-5, 5)));
      const contact = rng.pick(ctx.contacts);
      const owner = userById.get(contact.assignedToId!)!;
      const company = ctx.companies.find((c) => c.id === contact.companyId)!;
      const price = Number(product.salePrice);
      const quantity = rng.int(1, price < 100 ? 200 : price < 1000 ? 25 : 4);
      // Created over the last half year, most in the last 90 days; a closed deal closes after it was created.
      const created = between(rng, 0.5, rng.chance(0.7) ? 90 : 180);
      const close = closed ? between(rng, 0.1, (DEMO_BASE_DATE.getTime() - created.getTime()) / DAY) : daysAgo(-rng.int(7, 150));
      return {
        title: `${product.name} for ${company.name}`,
        description: rng.chance(0.5) ? `${quantity} x ${product.title}` : null,
        value: (price * quantity).toFixed(2),
        stageId: stage.id,
        probability,
        expectedCloseDate: dateOnly(close),
        companyId: company.id,
        contactId: contact.id,
        productId: product.id,
        interestLevelId: base === 0 ? level('Cold') : base >= 50 ? level('Hot') : rng.chance(0.6) ? level('Warm') : level('Cold'),
        assignedToId: owner.id,
        supervisorId: owner.managerId,
        workspaceId: contact.workspaceId,
        projectId: ctx.pipelines[pipelineIndex]!.projectId ?? contact.projectId,
        tenantId,
        createdAt: created,
      };
    }),
  );

  const types = await insertRows(
    tx,
    activityTypes,
    [
      ['Call', 'Phone or video call'],
      ['Email', 'Written follow-up'],
      ['Meeting', 'Meeting at the office or the customer'],
      ['Demo', 'Product demonstration'],
      ['Follow-up', 'Reminder to get back to the customer'],
      ['Site Visit', 'Visit at the customer site'],
    ].map(([typeName, description], i) => ({
      typeName: typeName!,
      description,
      // One type is specific to the first workspace.
      workspaceId: i === 5 ? ctx.workspaces[0]!.id : null,
      tenantId,
      createdAt: daysAgo(390),
    })),
  );

  const subjects: Record<string, (who: string, what: string) => string> = {
    Call: (who) => `Call with ${who}`,
    Email: (who) => `Send proposal to ${who}`,
    Meeting: (_, what) => `Meeting: ${what}`,
    Demo: (_, what) => `Product demo: ${what}`,
    'Follow-up': (_, what) => `Follow up on ${what}`,
    'Site Visit': (who) => `Site visit with ${who}`,
  };
  await insertRows(
    tx,
    activities,
    Array.from({ length: 120 }, () => {
      const type = rng.pick(types).typeName;
      const deal = rng.chance(0.7) ? rng.pick(ctx.deals) : null;
      const contact = deal ? ctx.contacts.find((c) => c.id === deal.contactId)! : rng.pick(ctx.contacts);
      const owner = userById.get(deal?.assignedToId ?? contact.assignedToId!)!;
      const status = rng.weighted(['planned', 'in_progress', 'completed', 'cancelled'] as const, [20, 10, 25, 5]);
      const due =
        status === 'planned' ? daysAgo(rng.chance(0.2) ? rng.int(1, 5) : -rng.int(0, 30))
        : status === 'in_progress' ? daysAgo(-rng.int(-3, 10))
        : daysAgo(rng.int(1, 85));
      const completed = status === 'completed' ? new Date(Math.min(due.getTime() + rng.int(0, 3) * DAY, DEMO_BASE_DATE.getTime())) : null;
      const created = new Date(Math.min(due.getTime() - rng.int(1, 14) * DAY, DEMO_BASE_DATE.getTime() - DAY));
      return {
        subject: subjects[type]!(`${contact.firstName} ${contact.lastName}`, deal?.title ?? 'open questions'),
        description: rng.chance(0.5) ? rng.pick(['Agenda sent in advance', 'Bring the price list', 'Discuss delivery dates', 'Confirm decision makers']) : null,
        activityType: type,
        status,
        priority: rng.weighted(['low', 'medium', 'high', 'urgent'] as const, [3, 6, 3, 1]),
        dueDate: dateOnly(due),
        completedDate: completed ? dateOnly(completed) : null,
        userId: owner.id,
        supervisorId: owner.managerId,
        contactId: contact.id,
        dealId: deal?.id ?? null,
        workspaceId: deal?.workspaceId ?? contact.workspaceId,
        projectId: deal?.projectId ?? null,
        tenantId,
        createdAt: created,
      };
    }),
  );
}
