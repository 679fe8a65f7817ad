// GET /health: is each backing service reachable? PostgreSQL is required (503 without it);
// ClickHouse only powers analytics, so without it the app reports "degraded" and keeps serving.
import type { Request, Response } from 'express';
import type pg from 'pg';
import { clickhouseStatus, type ClickHouseClient } from '../analytics/clickhouse';

export interface HealthDeps {
  pool: pg.Pool;
  clickhouse: ClickHouseClient | null;
  /** Why ClickHouse is absent, e.g. how to install it. */
  clickhouseHint?: string;
}

async function postgresStatus(pool: pg.Pool) {
  try {
    const { rows } = await pool.query<{ version: string; tenants: string }>(
      `SELECT current_setting('server_version') AS version, (SELECT count(*) FROM tenants) AS tenants`,
    );
    return { ok: true, version: rows[0]!.version, tenants: Number(rows[0]!.tenants) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export function healthHandler(deps: HealthDeps) {
  return async (_req: Request, res: Response) => {
    const [postgres, clickhouse] = await Promise.all([
      postgresStatus(deps.pool),
      clickhouseStatus(deps.clickhouse, deps.clickhouseHint),
    ]);
    const status = !postgres.ok ? 'down' : clickhouse.ok ? 'ok' : 'degraded';
    res.status(postgres.ok ? 200 : 503).json({ status, postgres, clickhouse });
  };
}
