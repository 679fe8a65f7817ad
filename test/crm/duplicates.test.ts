// duplicatesOf: contacts and leads of the tenant with the same email (ignoring case). The actor sees the ones
// they may read; of the others only a count, which excludeId cannot influence and patterns cannot widen.
import { beforeAll, describe, expect, it } from 'vitest';
import { duplicatesOf, type DuplicateResource } from '../../domain/crm';
import { expectRefused, sortedIds } from '../security/helpers';
import { agentWithout, crmWorld, writesNothing } from './fixture';

const w = crmWorld();
const EMAIL = 'Dup.Licate@crm-test.example';

const ids: Record<string, number> = {};
beforeAll(async () => {
  const a = w.acme;
  const contact = (owner: string, email: string, tenant = a) =>
    w.insert('contacts', {
      first_name: 'Dup',
      last_name: owner,
      email,
      assigned_to_id: tenant.users[owner]!.id,
      workspace_id: tenant.users[owner]!.workspace_id,
      tenant_id: tenant.id,
    });
  ids.agentContact = (await contact('agent', 'dup.licate@crm-test.example')).id;
  ids.agent2Contact = (await contact('agent2', 'DUP.LICATE@CRM-TEST.EXAMPLE')).id;
  ids.agent3Lead = (
    await w.insert('leads', {
      first_name: 'Dup',
      last_name: 'Lead',
      email: 'dup.licate@crm-test.example',
      assigned_to_id: a.users.agent3!.id,
      workspace_id: a.users.agent3!.workspace_id,
      tenant_id: a.id,
    })
  ).id;
  // Not duplicates: other tenant, and addresses that merely contain or resemble the email.
  await contact('agent', 'dup.licate@crm-test.example', w.globex);
  await contact('agent', 'xdup.licate@crm-test.example');
  await contact('agent', 'dup.licate@crm-test.example.org');
});

const check = async (username: string, resource: DuplicateResource = 'contacts', excludeId?: unknown, email = EMAIL) =>
  duplicatesOf(w.data, await w.actor(username), resource, email, excludeId);
const summary = (d: Awaited<ReturnType<typeof duplicatesOf>>) => ({
  contacts: sortedIds(d.contacts.records),
  contactsTotal: d.contacts.total,
  leads: sortedIds(d.leads.records),
  leadsTotal: d.leads.total,
  hidden: d.hidden,
});

describe('duplicatesOf', () => {
  it('an agent sees their own contact and learns that two more exist outside their view', async () => {
    const d = await check('agent');
    expect(d.email).toBe(EMAIL);
    expect(summary(d)).toEqual({ contacts: [ids.agentContact], contactsTotal: 1, leads: [], leadsTotal: 0, hidden: 2 });
    expect(d.contacts.records[0]).toMatchObject({ first_name: 'Dup', last_name: 'agent', email: 'dup.licate@crm-test.example' });
  });

  it("a director sees the workspace's two contacts; the lead of the other workspace stays a count", async () => {
    expect(summary(await check('director', 'leads'))).toEqual({
      contacts: [ids.agentContact, ids.agent2Contact].sort((x, y) => x! - y!),
      contactsTotal: 2,
      leads: [],
      leadsTotal: 0,
      hidden: 1,
    });
  });

  it('an admin sees all three and nothing is hidden; the other tenant never counts', async () => {
    expect(summary(await check('admin'))).toEqual({
      contacts: [ids.agentContact, ids.agent2Contact].sort((x, y) => x! - y!),
      contactsTotal: 2,
      leads: [ids.agent3Lead],
      leadsTotal: 1,
      hidden: 0,
    });
  });

  it('excludeId drops the record being edited from the list, but never changes the hidden count', async () => {
    expect(summary(await check('agent', 'contacts', ids.agentContact))).toEqual({ contacts: [], contactsTotal: 0, leads: [], leadsTotal: 0, hidden: 2 });
    // Excluding a hidden record tells nothing: the count stays.
    expect((await check('agent', 'contacts', ids.agent2Contact)).hidden).toBe(2);
    expect((await check('agent', 'contacts', String(ids.agent3Lead))).hidden).toBe(2);
    // It applies to the form's resource only: a lead form's excludeId does not drop a contact.
    expect(summary(await check('agent', 'leads', ids.agentContact)).contacts).toEqual([ids.agentContact]);
  });

  it('matches the whole address only: no patterns, no parts', async () => {
    expect(summary(await check('admin', 'contacts', undefined, '%@crm-test.example'))).toMatchObject({ contactsTotal: 0, leadsTotal: 0, hidden: 0 });
    expect((await check('agent', 'contacts', undefined, 'dup.licate@crm-test.exampl_')).hidden).toBe(0);
    expect((await check('agent', 'contacts', undefined, `  ${EMAIL.toUpperCase()}  `)).hidden).toBe(2);
  });

  it('refuses bad input (400) and people who may neither create nor edit the resource (403); writes nothing', async () => {
    const agent = await w.actor('agent');
    const { actor: noContacts } = await agentWithout(w, ['manage_contacts']);
    await writesNothing(w, async () => {
      await expectRefused(duplicatesOf(w.data, agent, 'users' as DuplicateResource, EMAIL), 'invalid');
      await expectRefused(duplicatesOf(w.data, agent, 'contacts', ''), 'invalid');
      await expectRefused(duplicatesOf(w.data, agent, 'contacts', 'not-an-email'), 'invalid');
      await expectRefused(duplicatesOf(w.data, agent, 'contacts', EMAIL, 'x'), 'invalid');
      await expectRefused(duplicatesOf(w.data, noContacts, 'contacts', EMAIL), 'forbidden');
      // The same user may still check the lead form.
      expect((await duplicatesOf(w.data, noContacts, 'leads', EMAIL)).hidden).toBe(3);
    });
  });
});
