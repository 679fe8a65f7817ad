// The knowledge base of an assistant: its assistant_documents. Documents of type `faq` and `documents` are written
// by people; documents of type `products` and `projects` are generated from the CRM's own tables.
//
// When a generated document is brought up to date (decided here, see README "AI assistants"):
//   - on demand: POST /api/assistants/:id/sync (syncKnowledge, as the signed-in user through the scoped layer);
//   - lazily, when a question is answered: a document is stale when it was never synced, when a product (or
//     project) in the assistant's scope was created or changed after last_synced, or when the number of items no
//     longer matches item_count (a deletion). Two small aggregate queries per question; no trigger on the CRM's
//     tables and no background job, yet an answer never uses a catalog older than the question.
//
// What a generated document holds is decided by the assistant, not by whoever syncs it: a tenant assistant
// (scope 'tenant') covers the whole tenant's active products and active projects; a workspace assistant covers
// its workspace's and the tenant-wide ones. The knowledge base is what the assistant tells the public.
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { assistantDocuments, productCategories, products, projects } from '../../schema';
import type { Tx } from '../scoped-data';

export type DocumentType = 'products' | 'projects' | 'documents' | 'faq';
export const GENERATED_TYPES = ['products', 'projects'] as const;
export type GeneratedType = (typeof GENERATED_TYPES)[number];
export const isGenerated = (type: string): type is GeneratedType => (GENERATED_TYPES as readonly string[]).includes(type);

/** What of an assistant decides the scope of its generated documents. */
export interface AssistantScope {
  id: number;
  tenantId: number;
  scope: 'tenant' | 'workspace';
  workspaceId: number | null;
}

export interface KnowledgeDocument {
  id: number;
  type: DocumentType;
  name: string;
  content: string | null;
  itemCount: number;
  isActive: boolean;
  lastSynced: Date | null;
}

/** One retrievable piece of a document: a product, a project, an FAQ entry or a paragraph. */
export interface Passage {
  documentId: number;
  documentName: string;
  type: DocumentType;
  text: string;
}

const MAX_PASSAGE = 1200;

/**
 * A document cut into passages: generated documents hold one item per line; FAQs and free documents are cut at
 * blank lines (an FAQ entry is "Q: ...\nA: ..."), long paragraphs again at line ends.
 */
export function passagesOf(doc: Pick<KnowledgeDocument, 'id' | 'name' | 'type' | 'content'>): Passage[] {
  const text = (doc.content ?? '').replace(/\r\n?/g, '\n').trim();
  if (!text) return [];
  const blocks = isGenerated(doc.type) ? text.split('\n') : text.split(/\n\s*\n/);
  const pieces = blocks.flatMap((b) => (b.length > MAX_PASSAGE ? b.split('\n') : [b]));
  return pieces
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ documentId: doc.id, documentName: doc.name, type: doc.type, text: p.slice(0, MAX_PASSAGE * 2) }));
}

// --- generated documents -----------------------------------------------------------------------------------

/** The rows of a generated document's source table that lie in the assistant's scope. */
function inScope(a: AssistantScope, table: typeof products | typeof projects): SQL {
  const tenant = eq(table.tenantId, a.tenantId);
  if (a.scope !== 'workspace' || a.workspaceId === null) return tenant;
  return and(tenant, or(isNull(table.workspaceId), eq(table.workspaceId, a.workspaceId))) as SQL;
}

const included = {
  products: eq(products.isActive, true),
  projects: eq(projects.status, 'active'),
};

/** "voltage_v: 20; sizes_eu: 40, 42" from a specifications object (nested objects flattened one level). */
function specificationsText(specs: Record<string, unknown>): string {
  const value = (v: unknown): string =>
    Array.isArray(v) ? v.map(value).join(', ')
    : v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k.replace(/_/g, ' ')} ${value(x)}`).join(', ')
    : String(v);
  return Object.entries(specs)
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${value(v)}`)
    .join('; ');
}

