// Related panels through the scoped data layer: only rows in the caller's read scope (own / team / all,
// workspace), nothing for a record the caller may not read, nothing across tenants; one statement a panel.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { loadWorld, outcome, type World } from '../security/world';

const db = useTestDatabase();
let w: World;
beforeAll(async () => {
  w = await loadWorld(db);
});

/** The ids of `child` rows pointing at `parentId` by `column` that `username` may read, by plain SQL. */
async function expected(username: string, child: 'contacts' | 'deals', column: string, parentId: number): Promise<number[]> {
  const a = await w.actor('acme', username);
  const all = await w.data.list(a, child, { perPage: 500, filters: { [column]: parentId } });
  const { rows } = await db.pool.query(`SELECT id FROM ${child} WHERE tenant_id = $1 AND ${column} = $2`, [w.tenant('acme'), parentId]);
  const mine = new Set(all.records.map((r) => r.id));
  return rows.map((r) => r.id as number).filter((id) => mine.has(id)).sort((x, y) => x - y);
}

describe('related records', () => {
  it.each(['agent', 'manager', 'director'])("a company's contacts and deals, as %s: exactly the rows of their scope", async (username) => {
    const a = await w.actor('acme', username);
    const company = await w.one(`SELECT company_id AS id FROM contacts WHERE tenant_id = $1 GROUP BY company_id ORDER BY count(*) DESC LIMIT 1`, [w.tenant('acme')]);
    for (const child of ['contacts', 'deals'] as const) {
      const page = await w.data.related(a, 'companies', company.id, child, { perPage: 500 });
      const ids = page.records.map((r) => r.id as number).sort((x, y) => x - y);
      expect(ids, `${username} ${child}`).toEqual(await expected(username, child, 'company_id', company.id as number));
      expect(page.total).toBe(ids.length);
      for (const r of page.records) expect(typeof r.__title).toBe('string');
    }
  });

  it('pages and sorts, with the count of all', async () => {
    const director = await w.actor('acme', 'director');
    const company = await w.one(
      `SELECT d.company_id AS id, count(*)::int AS n FROM deals d JOIN companies c ON c.id = d.company_id
       WHERE d.tenant_id = $1 AND d.workspace_id IS NOT DISTINCT FROM $2 AND c.workspace_id IS NOT DISTINCT FROM $2 GROUP BY d.company_id ORDER BY count(*) DESC LIMIT 1`,
      [w.tenant('acme'), director.principal.workspaceId],
    );
    const first = await w.data.related(director, 'companies', company.id, 'deals', { perPage: 2, sortBy: 'title', direction: 'asc' });
    const second = await w.data.related(director, 'companies', company.id, 'deals', { perPage: 2, page: 2, sortBy: 'title', direction: 'asc' });
    expect(first.total).toBe(company.n);
    const titles = [...first.records, ...second.records].map((r) => String(r.title));
    expect(titles).toEqual([...titles].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' }) || 0));
    expect(await outcome(w.data.related(director, 'companies', company.id, 'deals', { sortBy: 'no_such' }))).toBe('invalid');
  });

  it("tells nothing about a record out of reach: another tenant's company, another workspace's", async () => {
    const agent = await w.actor('acme', 'agent');
    const foreign = await w.one('SELECT company_id AS id FROM contacts WHERE tenant_id = $1 LIMIT 1', [w.tenant('globex')]);
    expect(await w.data.related(agent, 'companies', foreign.id, 'contacts')).toEqual({ records: [], total: 0 });
    const director = await w.actor('acme', 'director');
    const elsewhere = await db.pool.query(
      `SELECT c.id FROM companies c WHERE c.tenant_id = $1 AND c.workspace_id IS NOT NULL AND c.workspace_id <> $2 LIMIT 1`,
      [w.tenant('acme'), director.principal.workspaceId],
    );
    for (const { id } of elsewhere.rows) expect((await w.data.related(director, 'companies', id, 'contacts')).records).toEqual([]);
    expect(await outcome(w.data.related(agent, 'users', agent.principal.userId, 'audit_log'))).toBe('forbidden');
    expect(await outcome(w.data.related(agent, 'companies', foreign.id, 'workspaces'))).toBe('invalid');
  });
});
