// Options of the scale seeder, their defaults and the command line that sets them.
import { parseArgs } from 'node:util';
import { demoBaseDate } from '../demo/common';

export interface ScaleOptions {
  /** Tenants scale1..scaleN; each gets roles, users, workspaces, a pipeline, products and a few customers. */
  tenants: number;
  /** Deals, all in the first tenant (scale1). */
  deals: number;
  /** Events, all in the first tenant. */
  events: number;
  /** Contacts of the first tenant. */
  contacts: number;
  /** Companies of the first tenant. */
  companies: number;
  /** Contacts and companies of every other tenant. */
  smallContacts: number;
  smallCompanies: number;
  /** Users per tenant (at least 6: one per level). */
  users: number;
  /** Products per tenant. */
  products: number;
  /** Events and deals spread over this many days before the base date. */
  days: number;
  seed: number;
  /**
   * Deals and events end at this UTC date (YYYY-MM-DD): by default the day of the load (as the demo data), so
   * the dashboards' recent ranges are full; runs of the same day are identical, --base reproduces another day's.
   */
  base: string;
  /** Rows per COPY statement. */
  batchRows: number;
  /**
   * Load row by row with every trigger and index in place (slow). By default the bulk tables are loaded with
   * triggers off (when permitted) and their secondary indexes rebuilt afterwards; foreign keys are then
   * verified in one pass (scripts/scale/fast.ts).
   */
  safe: boolean;
  /** VACUUM the bulk tables after the load (visibility map and hint bits set, as on a settled database). */
  vacuum: boolean;
}

export const DEFAULT_SCALE_OPTIONS: ScaleOptions = {
  tenants: 100,
  deals: 1_000_000,
  events: 10_000_000,
  contacts: 100_000,
  companies: 5_000,
  smallContacts: 50,
  smallCompanies: 20,
  users: 12,
  products: 20,
  days: 365,
  seed: 1,
  base: demoBaseDate().toISOString().slice(0, 10),
  batchRows: 500_000,
  safe: false,
  vacuum: false,
};

type CountKey = Exclude<keyof ScaleOptions, 'base' | 'safe' | 'vacuum'>;
const FLAGS: Record<string, CountKey> = {
  tenants: 'tenants',
  deals: 'deals',
  events: 'events',
  contacts: 'contacts',
  companies: 'companies',
  'small-contacts': 'smallContacts',
  'small-companies': 'smallCompanies',
  users: 'users',
  products: 'products',
  days: 'days',
  seed: 'seed',
  batch: 'batchRows',
};

export const USAGE = `usage: DATABASE_URL=postgres://... tsx scripts/seed-scale.ts [options]
  --tenants N          tenants scale1..scaleN (${DEFAULT_SCALE_OPTIONS.tenants})
  --deals N            deals in scale1 (${DEFAULT_SCALE_OPTIONS.deals})
  --events N           events in scale1 (${DEFAULT_SCALE_OPTIONS.events})
  --contacts N         contacts in scale1 (${DEFAULT_SCALE_OPTIONS.contacts})
  --companies N        companies in scale1 (default: contacts / 20, at least 20)
  --small-contacts N   contacts in every other tenant (${DEFAULT_SCALE_OPTIONS.smallContacts})
  --small-companies N  companies in every other tenant (${DEFAULT_SCALE_OPTIONS.smallCompanies})
  --users N            users per tenant, at least 6 (${DEFAULT_SCALE_OPTIONS.users})
  --products N         products per tenant (${DEFAULT_SCALE_OPTIONS.products})
  --days N             history span of deals and events (${DEFAULT_SCALE_OPTIONS.days})
  --seed N             PRNG seed (${DEFAULT_SCALE_OPTIONS.seed})
  --base YYYY-MM-DD    date the history ends at (${DEFAULT_SCALE_OPTIONS.base})
  --batch N            rows per COPY statement (${DEFAULT_SCALE_OPTIONS.batchRows})
  --vacuum             VACUUM the bulk tables after the load, so index-only scans work at once (slower)
  --safe               keep triggers (per-row foreign key checks) and indexes during the load: slower
Numbers may use _ or k/m suffixes: 10m, 500k, 1_000_000.`;

export function parseCount(flag: string, text: string): number {
  const m = /^(\d[\d_]*)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`--${flag}: not a whole number: ${text}`);
  const unit = { '': 1, k: 1_000, m: 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Number(m[1]!.replace(/_/g, '')) * unit;
}

/** Fills in defaults and checks the options; `companies` defaults to contacts / 20. */
export function resolveOptions(partial: Partial<ScaleOptions>): ScaleOptions {
  const o: ScaleOptions = { ...DEFAULT_SCALE_OPTIONS, ...partial };
  if (partial.companies === undefined) o.companies = Math.max(20, Math.round(o.contacts / 20));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.base) || Number.isNaN(Date.parse(`${o.base}T00:00:00Z`))) {
    throw new Error(`base must be a date YYYY-MM-DD, got ${o.base}`);
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'base' || k === 'safe' || k === 'vacuum') continue;
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${k} must be a whole number >= 0, got ${v}`);
  }
  if (o.tenants < 1) throw new Error('tenants must be at least 1');
  if (o.users < 6) throw new Error('users must be at least 6 (one per role level)');
  if (o.products < 1) throw new Error('products must be at least 1');
  if (o.days < 1) throw new Error('days must be at least 1');
  if (o.batchRows < 1) throw new Error('batch must be at least 1');
  if ((o.deals > 0 || o.contacts > 0) && o.companies < 1) throw new Error('companies must be at least 1 when there are contacts');
  if (o.deals > 0 && o.contacts < 1) throw new Error('deals need contacts (--contacts >= 1)');
  if (o.smallContacts > 0 && o.smallCompanies < 1) throw new Error('small-companies must be at least 1 when small-contacts > 0');
  return o;
}

export function parseScaleArgs(argv: string[]): ScaleOptions | 'help' {
  const { values: parsed } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
      safe: { type: 'boolean' },
      vacuum: { type: 'boolean' },
      base: { type: 'string' },
    },
    strict: true,
  });
  const values = parsed as Record<string, string | boolean | undefined>;
  if (values.help) return 'help';
  const partial: Partial<ScaleOptions> = { safe: values.safe === true, vacuum: values.vacuum === true };
  if (typeof values.base === 'string') partial.base = values.base;
  for (const [flag, key] of Object.entries(FLAGS)) {
    const v = values[flag];
    if (typeof v === 'string') partial[key] = parseCount(flag, v);
  }
  return resolveOptions(partial);
}