const oneLine = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The content of a generated document, one item per line, and how many items it holds. */
export async function buildDocument(tx: Tx, a: AssistantScope, type: GeneratedType): Promise<{ content: string; itemCount: number }> {
  if (type === 'products') {
    const rows = await tx
      .select({
        title: products.title, name: products.name, sku: products.sku, description: products.description,
        salePrice: products.salePrice, currency: products.currency, stock: products.stock,
        specifications: products.specifications, category: productCategories.name,
      })
      .from(products)
      .leftJoin(productCategories, and(eq(productCategories.tenantId, products.tenantId), eq(productCategories.id, products.categoryId)))
      .where(and(inScope(a, products), included.products))
      .orderBy(asc(products.title), asc(products.id));
    const lines = rows.map((p) => {
      const parts = [
        `${oneLine(p.title)}${p.sku ? ` (${oneLine(p.sku)})` : ''}: ${p.salePrice} ${p.currency}.`,
        p.name && p.name !== p.title ? `Also known as ${oneLine(p.name)}.` : '',
        p.description ? `${oneLine(p.description).replace(/\.$/, '')}.` : '',
        p.category ? `Category: ${oneLine(p.category)}.` : '',
        Object.keys(p.specifications ?? {}).length ? `Specifications: ${oneLine(specificationsText(p.specifications))}.` : '',
      ];
      return parts.filter(Boolean).join(' ');
    });
    return { content: lines.join('\n'), itemCount: rows.length };
  }
  const rows = await tx
    .select({ name: projects.name, description: projects.description, status: projects.status })
    .from(projects)
    .where(and(inScope(a, projects), included.projects))
    .orderBy(asc(projects.name), asc(projects.id));
  const lines = rows.map((p) => `${oneLine(p.name)}: ${p.description ? `${oneLine(p.description).replace(/\.$/, '')}. ` : ''}Status: ${p.status}.`);
  return { content: lines.join('\n'), itemCount: rows.length };
}

/**
 * Whether a generated document is older than its source: never synced, rows created or changed since its
 * last_synced, or a different number of items (a deletion). Compared in the database, at its own precision.
 */
export async function isStale(tx: Tx, a: AssistantScope, doc: { id: number; type: DocumentType }): Promise<boolean> {
  if (!isGenerated(doc.type)) return false;
  const table = doc.type === 'products' ? products : projects;
  const source = tx
    .select({
      items: sql<number>`count(*) filter (where ${included[doc.type]})`.as('items'),
      changed: sql<Date | null>`max(greatest(${table.createdAt}, ${table.updatedAt}))`.as('changed'),
    })
    .from(table)
    .where(inScope(a, table))
    .as('source');
  const [row] = await tx
    .select({
      stale: sql<boolean>`(${assistantDocuments.lastSynced} is null or ${source.items} <> ${assistantDocuments.itemCount} or coalesce(${source.changed} > ${assistantDocuments.lastSynced}, false))`,
    })
    .from(assistantDocuments)
    .crossJoin(source)
    .where(and(eq(assistantDocuments.tenantId, a.tenantId), eq(assistantDocuments.id, doc.id)));
  return row?.stale ?? false;
}

/**
 * The assistant's active documents, generated ones brought up to date first (the lazy sync of the public path).
 * Runs in the assistant's tenant (row-level security applies); writes as the system.
 */
export async function freshDocuments(tx: Tx, a: AssistantScope): Promise<KnowledgeDocument[]> {
  const docs = await tx
    .select({
      id: assistantDocuments.id, type: assistantDocuments.type, name: assistantDocuments.name, content: assistantDocuments.content,
      itemCount: assistantDocuments.itemCount, isActive: assistantDocuments.isActive, lastSynced: assistantDocuments.lastSynced,
    })
    .from(assistantDocuments)
    .where(and(eq(assistantDocuments.tenantId, a.tenantId), eq(assistantDocuments.assistantId, a.id), eq(assistantDocuments.isActive, true)))
    .orderBy(asc(assistantDocuments.id));
  const built = new Map<GeneratedType, { content: string; itemCount: number }>();
  for (const doc of docs) {
    if (!isGenerated(doc.type) || !(await isStale(tx, a, doc))) continue;
    if (!built.has(doc.type)) built.set(doc.type, await buildDocument(tx, a, doc.type));
    const { content, itemCount } = built.get(doc.type)!;
    const [row] = await tx
      .update(assistantDocuments)
      .set({ content, itemCount, lastSynced: sql`now()` })
      .where(and(eq(assistantDocuments.tenantId, a.tenantId), eq(assistantDocuments.id, doc.id)))
      .returning({ lastSynced: assistantDocuments.lastSynced });
    Object.assign(doc, { content, itemCount, lastSynced: row?.lastSynced ?? new Date() });
  }
  return docs;
}

/** The generated documents among `ids` that belong to the assistant (used by the on-demand sync). */
export async function generatedDocumentIds(tx: Tx, a: AssistantScope): Promise<number[]> {
  const rows = await tx
    .select({ id: assistantDocuments.id })
    .from(assistantDocuments)
    .where(and(eq(assistantDocuments.tenantId, a.tenantId), eq(assistantDocuments.assistantId, a.id), inArray(assistantDocuments.type, [...GENERATED_TYPES])))
    .orderBy(asc(assistantDocuments.id));
  return rows.map((r) => r.id);
}
