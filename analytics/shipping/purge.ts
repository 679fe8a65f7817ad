// The retention purge: shipped events leave PostgreSQL's outbox once older than the retention period.
import type pg from 'pg';

/**
 * Deletes shipped events older than `retentionDays` from PostgreSQL, in chunks (short transactions), walking
 * the table in id order from the oldest: it stops at the first chunk holding no old event, so it reads the
 * expired region and one chunk more, not the whole table. Queued (unshipped) events are never deleted.
 */
export async function purgeShipped(pool: pg.Pool, retentionDays: number, chunk = 50_000): Promise<number> {
  let total = 0;
  let cursor = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: number; old: boolean }>(
      `SELECT id, created_at < now() - make_interval(days => $2) AS old FROM events WHERE id > $1 ORDER BY id LIMIT $3`,
      [cursor, retentionDays, chunk],
    );
    const old = rows.filter((r) => r.old).map((r) => r.id);
    if (old.length) {
      const { rowCount } = await pool.query(
        `DELETE FROM events e WHERE e.id = ANY($1::int[]) AND NOT EXISTS (SELECT 1 FROM events_pending p WHERE p.event_id = e.id)`,
        [old],
      );
      total += rowCount ?? 0;
    }
    if (!old.length || rows.length < chunk) return total;
    cursor = rows[rows.length - 1]!.id;
  }
}
