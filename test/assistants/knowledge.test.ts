// The knowledge base: BM25 retrieval, the offline responder answering from it, and the products and projects
// documents kept in step with the CRM's tables (lazily when a question is answered, and on demand).
import { describe, expect, it } from 'vitest';
import { Bm25Index, tokenize } from '../../domain/assistants/bm25';
import { freshDocuments, isStale, passagesOf, type AssistantScope, type KnowledgeDocument } from '../../domain/assistants/knowledge';
import { OfflineResponder } from '../../domain/assistants/providers';
import { retrieve } from '../../domain/assistants/retrieve';
import { syncKnowledge } from '../../domain/assistants/sync';
import { DomainError } from '../../domain/errors';
import { assistantWorld, type DemoAssistant } from './fixture';

const w = assistantWorld();

const scopeOf = (a: DemoAssistant): AssistantScope => ({ id: a.id, tenantId: a.tenant_id, scope: a.scope, workspaceId: a.workspace_id });
/** The assistant's active documents, generated ones brought up to date (the path a visitor's question takes). */
const documentsOf = (a: DemoAssistant) => w.data.inTenant(a.tenant_id, null, (tx) => freshDocuments(tx, scopeOf(a)));
const staleness = (a: DemoAssistant, doc: Pick<KnowledgeDocument, 'id' | 'type'>) => w.data.inTenant(a.tenant_id, null, (tx) => isStale(tx, scopeOf(a), doc));

