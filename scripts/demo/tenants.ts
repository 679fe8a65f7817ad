// The static content of the demo tenants: names, catalogs and companies. Both tenants have the same shape
// (same counts, same usernames) so that cross-tenant tests can compare like with like; the values differ.

export interface UserSpec {
  username: string;
  firstName: string;
  lastName: string;
  level: 1 | 2 | 3 | 4 | 5 | 6;
  /** Username of the manager; absent for the top of the tree. */
  manager?: string;
  /** Index into TenantSpec.workspaces; absent for users who work across workspaces. */
  workspace?: number;
}

export interface ProductSpec {
  sku: string;
  name: string;
  title: string;
  description: string;
  type: 'physical' | 'digital' | 'service';
  category: number; // index into categories
  price: string;
  stock: number;
  featured?: boolean;
  /** Sold through the second (non-default) pipeline. */
  enterprise?: boolean;
  specifications: Record<string, unknown>;
}

export interface TenantSpec {
  name: string;
  subdomain: string;
  /** Domain of the users' e-mail addresses. */
  emailDomain: string;
  seed: number;
  currency: string;
  workspaces: { name: string; description: string; cities: string[] }[];
  projects: { name: string; description: string; status: 'active' | 'completed' | 'on-hold'; workspace: number }[];
  users: UserSpec[];
  categories: { name: string; description: string; color: string; icon: string; workspace?: number }[];
  products: ProductSpec[];
  /** 15 client companies: name and industry. */
  companies: [string, string][];
  pipelines: { title: string; description: string; stages: { title: string; description: string; probability: number }[] }[];
  assistant: { name: string; workspaceName: string; tone: string };
}

/** The same manager tree in every tenant: wsadmin > admin > director > superadmin > 2 managers > 2 agents each. */
function userTree(names: [string, string][]): UserSpec[] {
  const shape: Omit<UserSpec, 'firstName' | 'lastName'>[] = [
    { username: 'wsadmin', level: 6 },
    { username: 'admin', level: 5, manager: 'wsadmin' },
    { username: 'director', level: 4, manager: 'admin', workspace: 0 },
    { username: 'superadmin', level: 3, manager: 'director', workspace: 0 },
    { username: 'manager', level: 2, manager: 'superadmin', workspace: 0 },
    { username: 'manager2', level: 2, manager: 'superadmin', workspace: 1 },
    { username: 'agent', level: 1, manager: 'manager', workspace: 0 },
    { username: 'agent2', level: 1, manager: 'manager', workspace: 0 },
    { username: 'agent3', level: 1, manager: 'manager2', workspace: 1 },
    { username: 'agent4', level: 1, manager: 'manager2', workspace: 1 },
  ];
  return shape.map((u, i) => ({ ...u, firstName: names[i]![0], lastName: names[i]![1] }));
}

const EMEA = ['London', 'Berlin', 'Paris', 'Madrid', 'Warsaw', 'Amsterdam', 'Milan', 'Stockholm'];
const AMERICAS = ['New York', 'Chicago', 'Toronto', 'Sao Paulo', 'Austin', 'Mexico City', 'Denver', 'Vancouver'];

const standardStages = [
  { title: 'Prospecting', description: 'First contact, need not yet confirmed', probability: 10 },
  { title: 'Qualification', description: 'Budget, authority, need and timing confirmed', probability: 25 },
  { title: 'Proposal', description: 'Offer sent to the customer', probability: 50 },
  { title: 'Negotiation', description: 'Terms and price under discussion', probability: 75 },
  { title: 'Closed Won', description: 'Signed', probability: 100 },
  { title: 'Closed Lost', description: 'Lost or abandoned', probability: 0 },
];

