// Row generators for the bulk tables, one COPY text line per call. Ids of companies, contacts and deals are
// reserved up front (scripts/scale/copy.ts reserveIds), so later rows can reference earlier ones by arithmetic
// instead of keeping millions of ids in memory. Every value comes from fixed vocabularies without tabs,
// backslashes or line breaks, so nothing needs COPY escaping.
import type { Random } from '../random';
import { NULL } from './copy';
import type { ScaleUser, TenantSetup } from './setup';

const DAY = 86_400_000;

/** Where each tenant's rows of one table sit in a reserved id range. */
export interface Layout {
  first: number;
  offsets: number[];
  counts: number[];
  total: number;
}

export function layout(first: number, counts: number[]): Layout {
  const offsets: number[] = [];
  let total = 0;
  for (const c of counts) {
    offsets.push(total);
    total += c;
  }
  return { first, offsets, counts, total };
}

/** Calls `row(t, k)` for tenant t's k-th row; global index i must grow by one per call. */
function perTenant(l: Layout, row: (t: number, k: number, i: number) => string): (i: number) => string {
  let t = 0;
  return (i) => {
    while (i >= l.offsets[t]! + l.counts[t]!) t++;
    return row(t, i - l.offsets[t]!, i);
  };
}

const ADJECTIVES = ['Blue', 'Northern', 'Golden', 'Rapid', 'Silver', 'Green', 'Prime', 'Pacific', 'Summit', 'Urban', 'Atlas', 'Bright', 'Coastal', 'Delta', 'Eagle', 'Granite'];
const NOUNS = ['Harbor', 'Systems', 'Foods', 'Logistics', 'Energy', 'Builders', 'Health', 'Retail', 'Media', 'Motors', 'Labs', 'Textiles', 'Capital', 'Farms', 'Works', 'Networks'];
const INDUSTRIES = ['Manufacturing', 'Retail', 'Logistics', 'Software', 'Construction', 'Healthcare', 'Finance', 'Energy', 'Hospitality', 'Media'];
const COMPANY_TYPES = ['Customer', 'Customer', 'Prospect', 'Prospect', 'Partner', 'Vendor'];
const CITIES = ['London', 'Berlin', 'Paris', 'Madrid', 'Warsaw', 'New York', 'Chicago', 'Toronto', 'Austin', 'Denver'];
const FIRST = ['james', 'olivia', 'liam', 'emma', 'noah', 'ava', 'lucas', 'mia', 'ethan', 'sophia', 'mateo', 'isabella', 'leo', 'amelia', 'hugo', 'nora', 'jonas', 'elena', 'omar', 'aisha', 'kenji', 'yuki', 'pablo', 'ines'];
const LAST = ['smith', 'johnson', 'garcia', 'muller', 'rossi', 'dubois', 'nowak', 'jensen', 'silva', 'tanaka', 'kim', 'patel', 'khan', 'andersen', 'moreau', 'schmidt', 'costa', 'ivanova', 'haddad', 'larsen'];
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const FIRST_CAP = FIRST.map(cap);
const LAST_CAP = LAST.map(cap);
const JOB_TITLES = ['CEO', 'CFO', 'Head of Procurement', 'Purchasing Manager', 'Operations Manager', 'IT Director', 'Buyer', 'Office Manager'];
const CONTACT_STATUS = ['lead', 'prospect', 'prospect', 'active', 'active', 'active', 'inactive'];

export const companyName = (k: number) =>
  `${ADJECTIVES[k % ADJECTIVES.length]} ${NOUNS[Math.floor(k / ADJECTIVES.length) % NOUNS.length]} ${k + 1}`;
const companyDomain = (k: number) => `${companyName(k).toLowerCase().replace(/ /g, '-')}.example`;

const stamp = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const COMPANY_COLUMNS = ['id', 'name', 'type', 'industry', 'phone', 'email', 'website', 'address', 'workspace_id', 'project_id', 'tenant_id', 'created_at'] as const;

export function companyRows(setups: TenantSetup[], l: Layout, rng: Random, baseMs: number, days: number) {
  return perTenant(l, (t, k, i) => {
    const s = setups[t]!;
    const domain = companyDomain(k);
    const w = k % 2;
    const created = baseMs - rng.int(days, days + 365) * DAY;
    return `${l.first + i}\t${companyName(k)}\t${rng.pick(COMPANY_TYPES)}\t${rng.pick(INDUSTRIES)}\t+1 555 ${rng.int(100, 999)} ${rng.int(1000, 9999)}\tinfo@${domain}\thttps://www.${domain}\t${rng.int(1, 400)} Main Street, ${rng.pick(CITIES)}\t${s.workspaceIds[w]}\t${rng.chance(0.3) ? s.projectIds[w] : NULL}\t${s.id}\t${stamp(created)}`;
  });
}

