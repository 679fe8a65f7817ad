// A record's history, from the audit log, for anyone who may read the record. Each entry shows only the
// fields the reader may read (the log itself never holds secrets).
import { sql } from 'drizzle-orm';
import { SECRET_FIELDS } from './ability';
import { resourceOf, titleText } from './resources';
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

/** Reference field -> id -> title of the referenced records the reader may read, for every id the entries name. */
async function referenceTitles(data: ScopedData, actor: Actor, resource: string, values: Row[]) {
  const out = new Map<string, Map<number, string>>();
  for (const ref of resourceOf(resource)?.references ?? []) {
    const target = resourceOf(ref.target)!;
    const ids = [...new Set(values.map((v) => v[ref.column]).filter((v) => typeof v === 'number'))] as number[];
    if (!ids.length || !actor.ability.can('read', target.name)) continue;
    const found = await data.findMany(actor, target.name, ids, { fields: ['tenant_id', ...target.title.fields] }).catch(() => [] as Row[]);
    out.set(ref.column, new Map(found.map((row) => [row.id as number, titleText(target, row)])));
  }
  return out;
}
