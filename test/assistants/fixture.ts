// Shared setup of the assistant and agent tests: the demo tenants on a fresh database, actors by username, the
// demo assistants (a tenant-wide site assistant that creates CRM leads, and a workspace assistant that does not),
// and plain queries on the superuser connection for every expectation (never through the code under test).
import { beforeAll } from 'vitest';
import { ScopedData, type Actor } from '../../domain/scoped-data';
import { seedDemo } from '../../scripts/demo-data';
import { useTestDatabase, type TestDatabase } from '../harness';
import { demoTenant, type DemoTenant } from '../security/helpers';

export interface DemoAssistant {
  id: number;
  tenant_id: number;
  name: string;
  scope: 'tenant' | 'workspace';
  workspace_id: number | null;
  public_key: string;
  allowed_origins: string[];
  creates_leads: boolean;
  system_prompt: string;
}

export interface AssistantWorld {
  db: TestDatabase;
  data: ScopedData;
  acme: DemoTenant;
  globex: DemoTenant;
  /** The demo assistants: `${subdomain}/site` (tenant scope) and `${subdomain}/workspace`. */
  assistants: Record<string, DemoAssistant>;
  actor: (username: string, tenant?: DemoTenant) => Promise<Actor>;
  rows: (sql: string, params?: unknown[]) => Promise<Record<string, any>[]>;
  one: (sql: string, params?: unknown[]) => Promise<Record<string, any>>;
}

/** The website origin the demo assistants of a tenant allow. */
export const siteOrigin = (subdomain: string) => `https://www.${subdomain}.test`;

/** Call at the top level of a test file. */
export function assistantWorld(): AssistantWorld {
  const db = useTestDatabase();
  const w = { db, assistants: {} } as AssistantWorld;
  w.rows = async (sql, params = []) => (await db.pool.query(sql, params)).rows;
  w.one = async (sql, params = []) => {
    const [row] = await w.rows(sql, params);
    if (!row) throw new Error(`fixture query found nothing: ${sql}`);
    return row;
  };
  w.actor = (username, tenant = w.acme) => w.data.actor(tenant.id, tenant.users[username]!.id);
  beforeAll(async () => {
    await seedDemo(db);
    w.data = new ScopedData(db);
    w.acme = await demoTenant(db, 'acme');
    w.globex = await demoTenant(db, 'globex');
    for (const t of ['acme', 'globex']) {
      for (const a of (await w.rows(
        'SELECT a.* FROM assistants a JOIN tenants t ON t.id = a.tenant_id WHERE t.subdomain = $1 ORDER BY a.id',
        [t],
      )) as DemoAssistant[]) {
        w.assistants[`${t}/${a.scope === 'tenant' ? 'site' : 'workspace'}`] = a;
      }
    }
  });
  return w;
}