export const CONTACT_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'phone', 'job_title', 'status', 'company_id', 'assigned_to_id', 'supervisor_id', 'workspace_id', 'project_id', 'tenant_id', 'created_at'] as const;

/** The company and owner of tenant t's k-th contact: derived, so deals can find them without a lookup. */
export function contactLinks(setups: TenantSetup[], companies: Layout, t: number, k: number): { companyId: number; owner: ScaleUser } {
  const s = setups[t]!;
  return {
    companyId: companies.first + companies.offsets[t]! + (k % companies.counts[t]!),
    owner: s.agents[k % s.agents.length]!,
  };
}

export function contactRows(setups: TenantSetup[], l: Layout, companies: Layout, rng: Random, baseMs: number, days: number) {
  return perTenant(l, (t, k, i) => {
    const s = setups[t]!;
    const { companyId, owner } = contactLinks(setups, companies, t, k);
    const f = rng.int(0, FIRST.length - 1);
    const n = rng.int(0, LAST.length - 1);
    const created = baseMs - rng.int(0, days + 180) * DAY - rng.int(0, DAY - 1);
    return `${l.first + i}\t${FIRST_CAP[f]}\t${LAST_CAP[n]}\t${FIRST[f]}.${LAST[n]}.${k + 1}@${companyDomain(companyId - companies.first - companies.offsets[t]!)}\t+44 20 7946 ${rng.int(1000, 9999)}\t${rng.pick(JOB_TITLES)}\t${rng.pick(CONTACT_STATUS)}\t${companyId}\t${owner.id}\t${owner.managerId ?? NULL}\t${owner.workspaceId ?? NULL}\t${NULL}\t${s.id}\t${stamp(created)}`;
  });
}

export const DEAL_COLUMNS = ['id', 'title', 'description', 'value', 'stage_id', 'probability', 'expected_close_date', 'company_id', 'contact_id', 'product_id', 'interest_level_id', 'assigned_to_id', 'supervisor_id', 'workspace_id', 'project_id', 'tenant_id', 'created_at'] as const;
const STAGE_WEIGHTS = [30, 20, 15, 10, 15, 10];

/** Deals of tenant 0, created in chronological order over `days` before the base date. */
export function dealRows(setups: TenantSetup[], first: number, total: number, contacts: Layout, companies: Layout, rng: Random, baseMs: number, days: number) {
  const s = setups[0]!;
  const span = days * DAY;
  const contactCount = contacts.counts[0]!;
  return (i: number) => {
    const k = rng.int(0, contactCount - 1);
    const { companyId, owner } = contactLinks(setups, companies, 0, k);
    const stage = rng.weighted(s.stages, STAGE_WEIGHTS);
    const closed = stage.probability === 0 || stage.probability === 100;
    const probability = closed ? stage.probability : Math.max(1, Math.min(99, stage.probability + rng.int(-5, 5)));
    const product = rng.pick(s.products);
    const quantity = rng.int(1, product.price < 100 ? 200 : product.price < 1000 ? 20 : 3);
    const created = baseMs - span + Math.floor((i * span) / total);
    const close = closed ? Math.min(baseMs, created + rng.int(1, 90) * DAY) : baseMs + rng.int(7, 180) * DAY;
    const interest = stage.probability === 0 ? s.interestLevelIds.cold : stage.probability >= 50 ? s.interestLevelIds.hot : rng.chance(0.6) ? s.interestLevelIds.warm : s.interestLevelIds.cold;
    return `${first + i}\t${product.name} for ${companyName(companyId - companies.first)}\t${NULL}\t${(product.price * quantity).toFixed(2)}\t${stage.id}\t${probability}\t${day(close)}\t${companyId}\t${contacts.first + k}\t${product.id}\t${interest}\t${owner.id}\t${owner.managerId ?? NULL}\t${owner.workspaceId ?? NULL}\t${NULL}\t${s.id}\t${stamp(created)}`;
  };
}

