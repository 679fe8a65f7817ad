// The on-demand knowledge sync of the back office (POST /api/assistants/:id/sync): every products and projects
// document of an assistant rebuilt from the CRM's tables now. The signed-in user must be able to read the
// assistant and update each document (manage_assistants); the writes go through the scoped layer and are audited
// as theirs. What the documents contain follows the assistant's scope (knowledge.ts), whoever syncs them.
import { sql } from 'drizzle-orm';
import type { Actor, Row, ScopedData } from '../scoped-data';
import { buildDocument, generatedDocumentIds, isGenerated, type AssistantScope, type GeneratedType } from './knowledge';

export async function syncKnowledge(data: ScopedData, actor: Actor, assistantId: unknown): Promise<Row[]> {
  // One transaction: every document is synced from the same reading of the catalog, or none is.
  return data.transaction(actor, async (scoped, tx) => {
    const row = await scoped.get(actor, 'assistants', assistantId);
    const scope: AssistantScope = {
      id: row.id as number,
      tenantId: actor.principal.tenantId,
      scope: row.scope as AssistantScope['scope'],
      workspaceId: (row.workspace_id as number | null) ?? null,
    };
    // Synced "as of" the transaction's start, before the catalog is read: a change committed meanwhile makes the
    // documents stale again rather than being missed.
    const [{ ms }] = (await tx.execute(sql`SELECT extract(epoch FROM now()) * 1000 AS ms`)).rows as [{ ms: string | number }];
    const asOf = new Date(Math.floor(Number(ms)));
    const ids = await generatedDocumentIds(tx, scope);
    const docs = ids.length ? await scoped.findMany(actor, 'assistant_documents', ids) : [];
    const built = new Map<GeneratedType, { content: string; itemCount: number }>();
    const synced: Row[] = [];
    for (const doc of docs.sort((x, y) => (x.id as number) - (y.id as number))) {
      const type = String(doc.type);
      if (!isGenerated(type)) continue;
      if (!built.has(type)) built.set(type, await buildDocument(tx, scope, type));
      const { content, itemCount } = built.get(type)!;
      synced.push(await scoped.update(actor, 'assistant_documents', doc.id, { content, item_count: itemCount, last_synced: asOf }));
    }
    return synced;
  });
}
