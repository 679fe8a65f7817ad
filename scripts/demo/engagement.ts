// The behavioural and AI part of one demo tenant: analytics events in sessions over the last 90 days,
// website assistants with documents, visitor conversations and prospects, and Epesi Agent conversations.
import {
  agentConversations, agentMessages, assistantConversations, assistantDocuments, assistantMessages, assistantProspects,
  assistants, events,
} from '../../schema';
import { embedCode } from '../../domain/assistants/embed';
import { addMinutes, between, daysAgo, insertRows, slug, type TenantContext } from './common';
import { FIRST_NAMES, LAST_NAMES } from './tenants';

/** About 40 a day (5 sessions) over the 90 days: enough that every day of the dashboards' default ranges has events. */
export const DEMO_EVENTS_PER_TENANT = 3500;
export const DEMO_EVENT_DAYS = 90;

const DEVICES = [
  { source: 'web', weight: 7, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36' },
  { source: 'web', weight: 4, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' },
  { source: 'web', weight: 2, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0' },
  { source: 'mobile', weight: 3, userAgent: 'EpesiCRM/2.4.1 (iPhone; iOS 17.6)' },
  { source: 'mobile', weight: 2, userAgent: 'EpesiCRM/2.4.1 (Android 14; Pixel 8)' },
  { source: 'api', weight: 1, userAgent: 'epesi-sdk-node/1.4.0' },
];
const PAGES: [string, string][] = [
  ['/dashboard', 'Dashboard'], ['/contacts', 'Contacts'], ['/deals', 'Deals'], ['/deals/board', 'Pipeline board'],
  ['/companies', 'Companies'], ['/leads', 'Leads'], ['/products', 'Products'], ['/activities', 'Activities'],
  ['/reports/pipeline', 'Pipeline report'], ['/settings/profile', 'Profile'],
];
const SEARCHES = ['invoice', 'renewal', 'drill', 'solar', 'london', 'q4', 'battery', 'demo', 'contract', 'pricing'];

type EventRow = typeof events.$inferInsert;

export async function seedEvents(ctx: TenantContext): Promise<void> {
  const { rng, spec, tenantId } = ctx;
  const rows: EventRow[] = [];
  const agentsFirst = ctx.users.map((u) => (ctx.roles.find((r) => r.id === u.roleId)!.level <= 2 ? 4 : 1));
  while (rows.length < DEMO_EVENTS_PER_TENANT) {
    const user = rng.weighted(ctx.users, agentsFirst);
    const device = rng.weighted(DEVICES, DEVICES.map((d) => d.weight));
    const sessionId = `sess_${rng.hex(24)}`;
    const ipAddress = rng.chance(0.5) ? `203.0.113.${rng.int(1, 254)}` : `198.51.100.${rng.int(1, 254)}`;
    let t = between(rng, 0.2, DEMO_EVENT_DAYS);
    const push = (eventName: string, path: string | null, eventProperties: Record<string, unknown>) => {
      rows.push({
        eventName,
        userId: user.id,
        workspaceId: user.workspaceId,
        timestamp: t,
        source: device.source,
        url: path && device.source !== 'api' ? `https://${spec.subdomain}.epesicrm.test${path}` : null,
        userAgent: device.userAgent,
        ipAddress,
        sessionId,
        eventProperties,
        tenantId,
        createdAt: t,
      });
      t = addMinutes(t, rng.int(5, 300) / 60);
    };
    push('user.login', '/login', { method: 'password', success: true });
    const steps = rng.int(4, 14);
    for (let k = 0; k < steps; k++) {
      const kind = rng.weighted(
        ['page.view', 'record.created', 'record.updated', 'deal.stage_changed', 'search.performed', 'button.click', 'report.exported'],
        [40, 8, 10, 8, 6, 8, 2],
      );
      if (kind === 'page.view') {
        const [path, title] = rng.pick(PAGES);
        push(kind, path, { path, title, referrer: k === 0 ? '/login' : null, duration_ms: rng.int(800, 120_000) });
      } else if (kind === 'record.created' || kind === 'record.updated') {
        const entity = rng.pick(['contact', 'deal', 'company'] as const);
        const list: { id: number }[] = entity === 'contact' ? ctx.contacts : entity === 'deal' ? ctx.deals : ctx.companies;
        const record = rng.pick(list);
        const props: Record<string, unknown> = { entity, record_id: record.id };
        if (kind === 'record.updated') props.fields = rng.shuffle(['status', 'phone', 'email', 'value', 'assigned_to_id']).slice(0, rng.int(1, 3));
        push(kind, `/${entity === 'company' ? 'companies' : `${entity}s`}/${record.id}`, props);
      } else if (kind === 'deal.stage_changed') {
        const deal = rng.pick(ctx.deals);
        const to = ctx.stages.find((s) => s.id === deal.stageId)!;
        const earlier = ctx.stages.filter((s) => s.salePipelineId === to.salePipelineId && s.order < to.order);
        const from = earlier.length ? rng.pick(earlier) : ctx.stages.find((s) => s.salePipelineId === to.salePipelineId && s.order > to.order)!;
        push(kind, `/deals/${deal.id}`, {
          deal_id: deal.id, pipeline_id: to.salePipelineId, from_stage_id: from.id, to_stage_id: to.id,
          from_stage: from.title, to_stage: to.title, value: Number(deal.value),
        });
      } else if (kind === 'search.performed') {
        push(kind, '/search', { query: rng.pick(SEARCHES), results: rng.int(0, 40), scope: rng.pick(['all', 'contacts', 'deals']) });
      } else if (kind === 'button.click') {
        const [path] = rng.pick(PAGES);
        push(kind, path, { element: rng.pick(['new-record', 'filter', 'export', 'assign', 'save']), page: path });
      } else {
        push(kind, '/reports/pipeline', { report: rng.pick(['pipeline', 'activities', 'forecast']), format: rng.pick(['csv', 'xlsx', 'pdf']), rows: rng.int(10, 900) });
      }
    }
    if (rng.chance(0.3)) push('user.logout', '/logout', {});
  }
  rows.length = DEMO_EVENTS_PER_TENANT;
  // Chronological ids, as a live outbox would have them.
  rows.sort((a, b) => a.timestamp!.getTime() - b.timestamp!.getTime());
  await insertRows(ctx.tx, events, rows);
}

const FAQ: [string, string][] = [
  ['What are your delivery times?', 'Stock items ship within 2 business days; made-to-order items within 3 weeks.'],
  ['Do you offer financing?', 'Yes, leasing over 12, 24 or 36 months for orders above 5,000.'],
  ['How do I reach support?', 'Write to support or call during business hours, Monday to Friday 8:00-18:00.'],
  ['Can I return a product?', 'Unused products can be returned within 30 days of delivery.'],
  ['Do you have a partner program?', 'Resellers get up to 25% off list prices depending on their tier.'],
];
const VISITOR_QUESTIONS = [
  'Hi, what does your most popular product cost?', 'Do you ship to Canada?', 'Is there a discount for larger orders?',
  'Can I get a demo next week?', 'What warranty do you offer?', 'How long does installation take?',
];

export async function seedAssistants(ctx: TenantContext): Promise<void> {
  const { tx, rng, spec, tenantId } = ctx;
  const created = daysAgo(120);
  // Demo keys come from the seeded generator (deterministic demo data); real assistants get a random key
  // from the database (schema/tables/assistants.ts). The site assistant turns prospects into CRM leads.
  const widget = () => {
    const publicKey = `ak_${rng.hex(24)}`;
    return { publicKey, widgetCode: embedCode(publicKey), allowedOrigins: [`https://www.${spec.emailDomain}`, 'http://localhost:3000'] };
  };
  const [site, workspace] = await insertRows(tx, assistants, [
    {
      name: spec.assistant.name, description: `Answers visitors on the ${spec.name} website`, scope: 'tenant', workspaceId: null,
      systemPrompt: `You are the website assistant of ${spec.name}. Be ${spec.assistant.tone}. Answer from the product catalog and the FAQ; offer the lead form when a visitor asks for a quote.`,
      isActive: true, ...widget(), createsLeads: true, tenantId, createdAt: created, updatedAt: daysAgo(30),
    },
    {
      name: spec.assistant.workspaceName, description: `Qualifies inbound requests for ${ctx.workspaces[0]!.name}`, scope: 'workspace',
      workspaceId: ctx.workspaces[0]!.id,
      systemPrompt: `You qualify inbound requests for the ${ctx.workspaces[0]!.name} team of ${spec.name}. Ask for company size, budget and timing.`,
      isActive: true, ...widget(), tenantId, createdAt: addMinutes(created, 60 * 24 * 5), updatedAt: daysAgo(20),
    },
  ]);
  const active = ctx.products.filter((p) => p.isActive);
  const catalog = (list: typeof active) => list.map((p) => `${p.title}: ${p.salePrice} ${p.currency}. ${p.description ?? ''}`).join('\n');
  const ws0Products = active.filter((p) => p.workspaceId === null || p.workspaceId === ctx.workspaces[0]!.id).slice(0, 8);
  await insertRows(tx, assistantDocuments, [
    { assistantId: site!.id, type: 'products', name: 'Product catalog', description: 'All active products', content: catalog(active), itemCount: active.length, lastSynced: daysAgo(1), tenantId, createdAt: created, updatedAt: daysAgo(1) },
    { assistantId: site!.id, type: 'faq', name: 'Customer FAQ', description: 'Delivery, returns, support', content: FAQ.map(([q, a]) => `Q: ${q}\nA: ${a}`).join('\n\n'), itemCount: FAQ.length, lastSynced: daysAgo(14), tenantId, createdAt: created, updatedAt: daysAgo(14) },
    { assistantId: workspace!.id, type: 'products', name: `${ctx.workspaces[0]!.name} catalog`, description: 'Products sold by the team', content: catalog(ws0Products), itemCount: ws0Products.length, lastSynced: daysAgo(2), tenantId, createdAt: created, updatedAt: daysAgo(2) },
    { assistantId: workspace!.id, type: 'documents', name: 'Qualification checklist', description: 'What to ask before handing over to sales', content: 'Company size\nBudget range\nDecision timeline\nCurrent supplier', itemCount: 4, isActive: false, lastSynced: null, tenantId, createdAt: created, updatedAt: daysAgo(40) },
  ]);

  // Eight visitor conversations; three of them end with a lead form and a captured prospect.
  const captured = new Set([1, 3, 6]);
  type Message = Omit<typeof assistantMessages.$inferInsert, 'conversationId'>;
  const scripts: Message[][] = [];
  const visitors = Array.from({ length: 8 }, (_, i) => {
    const assistant = i < 5 ? site! : workspace!;
    const start = between(rng, 0.5, 45);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const company = `${last} ${rng.pick(['GmbH', 'Ltd', 'LLC', 'SA', 'BV'])}`;
    const lead = captured.has(i);
    const product = rng.pick(active);
    let t = start;
    const msgs: Message[] = [];
    const say = (role: 'user' | 'assistant', content: string, messageType: 'text' | 'lead_form' = 'text', metadata: Record<string, unknown> = {}) => {
      msgs.push({ role, content, messageType, metadata, tenantId, createdAt: t });
      t = addMinutes(t, rng.int(1, 6) * 0.5);
    };
    const turns = 1 + (i % 2); // (not drawn: every tenant gets the same number of messages)
    for (let k = 0; k < turns; k++) {
      say('user', rng.pick(VISITOR_QUESTIONS));
      say('assistant', `${product.title} is ${product.salePrice} ${product.currency}. ${rng.pick(FAQ)[1]}`, 'text', { sources: ['products', 'faq'] });
    }
    const details = { name: `${first} ${last}`, email: `${first}.${last}`.toLowerCase() + `@${slug(company)}.example`, company, phone: `+44 20 7946 ${rng.int(1000, 9999)}` };
    if (lead) {
      say('user', `Could I get a quote for ${product.name}?`);
      say('assistant', 'Of course. Please leave your details and our team will send you a quote.', 'lead_form', {
        fields: ['name', 'email', 'company', 'phone'],
        submitted: details,
      });
      say('assistant', `Thank you ${first}, a member of the ${spec.name} sales team will contact you within one business day.`);
    }
    scripts.push(msgs);
    return {
      assistantId: assistant.id,
      visitorId: rng.uuid(),
      visitorEmail: lead ? details.email : null,
      visitorName: lead ? details.name : null,
      visitorCompany: lead ? company : null,
      status: i % 3 === 0 ? ('closed' as const) : ('open' as const),
      leadCaptured: lead,
      tenantId,
      createdAt: start,
      updatedAt: msgs[msgs.length - 1]!.createdAt!,
      details,
      product,
    };
  });
  const conversations = await insertRows(tx, assistantConversations, visitors.map(({ details: _d, product: _p, ...row }) => row));
  await insertRows(
    tx,
    assistantMessages,
    scripts.flatMap((msgs, i) => msgs.map((m) => ({ ...m, conversationId: conversations[i]!.id }))),
  );
  await insertRows(
    tx,
    assistantProspects,
    visitors.flatMap((v, i) =>
      v.leadCaptured
        ? [{
            assistantId: v.assistantId, conversationId: conversations[i]!.id, email: v.details.email, name: v.details.name,
            company: v.details.company, phone: v.details.phone, source: 'website_chat',
            leadQuality: rng.pick(['hot', 'warm', 'cold'] as const), notes: `Asked for a quote for ${v.product.title}`,
            tenantId, createdAt: v.updatedAt, updatedAt: v.updatedAt,
          }]
        : [],
    ),
  );
}

const AGENT_TOPICS: [string, string, string, string, string][] = [
  ['Deals closing this month', 'Which of my deals are likely to close this month?', 'Three of your open deals have an expected close date this month; the largest is in Negotiation at 75%.', 'Draft a follow-up email for the largest one.', 'Here is a draft: "Hi, following our last call I have attached the updated offer..."'],
  ['Overdue activities', 'What is overdue for me?', 'You have two planned activities past their due date: a call and a follow-up.', 'Move them to tomorrow morning.', 'I cannot change records yet, but both can be rescheduled from the Activities page.'],
  ['Team pipeline summary', 'Summarize my team pipeline by stage.', 'Most of the value sits in Proposal and Negotiation; Prospecting has the most deals.', 'Who has the most open deals?', 'Your first agent has the most open deals, followed by the second.'],
];

export async function seedAgentConversations(ctx: TenantContext): Promise<void> {
  const { tx, rng, tenantId } = ctx;
  const owners = ['agent', 'manager', 'director'].map((u) => ctx.user.get(u)!);
  const convs = owners.flatMap((user, u) =>
    [0, 1].map((k) => {
      const topic = AGENT_TOPICS[(u + k) % AGENT_TOPICS.length]!;
      const start = between(rng, 1, 30);
      const times = [0, 1, 2, 3].map((m) => addMinutes(start, m * 2 + rng.int(0, 1)));
      return { user, topic, start, times, isActive: k === 0 };
    }),
  );
  const inserted = await insertRows(
    tx,
    agentConversations,
    convs.map((c) => ({ userId: c.user.id, title: c.topic[0], isActive: c.isActive, tenantId, createdAt: c.start, updatedAt: c.times[3]! })),
  );
  await insertRows(
    tx,
    agentMessages,
    convs.flatMap((c, i) =>
      [1, 2, 3, 4].map((m) => ({
        conversationId: inserted[i]!.id,
        userId: c.user.id,
        role: m % 2 === 1 ? ('user' as const) : ('assistant' as const),
        content: c.topic[m]!,
        tenantId,
        createdAt: c.times[m - 1]!,
      })),
    ),
  );
}