export const EVENT_COLUMNS = ['event_name', 'user_id', 'workspace_id', 'timestamp', 'source', 'url', 'user_agent', 'ip_address', 'session_id', 'event_properties', 'tenant_id', 'created_at'] as const;

const DEVICES = [
  ['web', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36'],
  ['web', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'],
  ['mobile', 'EpesiCRM/2.4.1 (iPhone; iOS 17.6)'],
  ['mobile', 'EpesiCRM/2.4.1 (Android 14; Pixel 8)'],
  ['api', 'epesi-sdk-node/1.4.0'],
] as const;
const PAGES = ['/dashboard', '/contacts', '/deals', '/deals/board', '/companies', '/leads', '/products', '/activities', '/reports/pipeline'];
const EVENT_NAMES = ['page.view', 'record.created', 'record.updated', 'deal.stage_changed', 'search.performed', 'button.click', 'report.exported'];
const EVENT_WEIGHTS = [50, 8, 12, 8, 8, 12, 2];
const SEARCHES = ['invoice', 'renewal', 'q4', 'pricing', 'contract', 'london', 'demo'];
const ELEMENTS = ['new-record', 'filter', 'export', 'assign', 'save'];

/** Events of tenant 0 in sessions of 5-20 events, timestamps increasing with the id over `days`. */
export function eventRows(setups: TenantSetup[], total: number, deals: { first: number; count: number }, contacts: Layout, rng: Random, baseMs: number, days: number) {
  const s = setups[0]!;
  const host = `https://${s.subdomain}.epesicrm.test`;
  const span = days * DAY;
  const userWeights = s.users.map((u) => (u.level <= 2 ? 4 : 1));
  let left = 0;
  let user = s.users[0]!;
  let device: (typeof DEVICES)[number] = DEVICES[0];
  let ip = '';
  let session = '';
  return (i: number) => {
    const ts = stamp(baseMs - span + Math.floor((i * span) / total));
    let name: string;
    let path: string;
    let props: string;
    if (left === 0) {
      left = rng.int(5, 20);
      user = rng.weighted(s.users, userWeights);
      device = rng.pick(DEVICES);
      ip = `203.0.113.${rng.int(1, 254)}`;
      session = `sess_${rng.hex(24)}`;
      name = 'user.login';
      path = '/login';
      props = '{"method": "password", "success": true}';
    } else {
      name = rng.weighted(EVENT_NAMES, EVENT_WEIGHTS);
      // Without deals (or contacts) to point at, those events become page views.
      if (name === 'deal.stage_changed' && deals.count === 0) name = 'page.view';
      if (name.startsWith('record.') && deals.count === 0 && contacts.counts[0] === 0) name = 'page.view';
      switch (name) {
        case 'record.created':
        case 'record.updated': {
          const deal = deals.count > 0 && rng.chance(0.5);
          const id = deal ? deals.first + rng.int(0, deals.count - 1) : contacts.first + rng.int(0, contacts.counts[0]! - 1);
          path = deal ? `/deals/${id}` : `/contacts/${id}`;
          props = `{"entity": "${deal ? 'deal' : 'contact'}", "record_id": ${id}}`;
          break;
        }
        case 'deal.stage_changed': {
          const id = deals.first + rng.int(0, deals.count - 1);
          const from = rng.int(0, s.stages.length - 2);
          path = `/deals/${id}`;
          props = `{"deal_id": ${id}, "from_stage_id": ${s.stages[from]!.id}, "to_stage_id": ${s.stages[from + 1]!.id}}`;
          break;
        }
        case 'search.performed':
          path = '/search';
          props = `{"query": "${rng.pick(SEARCHES)}", "results": ${rng.int(0, 500)}}`;
          break;
        case 'button.click':
          path = rng.pick(PAGES);
          props = `{"element": "${rng.pick(ELEMENTS)}", "page": "${path}"}`;
          break;
        case 'report.exported':
          path = '/reports/pipeline';
          props = `{"report": "pipeline", "format": "csv", "rows": ${rng.int(10, 5000)}}`;
          break;
        default:
          path = rng.pick(PAGES);
          props = `{"path": "${path}", "duration_ms": ${rng.int(500, 120_000)}}`;
      }
    }
    left--;
    const url = device[0] === 'api' ? NULL : host + path;
    return `${name}\t${user.id}\t${user.workspaceId ?? NULL}\t${ts}\t${device[0]}\t${url}\t${device[1]}\t${ip}\t${session}\t${props}\t${s.id}\t${ts}`;
  };
}