export const DEMO_TENANTS: TenantSpec[] = [
  {
    name: 'Acme Corp',
    subdomain: 'acme',
    emailDomain: 'acme.test',
    seed: 0xac3e,
    currency: 'USD',
    workspaces: [
      { name: 'Sales EMEA', description: 'Europe, Middle East and Africa', cities: EMEA },
      { name: 'Sales Americas', description: 'North and South America', cities: AMERICAS },
    ],
    projects: [
      { name: 'Q4 Enterprise Push', description: 'Large accounts before year end', status: 'active', workspace: 0 },
      { name: 'Channel Partners 2026', description: 'Resellers and distributors', status: 'active', workspace: 1 },
      { name: 'Legacy Tool Recall', description: 'Replace the 2019 drill line at existing customers', status: 'on-hold', workspace: 0 },
    ],
    users: userTree([
      ['Wendy', 'Okafor'], ['Adam', 'Kowalski'], ['Diana', 'Reyes'], ['Samuel', 'Becker'], ['Maria', 'Lindqvist'],
      ['Marcus', 'Oliveira'], ['Anna', 'Novak'], ['Tom', 'Fischer'], ['Lucia', 'Romero'], ['Kevin', 'Brooks'],
    ]),
    categories: [
      { name: 'Power Tools', description: 'Cordless and corded tools', color: '#ef4444', icon: 'Hammer' },
      { name: 'Heavy Equipment', description: 'Anvils, lifts and industrial gear', color: '#f59e0b', icon: 'Truck' },
      { name: 'Software', description: 'Cloud and desktop software', color: '#3b82f6', icon: 'Code' },
      { name: 'Services', description: 'Installation, maintenance and training', color: '#10b981', icon: 'Wrench', workspace: 0 },
      { name: 'Real Estate', description: 'Warehouse and workshop space', color: '#8b5cf6', icon: 'Building' },
    ],
    products: [
      {
        sku: 'ACME-DRL-200', name: 'Hammer Drill 20V', title: 'Acme Cordless Hammer Drill 20V', type: 'physical', category: 0,
        description: 'Brushless hammer drill with two 4 Ah batteries', price: '189.00', stock: 340, featured: true,
        specifications: { industry: 'retail', brand: 'Acme', voltage_v: 20, battery: 'Li-ion 4.0Ah', weight_kg: 1.9,
          dimensions_cm: { length: 24, width: 8, height: 25 }, chuck_mm: 13, max_torque_nm: 65, warranty_years: 3, color: 'red' },
      },
      {
        sku: 'ACME-ANV-100', name: 'Industrial Anvil', title: 'Acme Industrial Anvil 100 kg', type: 'physical', category: 1,
        description: 'Forged steel anvil with hardened face', price: '649.00', stock: 45,
        specifications: { industry: 'manufacturing', material: 'forged steel', weight_kg: 100, hardness_hrc: 58,
          face_cm: { length: 60, width: 15 }, finish: 'machined', shipping: 'pallet' },
      },
      {
        sku: 'ACME-RSK-PRO', name: 'Rocket Skates Pro', title: 'Acme Rocket Skates Pro', type: 'physical', category: 1,
        description: 'High-speed personal transport', price: '1299.00', stock: 12, featured: true,
        specifications: { industry: 'retail', max_speed_kmh: 80, sizes_eu: [40, 42, 44, 46], fuel: 'solid propellant',
          burn_time_s: 90, safety_rating: 'B', age_min: 18 },
      },
      {
        sku: 'ACME-FLT-SAAS', name: 'Fleet Tracker', title: 'Acme Fleet Tracker (per vehicle)', type: 'digital', category: 2,
        description: 'Real-time GPS tracking for service fleets', price: '49.00', stock: 0,
        specifications: { industry: 'logistics', license: 'subscription', billing: 'monthly', unit: 'vehicle',
          platforms: ['web', 'ios', 'android'], api_access: true, data_retention_days: 365, version: '3.2' },
      },
      {
        sku: 'ACME-INV-CLD', name: 'Inventory Cloud', title: 'Acme Inventory Cloud', type: 'digital', category: 2, enterprise: true,
        description: 'Multi-warehouse stock management', price: '2990.00', stock: 0, featured: true,
        specifications: { industry: 'software', license: 'subscription', billing: 'annual', seats_included: 25, storage_gb: 500,
          integrations: ['SAP', 'NetSuite', 'Shopify'], sla_uptime: '99.9%', sso: true },
      },
      {
        sku: 'ACME-CAD-26', name: 'CAD Toolkit', title: 'Acme CAD Toolkit 2026', type: 'digital', category: 2,
        description: 'Parametric design for workshops', price: '1499.00', stock: 0,
        specifications: { industry: 'software', license: 'perpetual', os: ['windows', 'macos'],
          file_formats: ['dwg', 'dxf', 'step', 'stl'], version: '2026.1', activations: 2 },
      },
      {
        sku: 'ACME-SVC-INST', name: 'On-site Installation', title: 'On-site Installation (1 day)', type: 'service', category: 3,
        description: 'Two technicians, setup and handover', price: '850.00', stock: 0,
        specifications: { industry: 'field services', duration_hours: 8, technicians: 2, coverage: ['EU', 'US'],
          includes: ['setup', 'testing', 'handover'], travel_included_km: 100 },
      },
      {
        sku: 'ACME-SVC-MNT', name: 'Maintenance Plan', title: 'Preventive Maintenance Plan (yearly)', type: 'service', category: 3,
        enterprise: true, description: 'Quarterly visits and priority support', price: '1200.00', stock: 0,
        specifications: { industry: 'field services', visits_per_year: 4, response_time_hours: 24, parts_discount_pct: 15, term_months: 12 },
      },
      {
        sku: 'ACME-SVC-AUD', name: 'Safety Compliance Audit', title: 'Workshop Safety Compliance Audit', type: 'service', category: 3,
        description: 'Audit against workplace safety standards', price: '2400.00', stock: 0,
        specifications: { industry: 'legal', practice_area: 'workplace safety compliance', standards: ['ISO 45001', 'OSHA 1910'],
          deliverables: ['audit report', 'remediation plan'], duration_days: 3 },
      },
      {
        sku: 'ACME-TRN-OPR', name: 'Operator Training', title: 'Operator Training Course (2 days)', type: 'service', category: 3,
        description: 'Certified training for machine operators', price: '450.00', stock: 0,
        specifications: { industry: 'education', format: 'in-person', duration_days: 2, max_participants: 12,
          certification: true, languages: ['en', 'de', 'es'] },
      },
      {
        sku: 'ACME-RE-B12', name: 'Warehouse Unit B12', title: 'Warehouse Unit B12 (lease)', type: 'physical', category: 4,
        enterprise: true, description: 'Logistics unit near the port of Rotterdam', price: '8500.00', stock: 1,
        specifications: { industry: 'real estate', listing: 'lease', area_sqm: 1200, location: 'Rotterdam, NL',
          ceiling_height_m: 10, loading_docks: 4, lease_term_months: 36, price_basis: 'monthly' },
      },
      {
        sku: 'ACME-BAT-4AH', name: 'Battery Pack 4Ah', title: 'Acme 20V Battery Pack 4 Ah', type: 'physical', category: 0,
        description: 'Replacement battery for the 20V range', price: '79.00', stock: 1200,
        specifications: { industry: 'retail', capacity_ah: 4, voltage_v: 20, chemistry: 'Li-ion', charge_time_min: 60, weight_kg: 0.6 },
      },
    ],
    companies: [
      ['Northwind Traders', 'Wholesale'], ['Contoso Manufacturing', 'Manufacturing'], ['Fabrikam Industries', 'Manufacturing'],
      ['Tailspin Logistics', 'Logistics'], ['Wingtip Builders', 'Construction'], ['Litware Systems', 'Software'],
      ['Proseware Retail', 'Retail'], ['Adventure Works', 'Retail'], ['Blue Yonder Freight', 'Logistics'],
      ['Coho Vineyards', 'Agriculture'], ['Lucerne Publishing', 'Media'], ['Margie Shipping', 'Logistics'],
      ['Trey Research', 'Consulting'], ['Alpine Ski House', 'Hospitality'], ['Woodgrove Workshops', 'Construction'],
    ],
    pipelines: [
      { title: 'Standard Sales', description: 'Tools, parts and services', stages: standardStages },
      {
        title: 'Enterprise Accounts', description: 'Software, maintenance and leases for large accounts',
        stages: [
          { title: 'Discovery', description: 'Stakeholders and requirements', probability: 15 },
          { title: 'Solution Design', description: 'Scoped solution and pilot', probability: 40 },
          { title: 'Contracting', description: 'Legal and procurement', probability: 70 },
          { title: 'Signed', description: 'Contract signed', probability: 100 },
        ],
      },
    ],
    assistant: { name: 'Acme Helper', workspaceName: 'EMEA Sales Assistant', tone: 'friendly and concise' },
  },
  {
    name: 'Globex Inc',
    subdomain: 'globex',
    emailDomain: 'globex.test',
    seed: 0x610b,
    currency: 'EUR',
    workspaces: [
      { name: 'Sales EMEA', description: 'Residential and commercial energy in Europe', cities: EMEA },
      { name: 'Sales Americas', description: 'Utilities and property developers in the Americas', cities: AMERICAS },
    ],
    projects: [
      { name: 'Solar Rooftops 2026', description: 'Residential solar campaign', status: 'active', workspace: 0 },
      { name: 'Utility Analytics Pilot', description: 'Grid analytics pilots with two utilities', status: 'active', workspace: 1 },
      { name: 'Office Relocation', description: 'Sublease of the old headquarters', status: 'completed', workspace: 1 },
    ],
    users: userTree([
      ['Hank', 'Scorpio'], ['Grace', 'Mbeki'], ['Victor', 'Lang'], ['Olivia', 'Sato'], ['Peter', 'Dubois'],
      ['Carla', 'Mendes'], ['Ivan', 'Petrov'], ['Sofia', 'Greco'], ['Diego', 'Alvarez'], ['Emma', 'Clarke'],
    ]),
    categories: [
      { name: 'Energy Hardware', description: 'Panels, batteries and chargers', color: '#f59e0b', icon: 'Zap' },
      { name: 'Smart Home', description: 'Thermostats and sensors', color: '#06b6d4', icon: 'Home' },
      { name: 'Software', description: 'Energy analytics and apps', color: '#3b82f6', icon: 'Code' },
      { name: 'Consulting', description: 'Audits, legal and advisory', color: '#10b981', icon: 'Briefcase', workspace: 1 },
      { name: 'Real Estate', description: 'Office and commercial space', color: '#8b5cf6', icon: 'Building2' },
    ],
    products: [
      {
        sku: 'GBX-THERM-S', name: 'Smart Thermostat', title: 'Globex Smart Thermostat', type: 'physical', category: 1,
        description: 'Learning thermostat with room sensors', price: '229.00', stock: 800, featured: true,
        specifications: { industry: 'smart home', connectivity: ['wifi', 'zigbee'], display: '3.5in color', power: '24VAC',
          compatibility: ['HVAC', 'heat pump', 'boiler'], sensors_included: 2, color: 'white' },
      },
      {
        sku: 'GBX-SOL-5K', name: 'Solar Panel Kit 5kW', title: 'Globex Solar Panel Kit 5 kW', type: 'physical', category: 0,
        description: 'Twelve panels with hybrid inverter', price: '6900.00', stock: 60, featured: true,
        specifications: { industry: 'energy', panels: 12, panel_watt: 420, inverter: 'hybrid 5 kW', efficiency_pct: 21.5,
          warranty_years: 25, roof_area_sqm: 26 },
      },
      {
        sku: 'GBX-BAT-10', name: 'Home Battery 10kWh', title: 'Globex Home Battery 10 kWh', type: 'physical', category: 0,
        description: 'Wall-mounted LFP storage', price: '7800.00', stock: 35,
        specifications: { industry: 'energy', capacity_kwh: 10, chemistry: 'LFP', cycles: 6000, warranty_years: 10, weight_kg: 98 },
      },
      {
        sku: 'GBX-APP-INS', name: 'Energy Insights', title: 'Globex Energy Insights (monthly)', type: 'digital', category: 2,
        description: 'Consumption and production dashboards', price: '19.00', stock: 0,
        specifications: { industry: 'software', license: 'subscription', billing: 'monthly',
          metrics: ['consumption', 'production', 'cost'], export_formats: ['csv', 'pdf'] },
      },
      {
        sku: 'GBX-GRID-AN', name: 'Grid Analytics Platform', title: 'Globex Grid Analytics Platform', type: 'digital', category: 2,
        enterprise: true, description: 'Load forecasting for utilities', price: '4500.00', stock: 0, featured: true,
        specifications: { industry: 'utilities', license: 'subscription', billing: 'annual', data_retention_months: 36,
          sso: true, api_rate_limit_per_min: 600, deployment: ['cloud', 'on-premise'] },
      },
      {
        sku: 'GBX-APP-PRM', name: 'Mobile App Premium', title: 'Globex Mobile App Premium', type: 'digital', category: 2,
        description: 'Remote control and alerts', price: '4.99', stock: 0,
        specifications: { industry: 'software', license: 'subscription', billing: 'monthly', platforms: ['ios', 'android'],
          features: ['remote control', 'alerts', 'schedules'] },
      },
      {
        sku: 'GBX-SVC-AUD', name: 'Energy Audit', title: 'Home Energy Audit', type: 'service', category: 3,
        description: 'Thermal imaging and savings plan', price: '650.00', stock: 0,
        specifications: { industry: 'consulting', duration_hours: 6, deliverables: ['thermal imaging report', 'savings plan'],
          certified_auditor: true },
      },
      {
        sku: 'GBX-SVC-PROP', name: 'Property Consulting', title: 'Commercial Property Energy Consulting', type: 'service', category: 3,
        enterprise: true, description: 'Energy strategy for commercial buildings', price: '3200.00', stock: 0,
        specifications: { industry: 'real estate', property_types: ['office', 'retail', 'industrial'], engagement_weeks: 4,
          certifications: ['LEED', 'BREEAM'] },
      },
      {
        sku: 'GBX-LEG-PPA', name: 'PPA Contract Review', title: 'Power Purchase Agreement Review', type: 'service', category: 3,
        description: 'Legal review of energy supply contracts', price: '1800.00', stock: 0,
        specifications: { industry: 'legal', practice_area: 'energy law', hourly_rate: 300, estimated_hours: 6,
          jurisdictions: ['US', 'UK', 'EU'] },
      },
      {
        sku: 'GBX-RE-4F', name: 'Office Suite 4F', title: 'Office Suite 4th Floor (lease)', type: 'physical', category: 4,
        enterprise: true, description: 'Former headquarters floor, fully fitted', price: '5400.00', stock: 1,
        specifications: { industry: 'real estate', listing: 'lease', area_sqm: 420, floor: 4, location: 'Springfield, US',
          parking_spaces: 12, lease_term_months: 60, energy_rating: 'A', price_basis: 'monthly' },
      },
      {
        sku: 'GBX-TRN-INS', name: 'Installer Certification', title: 'Installer Certification Program', type: 'service', category: 3,
        description: 'Five-day program for solar installers', price: '1100.00', stock: 0,
        specifications: { industry: 'education', format: 'hybrid', duration_days: 5, certification: 'Globex Certified Installer',
          ceu_credits: 24 },
      },
      {
        sku: 'GBX-EV-22', name: 'EV Wallbox 22kW', title: 'Globex EV Charger Wallbox 22 kW', type: 'physical', category: 0,
        description: 'Three-phase smart charger', price: '1150.00', stock: 210,
        specifications: { industry: 'energy', power_kw: 22, connector: 'Type 2', phases: 3, smart_charging: true, cable_length_m: 7.5 },
      },
    ],
    companies: [
      ['Initech', 'Software'], ['Umbrella Health', 'Healthcare'], ['Stark Properties', 'Real Estate'],
      ['Wayne Utilities', 'Utilities'], ['Soylent Foods', 'Food & Beverage'], ['Hooli', 'Technology'],
      ['Vandelay Industries', 'Import/Export'], ['Massive Dynamic', 'Research'], ['Cyberdyne Systems', 'Technology'],
      ['Tyrell Housing', 'Real Estate'], ['Oceanic Airlines', 'Transportation'], ['Duff Brewing', 'Food & Beverage'],
      ['Krusty Retail Group', 'Retail'], ['Pied Piper', 'Software'], ['Gringotts Capital', 'Finance'],
    ],
    pipelines: [
      { title: 'Residential Sales', description: 'Homeowners and small businesses', stages: standardStages },
      {
        title: 'Utilities & Developers', description: 'Long-cycle deals with utilities and property developers',
        stages: [
          { title: 'Discovery', description: 'Site and load assessment', probability: 15 },
          { title: 'Pilot', description: 'Pilot installation or trial', probability: 40 },
          { title: 'Procurement', description: 'Tender and contract', probability: 70 },
          { title: 'Signed', description: 'Contract signed', probability: 100 },
        ],
      },
    ],
    assistant: { name: 'Globex Energy Advisor', workspaceName: 'EMEA Solar Assistant', tone: 'expert and reassuring' },
  },
];