describe('BM25', () => {
  const docs = [
    { id: 1, text: 'Cordless hammer drill with two batteries' },
    { id: 2, text: 'Industrial anvil, forged steel' },
    { id: 3, text: 'Battery pack for the cordless range' },
    { id: 4, text: 'Steel toe boots' },
  ];
  const index = new Bm25Index(docs, (d) => d.text);

  it('tokenizes without stop words or accents, and stems plurals and -ing forms', () => {
    expect(tokenize('What are the Batteries of the Drills? Café tracking!')).toEqual(['battery', 'drill', 'cafe', 'track']);
  });

  it('ranks the passage that shares the rarest terms first, and leaves out passages sharing none', () => {
    const hits = index.search('which drill takes batteries?');
    expect(hits.map((h) => h.item.id)).toEqual([1, 3]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(index.search('forged steel').map((h) => h.item.id)).toEqual([2, 4]);
    expect(index.search('unrelated words only')).toEqual([]);
    // A term in every passage weighs less than a rare one.
    expect(index.idf('steel')).toBeGreaterThan(0);
    expect(index.idf('anvil')).toBeGreaterThan(index.idf('steel'));
  });

  it('is deterministic: equal scores keep the order of the passages', () => {
    const same = new Bm25Index([{ id: 'a', t: 'red box' }, { id: 'b', t: 'red box' }], (d) => d.t);
    expect(same.search('red').map((h) => h.item.id)).toEqual(['a', 'b']);
  });
});

describe('the retrieval responder on the demo knowledge base', () => {
  it('syncs the products document from the catalog and picks the relevant product for a question', async () => {
    const site = w.assistants['acme/site']!;
    // The demo document was synced after the last catalog change: fresh, nothing to do yet.
    const demo = (await documentsOf(site)).find((d) => d.type === 'products')!;
    expect(await staleness(site, demo)).toBe(false);
    await syncKnowledge(w.data, await w.actor('admin'), site.id);
    const docs = await documentsOf(site);
    const products = docs.find((d) => d.type === 'products')!;
    const active = await w.rows('SELECT title, sale_price FROM products WHERE tenant_id = $1 AND is_active ORDER BY title', [w.acme.id]);
    expect(products.itemCount).toBe(active.length);
    expect(passagesOf(products).map((p) => p.text.split(' (')[0])).toEqual(active.map((p) => p.title.split(' (')[0]));

    const cases: [string, string][] = [
      ['Which drill has a 13 mm chuck and how long is the warranty?', 'Acme Cordless Hammer Drill 20V'],
      ['Which software manages stock across several warehouses?', 'Acme Inventory Cloud'],
      ['I need GPS tracking for my service vehicles', 'Acme Fleet Tracker'],
      ['Do you have a replacement battery for the 20V tools?', 'Acme 20V Battery Pack 4 Ah'],
      ['Can you train our machine operators?', 'Operator Training Course'],
    ];
    for (const [question, title] of cases) {
      const [best] = retrieve(docs, question);
      expect(best?.text, question).toContain(title);
      expect(best?.type).toBe('products');
    }

    // An inactive product (the demo's warehouse lease) is not in the knowledge base at all.
    expect(retrieve(docs, 'Rotterdam').filter((p) => p.type === 'products')).toEqual([]);

    const responder = new OfflineResponder();
    const reply = await responder.reply({
      assistant: { name: site.name, systemPrompt: site.system_prompt },
      question: 'What does the industrial anvil cost?',
      history: [],
      passages: retrieve(docs, 'What does the industrial anvil cost?'),
    });
    expect(reply.content).toContain('Acme Industrial Anvil 100 kg (ACME-ANV-100): 649.00 USD.');
    expect(reply.sources).toEqual([{ documentId: products.id, name: products.name, type: 'products' }]);
    expect(reply.offerLeadForm).toBe(true); // a price question: time to offer a quote
  });

  it('answers FAQ questions with the answer, and offers the lead form when nothing matches', async () => {
    const site = w.assistants['acme/site']!;
    const docs = await documentsOf(site);
    const responder = new OfflineResponder();
    const ask = async (question: string) => responder.reply({ assistant: { name: site.name, systemPrompt: '' }, question, history: [], passages: retrieve(docs, question) });
    const returns = await ask('Can I return a product I bought?');
    expect(returns.content).toBe('Unused products can be returned within 30 days of delivery.');
    expect(returns.sources[0]!.type).toBe('faq');
    const unknown = await ask('Zyxwv qwerty?');
    expect(unknown).toMatchObject({ sources: [], offerLeadForm: true });
    expect((await ask('Hello!')).content).toContain(site.name);
  });

  it('a workspace assistant knows its workspace\'s products and the tenant-wide ones only', async () => {
    const ws = w.assistants['acme/workspace']!;
    const doc = (await documentsOf(ws)).find((d) => d.type === 'products')!;
    const expected = await w.rows(
      'SELECT title FROM products WHERE tenant_id = $1 AND is_active AND (workspace_id IS NULL OR workspace_id = $2) ORDER BY title',
      [w.acme.id, ws.workspace_id],
    );
    const elsewhere = await w.rows('SELECT title FROM products WHERE tenant_id = $1 AND is_active AND workspace_id <> $2', [w.acme.id, ws.workspace_id]);
    expect(doc.itemCount).toBe(expected.length);
    for (const p of expected) expect(doc.content).toContain(p.title);
    for (const p of elsewhere) expect(doc.content).not.toContain(`${p.title} (`);
  });
});

describe('keeping generated documents in step with the CRM', () => {
  it('lazily: a changed, added or deactivated product makes the document stale, and the next question resyncs it', async () => {
    const site = w.assistants['acme/site']!;
    let doc = (await documentsOf(site)).find((d) => d.type === 'products')!;
    expect(await staleness(site, doc)).toBe(false);
    const synced = doc.lastSynced!;

    const drill = await w.one("SELECT id FROM products WHERE tenant_id = $1 AND sku = 'ACME-DRL-200'", [w.acme.id]);
    await w.db.pool.query("UPDATE products SET sale_price = '199.00' WHERE id = $1", [drill.id]);
    expect(await staleness(site, doc)).toBe(true);
    doc = (await documentsOf(site)).find((d) => d.type === 'products')!;
    expect(doc.content).toContain('Acme Cordless Hammer Drill 20V (ACME-DRL-200): 199.00 USD.');
    expect(doc.lastSynced!.getTime()).toBeGreaterThan(synced.getTime());
    expect(await staleness(site, doc)).toBe(false);
    const stored = await w.one('SELECT content, item_count, last_synced FROM assistant_documents WHERE id = $1', [doc.id]);
    expect(stored.content).toBe(doc.content);

    // Deactivating a product changes the count of items: stale again, and the product leaves the document.
    await w.db.pool.query('UPDATE products SET is_active = false WHERE id = $1', [drill.id]);
    expect(await staleness(site, doc)).toBe(true);
    doc = (await documentsOf(site)).find((d) => d.type === 'products')!;
    expect(doc.content).not.toContain('Hammer Drill');
    await w.db.pool.query('UPDATE products SET is_active = true, sale_price = $2 WHERE id = $1', [drill.id, '189.00']);
  });

  it('on demand: syncKnowledge rebuilds products and projects documents as an admin, audited as theirs', async () => {
    const site = w.assistants['acme/site']!;
    const admin = await w.actor('admin');
    const projects = await w.data.create(admin, 'assistant_documents', { assistant_id: site.id, type: 'projects', name: 'Our projects' });
    expect(projects).toMatchObject({ item_count: 0, last_synced: null, content: null });

    const synced = await syncKnowledge(w.data, admin, site.id);
    expect(synced.map((d) => d.type).sort()).toEqual(['products', 'projects']);
    const active = await w.rows("SELECT name FROM projects WHERE tenant_id = $1 AND status = 'active' ORDER BY name", [w.acme.id]);
    const doc = await w.one('SELECT * FROM assistant_documents WHERE id = $1', [projects.id]);
    expect(doc.item_count).toBe(active.length);
    expect(doc.last_synced).toBeInstanceOf(Date);
    for (const p of active) expect(doc.content).toContain(`${p.name}:`);
    expect(doc.content).not.toContain('Legacy Tool Recall'); // on hold
    const audit = await w.one("SELECT actor_id FROM audit_log WHERE resource = 'assistant_documents' AND record_id = $1 AND action = 'update' ORDER BY id DESC LIMIT 1", [projects.id]);
    expect(audit.actor_id).toBe(w.acme.users.admin!.id);

    // A project put on hold leaves the document at the next question.
    const active0 = await w.one("SELECT id, name FROM projects WHERE tenant_id = $1 AND status = 'active' ORDER BY id LIMIT 1", [w.acme.id]);
    await w.db.pool.query("UPDATE projects SET status = 'on-hold' WHERE id = $1", [active0.id]);
    const fresh = (await documentsOf(site)).find((d) => d.id === projects.id)!;
    expect(fresh.itemCount).toBe(active.length - 1);
    expect(fresh.content).not.toContain(`${active0.name}:`);
  });

  it('on demand needs manage_assistants; another tenant\'s assistant is not found', async () => {
    const site = w.assistants['acme/site']!;
    await expect(syncKnowledge(w.data, await w.actor('director'), site.id)).rejects.toMatchObject({ kind: 'forbidden' });
    const globexAdmin = await w.actor('admin', w.globex);
    const err = await syncKnowledge(w.data, globexAdmin, site.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe('not_found');
  });
});
