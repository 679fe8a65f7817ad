// Health endpoints, for people and for orchestrators:
//   GET /livez   the process serves requests (touches nothing: a slow database must not get the app restarted)
//   GET /readyz  ready for traffic: PostgreSQL reachable and every migration of this build applied (503 if not);
//                ClickHouse reported beside it, not required (the app serves without analytics)
//   GET /health  each backing service: PostgreSQL required (503 without it); without ClickHouse "degraded"
import type { Request, Response } from 'express';
import type pg from 'pg';
import { clickhouseStatus, type ClickHouseClient } from '../analytics/clickhouse';
import { pendingMigrationsCheck } from '../schema/migrate';

export interface HealthDeps {
  pool: pg.Pool;
  clickhouse: ClickHouseClient | null;
  /** Why ClickHouse is absent, e.g. how to install it. */
  clickhouseHint?: string;
}

/** A probe answers within this, or reports the service as not answering (an orchestrator's probe times out too). */
const PROBE_TIMEOUT_MS = 3000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function postgresStatus(pool: pg.Pool) {
  try {
    const { rows } = await within(
      pool.query<{ version: string; tenants: string }>(`SELECT current_setting('server_version') AS version, (SELECT count(*) FROM tenants) AS tenants`),
      'PostgreSQL',
    );
    return { ok: true, version: rows[0]!.version, tenants: Number(rows[0]!.tenants) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

const clickhouseProbe = (deps: HealthDeps) =>
  within(clickhouseStatus(deps.clickhouse, deps.clickhouseHint), 'ClickHouse').catch((err: Error) => ({ ok: false, error: err.message }));

export function healthHandler(deps: HealthDeps) {
  return async (_req: Request, res: Response) => {
    const [postgres, clickhouse] = await Promise.all([postgresStatus(deps.pool), clickhouseProbe(deps)]);
    const status = !postgres.ok ? 'down' : clickhouse.ok ? 'ok' : 'degraded';
    res.status(postgres.ok ? 200 : 503).json({ status, postgres, clickhouse });
  };
}

export const livenessHandler = (_req: Request, res: Response) => void res.set('Cache-Control', 'no-store').json({ status: 'ok' });

export function readinessHandler(deps: HealthDeps) {
  const pending = pendingMigrationsCheck();
  return async (_req: Request, res: Response) => {
    const [postgres, clickhouse] = await Promise.all([
      within(pending(deps.pool), 'PostgreSQL').then(
        (n) => (n ? { ok: false, error: `${n} migration(s) of this build not applied` } : { ok: true }),
        (err: Error) => ({ ok: false, error: err.message }),
      ),
      clickhouseProbe(deps),
    ]);
    res.set('Cache-Control', 'no-store');
    res.status(postgres.ok ? 200 : 503).json({ status: postgres.ok ? 'ready' : 'not ready', postgres, clickhouse });
  };
}