export const FIRST_NAMES = [
  'James', 'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sophia', 'Mateo', 'Isabella', 'Leo', 'Amelia',
  'Hugo', 'Chloe', 'Felix', 'Nora', 'Jonas', 'Elena', 'Omar', 'Aisha', 'Kenji', 'Yuki', 'Pablo', 'Ines', 'Rafael', 'Zoe',
  'Arjun', 'Priya', 'Tariq', 'Leila', 'Sven', 'Freya', 'Marek', 'Zofia', 'Caleb', 'Hannah', 'Nico', 'Julia',
];
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Garcia', 'Muller', 'Rossi', 'Dubois', 'Nowak', 'Jensen', 'Silva', 'Tanaka', 'Kim', 'Patel', 'Khan',
  'Andersen', 'Moreau', 'Schmidt', 'Costa', 'Ivanova', 'Haddad', 'Nakamura', 'Larsen', 'Ferreira', 'Walsh', 'Bianchi',
  'Horvath', 'Virtanen', 'Oconnell', 'Yilmaz', 'Santos', 'Weber',
];
export const JOB_TITLES = [
  'CEO', 'CFO', 'COO', 'Head of Procurement', 'Purchasing Manager', 'Operations Manager', 'IT Director', 'Facilities Manager',
  'Plant Manager', 'Project Engineer', 'Office Manager', 'Sustainability Lead', 'Buyer', 'Logistics Coordinator',
];
