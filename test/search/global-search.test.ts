// The global search over HTTP: finds a deal, a contact and a company by words of their titles, grouped by
// resource with titles and links; never another tenant's record with the same words, never a record out of
// the agent's scope; 400 for an empty or overlong phrase.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../domain/resources';
import { useTestDatabase } from '../harness';
import { Browser, startApp } from '../http/client';
import { loadWorld, type World } from '../security/world';
import { plantSearchWorld, WORD, type Planted } from './planted';

const db = useTestDatabase();
let w: World;
let base = '';
let close: () => Promise<void>;
let planted: Planted;

beforeAll(async () => {
  w = await loadWorld(db);
  planted = await plantSearchWorld(w);
  ({ base, close } = await startApp(db));
});
afterAll(() => close?.());

async function signedIn(username: string) {
  const b = new Browser(base);
  expect((await b.login('acme', username)).status).toBe(200);
  return b;
}

type Group = { resource: string; label: string; hits: { id: number; title: string; href: string }[]; listHref: string };

describe('global search', () => {
  it('finds a deal, a contact and a company by words of their titles, grouped, each linking to its record', async () => {
    const b = await signedIn('agent');
    const res = await b.call('GET', `/api/search?q=${encodeURIComponent(WORD.toLowerCase())}`);
    expect(res.status).toBe(200);
    const groups = res.body.groups as Group[];
    const of = (name: string) => groups.find((g) => g.resource === name);
    expect(of('deals')?.label).toBe('Deals');
    expect(of('deals')?.hits).toContainEqual({ id: planted['acme.deal'], title: `${WORD} renewal`, href: `/admin/resources/deals/records/${planted['acme.deal']}/show` });
    expect(of('contacts')?.hits.map((h) => h.title)).toContain(`${WORD} Quill`);
    expect(of('companies')?.hits.map((h) => h.title)).toContain(`${WORD} Works`);
    // A full name as the title reads: "First Last".
    const byName = (await b.call('GET', `/api/search?q=${encodeURIComponent(`${WORD} Quill`)}`)).body.groups as Group[];
    expect(byName.find((g) => g.resource === 'contacts')?.hits.map((h) => h.id)).toEqual([planted['acme.contact']]);
    expect(of('deals')?.listHref).toBe(`/admin/resources/deals?filters.__title=${WORD.toLowerCase()}`);
  });

  it("never shows another tenant's record with the same words, nor another agent's deal", async () => {
    const agentHits = ((await (await signedIn('agent')).call('GET', `/api/search?q=${WORD}`)).body.groups as Group[]).flatMap((g) =>
      g.hits.map((h) => `${g.resource}#${h.id}`),
    );
    for (const kind of ['deal', 'contact', 'company']) {
      const resource = { deal: 'deals', contact: 'contacts', company: 'companies' }[kind];
      expect(agentHits).toContain(`${resource}#${planted[`acme.${kind}` as keyof Planted]}`);
      expect(agentHits).not.toContain(`${resource}#${planted[`globex.${kind}` as keyof Planted]}`);
    }
    expect(agentHits).not.toContain(`deals#${planted.rival}`);
    // The other agent's deal is real and found by whom may read it: the agents' manager.
    const managerHits = ((await (await signedIn('manager')).call('GET', `/api/search?q=${WORD}`)).body.groups as Group[]).flatMap((g) =>
      g.hits.map((h) => `${g.resource}#${h.id}`),
    );
    expect(managerHits).toContain(`deals#${planted.rival}`);
    expect(managerHits).not.toContain(`deals#${planted['globex.deal']}`);
  });

  it('skips the resources the role may not read', async () => {
    const res = await (await signedIn('agent')).call('GET', '/api/search?q=a');
    expect(res.status).toBe(200);
    const names = (res.body.groups as Group[]).map((g) => g.resource);
    const { ability } = await w.actor('acme', 'agent');
    const unreadable = [...resources.keys()].filter((r) => !ability.can('read', r));
    expect(unreadable.length).toBeGreaterThan(0);
    for (const r of unreadable) expect(names).not.toContain(r);
    expect(names).toEqual(expect.arrayContaining(['contacts', 'deals', 'companies']));
    for (const g of res.body.groups as Group[]) expect(g.hits.length).toBeLessThanOrEqual(5);
  });

  it("leaves the events log out (searched from its own list): it is not indexed for search, and would be a scan", async () => {
    const admin = await w.actor('acme', 'admin');
    const events = resources.get('events')!;
    const id = await w.insertAsSystem(events, { ...(await w.sample(events, admin)), tenant_id: admin.principal.tenantId, event_name: `${WORD.toLowerCase()}_opened` });
    expect((await w.data.list(admin, 'events', { q: WORD })).records.map((r) => r.id)).toContain(id);
    const res = await (await signedIn('admin')).call('GET', `/api/search?q=${WORD}`);
    expect(res.status).toBe(200);
    const names = (res.body.groups as Group[]).map((g) => g.resource);
    expect(names).toContain('companies');
    expect(names).not.toContain('events');
  });

  it('answers 400 with a message for an empty, blank or overlong phrase, or an unknown parameter', async () => {
    const b = await signedIn('agent');
    for (const path of ['/api/search', '/api/search?q=', '/api/search?q=%20%20', `/api/search?q=${'x'.repeat(101)}`, '/api/search?q=a&limit=2']) {
      const res = await b.call('GET', path);
      expect(res.status, path).toBe(400);
      expect(typeof res.body.error, path).toBe('string');
    }
    expect((await new Browser(base).call('GET', '/api/search?q=a')).status).toBe(401);
  });
});
