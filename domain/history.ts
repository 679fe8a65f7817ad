// A record's history, from the audit log, for anyone who may read the record. Each entry shows only the
// fields the reader may read (the log itself never holds secrets).
import { sql } from 'drizzle-orm';
import { SECRET_FIELDS } from './ability';
import type { Actor, Row, ScopedData } from './scoped-data';

export interface HistoryEntry {
  at: string;
  action: 'create' | 'update' | 'delete';
  actor: { id: number | null; username: string | null };
  /** Field -> [before, after]; on create only after, on delete only before. */
  changes: Record<string, [unknown, unknown]>;
}

export async function historyOf(data: ScopedData, actor: Actor, resource: string, id: unknown, limit = 100): Promise<HistoryEntry[]> {
  const record = await data.get(actor, resource, id); // 404 unless the actor may read it
  const r = data.resource(actor, 'read', resource);
  const readable = new Set(data.readableFields(actor, r, record).filter((f) => !['updated_at'].includes(f)));
  const rows = await data.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
    const result = await tx.execute(sql`
      SELECT a.at, a.action, a.actor_id, u.username, a.before, a.after
      FROM audit_log a LEFT JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.actor_id
      WHERE a.tenant_id = ${actor.principal.tenantId} AND a.resource = ${resource} AND a.record_id = ${record.id as number}
      ORDER BY a.at DESC, a.id DESC LIMIT ${limit}`);
    return result.rows as { at: Date; action: HistoryEntry['action']; actor_id: number | null; username: string | null; before: Row | null; after: Row | null }[];
  });
  return rows.map((row) => {
    const changes: HistoryEntry['changes'] = {};
    const fields = new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})]);
    for (const f of fields) {
      if (!readable.has(f) && !SECRET_FIELDS[resource]?.includes(f)) continue; // (a secret shows only as "[changed]")
      const before = row.before?.[f] ?? null;
      const after = row.after?.[f] ?? null;
      if (row.action === 'update' && JSON.stringify(before) === JSON.stringify(after)) continue;
      changes[f] = [before, after];
    }
    return { at: new Date(row.at).toISOString(), action: row.action, actor: { id: row.actor_id, username: row.username }, changes };
  });
}
