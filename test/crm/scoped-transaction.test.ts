// What the CRM actions add to the scoped data layer: several scoped calls in one transaction (all or nothing,
// each call in a savepoint), exact matches in filters, and the count of matches beyond the actor's scope.
import { describe, expect, it } from 'vitest';
import { expectRefused, sortedIds } from '../security/helpers';
import { crmWorld, writesNothing } from './fixture';

const w = crmWorld();

describe('ScopedData.transaction', () => {
  it('commits every scoped write together, each audited with the actor', async () => {
    const agent = await w.actor('agent');
    const since = await w.lastAuditId();
    const { company, contact } = await w.data.transaction(agent, async (scoped) => {
      const company = await scoped.create(agent, 'companies', { name: 'Tx Together Ltd' });
      const contact = await scoped.create(agent, 'contacts', { first_name: 'Tia', last_name: 'Tx', email: 'tia@tx.example', company_id: company.id });
      // Reads inside see the transaction's own writes.
      expect((await scoped.get(agent, 'contacts', contact.id)).company_id).toBe(company.id);
      return { company, contact };
    });
    expect((await w.one('SELECT company_id FROM contacts WHERE id = $1', [contact.id])).company_id).toBe(company.id);
    expect((await w.auditSince(since)).map((a) => [a.resource, a.actor_id])).toEqual([
      ['companies', agent.principal.userId],
      ['contacts', agent.principal.userId],
    ]);
  });

  it('rolls everything back when a later call is refused', async () => {
    const agent = await w.actor('agent');
    await writesNothing(w, () =>
      expectRefused(
        w.data.transaction(agent, async (scoped) => {
          await scoped.create(agent, 'companies', { name: 'Never Ltd' });
          await scoped.create(agent, 'contacts', { first_name: 'Nev', last_name: 'Er', email: 'never@tx.example' });
          await scoped.create(agent, 'roles', { name: 'Sneaky', level: 1 }); // agents do not manage roles
        }),
        'forbidden',
      ),
    );
  });

  it('a call that fails in the database rolls back only its own savepoint when the caller handles it', async () => {
    const admin = await w.actor('admin');
    const lead = await w.data.transaction(admin, async (scoped) => {
      const e = await expectRefused(scoped.create(admin, 'leads', { first_name: 'Over', last_name: 'Score', email: 'over@tx.example', score: 150 }), 'invalid');
      expect(e.fields.score).toMatch(/between 0 and 100/);
      return scoped.create(admin, 'leads', { first_name: 'Fine', last_name: 'Score', email: 'fine@tx.example', score: 50 });
    });
    expect((await w.rows(`SELECT id FROM leads WHERE email IN ('over@tx.example', 'fine@tx.example')`)).map((r) => r.id)).toEqual([lead.id]);
  });

  it('a bound layer acts only for the user and tenant it was opened for', async () => {
    const agent = await w.actor('agent');
    const agent2 = await w.actor('agent2');
    const theirs = await w.actor('agent', w.globex);
    await writesNothing(w, async () => {
      await expect(w.data.transaction(agent, (scoped) => scoped.list(agent2, 'contacts'))).rejects.toThrow(/cannot act for user/);
      await expect(w.data.transaction(agent, (scoped) => scoped.create(theirs, 'companies', { name: 'Cross' }))).rejects.toThrow(/cannot act for user/);
    });
  });
});

describe('filters: { equals }', () => {
  it('matches a whole text value ignoring case, and other types exactly', async () => {
    const admin = await w.actor('admin');
    const { records } = await w.data.list(admin, 'companies', { filters: { name: { equals: 'NORTHWIND TRADERS' } } });
    expect(records.map((r) => r.name)).toEqual(['Northwind Traders']);
    expect((await w.data.list(admin, 'companies', { filters: { name: { equals: 'Northwind' } } })).total).toBe(0);
    const stage = await w.one('SELECT id, sale_pipeline_id FROM sales_stages WHERE tenant_id = $1 ORDER BY id LIMIT 1', [w.acme.id]);
    const stages = await w.data.list(admin, 'sales_stages', { filters: { sale_pipeline_id: { equals: stage.sale_pipeline_id } }, perPage: 100 });
    const expected = await w.rows('SELECT id FROM sales_stages WHERE sale_pipeline_id = $1', [stage.sale_pipeline_id]);
    expect(sortedIds(stages.records)).toEqual(sortedIds(expected));
  });
});

describe('countBeyondScope', () => {
  it('counts the matches the actor cannot read, in their tenant only', async () => {
    const agent = await w.actor('agent');
    const email = (await w.one('SELECT email FROM contacts WHERE tenant_id = $1 AND assigned_to_id = $2 ORDER BY id LIMIT 1', [w.acme.id, w.acme.users.agent2!.id])).email;
    const { n } = await w.one(
      `SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND lower(email) = lower($2)
          AND NOT (coalesce(assigned_to_id = $3 OR supervisor_id = $3, false) AND (workspace_id = $4 OR workspace_id IS NULL))`,
      [w.acme.id, email, w.acme.users.agent!.id, w.acme.workspaces[0]],
    );
    expect(n).toBeGreaterThan(0);
    expect(await w.data.countBeyondScope(agent, 'contacts', 'email', email.toUpperCase())).toBe(n);
  });

  it('refuses a field the actor may not read', async () => {
    const admin = await w.actor('admin');
    await expectRefused(w.data.countBeyondScope(admin, 'users', 'password', 'x'), 'invalid');
  });
});
