// A record's history, from the audit log, for anyone who may read the record. Each entry shows only the
// fields the reader may read (the log itself never holds secrets).
import { sql } from 'drizzle-orm';
import { SECRET_FIELDS } from './ability';
import { referenceColumns, referenceTitles, titleOrRestricted } from './reference-titles';
import type { Actor, Row, ScopedData } from './scoped-data';

export interface HistoryEntry {
  at: string;
  action: 'create' | 'update' | 'delete';
  actor: { id: number | null; username: string | null; name: string | null };
  /** Field -> [before, after]; on create only after, on delete only before. */
  changes: Record<string, [unknown, unknown]>;
  /** Reference field -> [before, after] as the referenced records' titles (null: none, or one the reader cannot read). */
  titles: Record<string, [string | null, string | null]>;
}

export async function historyOf(data: ScopedData, actor: Actor, resource: string, id: unknown, limit = 100): Promise<HistoryEntry[]> {
  const record = await data.get(actor, resource, id); // 404 unless the actor may read it
  const r = data.resource(actor, 'read', resource);
  const readable = new Set(data.readableFields(actor, r, record).filter((f) => !['updated_at'].includes(f)));
  const rows = await data.inTenant(actor.principal.tenantId, actor.principal.userId, async (tx) => {
    const result = await tx.execute(sql`
      SELECT a.at, a.action, a.actor_id, u.username, nullif(concat_ws(' ', u.first_name, u.last_name), '') AS name, a.before, a.after
      FROM audit_log a LEFT JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.actor_id
      WHERE a.tenant_id = ${actor.principal.tenantId} AND a.resource = ${resource} AND a.record_id = ${record.id as number}
      ORDER BY a.at DESC, a.id DESC LIMIT ${limit}`);
    return result.rows as { at: Date; action: HistoryEntry['action']; actor_id: number | null; username: string | null; name: string | null; before: Row | null; after: Row | null }[];
  });
  const titles = await referenceTitles(data, actor, resource, rows.flatMap((row) => [row.before ?? {}, row.after ?? {}]));
  const titleOf = (field: string, v: unknown) => (v === null || v === undefined ? null : (titles.get(field)?.get(Number(v)) ?? null));
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
    const refs: HistoryEntry['titles'] = {};
    for (const [f, [before, after]] of Object.entries(changes)) if (titles.has(f)) refs[f] = [titleOf(f, before), titleOf(f, after)];
    return { at: new Date(row.at).toISOString(), action: row.action, actor: { id: row.actor_id, username: row.username, name: row.name }, changes, titles: refs };
  });
}

/**
 * An audit entry's references in words: field -> [before, after] titles, RESTRICTED where the reader may not
 * read the target (the entry itself is read through the scoped layer: 404 unless the reader may read it).
 */
export async function auditTitles(data: ScopedData, actor: Actor, auditId: unknown): Promise<Record<string, [string | null, string | null]>> {
  const entry = await data.get(actor, 'audit_log', auditId);
  const parse = (v: unknown): Row => (typeof v === 'string' ? JSON.parse(v) : ((v as Row | null) ?? {}));
  const [before, after] = [parse(entry.before), parse(entry.after)];
  const resource = String(entry.resource);
  const titles = await referenceTitles(data, actor, resource, [before, after]);
  const out: Record<string, [string | null, string | null]> = {};
  for (const column of referenceColumns(resource)) {
    if (!(column in before) && !(column in after)) continue;
    out[column] = [titleOrRestricted(titles, column, before[column]), titleOrRestricted(titles, column, after[column])];
  }
  return out;
}
