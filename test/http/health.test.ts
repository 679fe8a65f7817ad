// Liveness and readiness for orchestrators (the image's HEALTHCHECK and Caddy probe /readyz): live while the
// process serves; ready when PostgreSQL answers and has every migration of this build; ClickHouse reported, not required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../domain/db';
import { useTestClickHouse, useTestDatabase } from '../harness';
import { startApp } from './client';

const db = useTestDatabase();
const ch = useTestClickHouse();
const gone = connect('postgres://postgres@127.0.0.1:1/nowhere', 1); // nothing listens on port 1
const apps: Record<string, Awaited<ReturnType<typeof startApp>>> = {};
const get = async (app: string, path: string) => {
  const res = await fetch(`${apps[app]!.base}${path}`);
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  apps.withClickHouse = await startApp(db, ch.client);
  apps.noClickHouse = await startApp(db, null);
  apps.noPostgres = await startApp(gone, null);
});
afterAll(async () => {
  await Promise.all(Object.values(apps).map((a) => a.close()));
  await gone.close();
});

describe('/livez', () => {
  it('answers 200 while the process serves, whatever the databases do', async () => {
    expect(await get('noPostgres', '/livez')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('withClickHouse', '/livez')).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe('/readyz', () => {
  it('is ready with PostgreSQL migrated, and reports ClickHouse beside it', async () => {
    const ready = await get('withClickHouse', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', postgres: { ok: true }, clickhouse: { ok: true } });
  });

  it('stays ready without ClickHouse (the app serves without analytics), saying so', async () => {
    const ready = await get('noClickHouse', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', postgres: { ok: true }, clickhouse: { ok: false } });
  });

  it('is not ready (503) when PostgreSQL is unreachable', async () => {
    const res = await get('noPostgres', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'not ready', postgres: { ok: false } });
  });

  it('is not ready (503) when the database lacks a migration of this build, and ready again once it has it', async () => {
    const { rows } = await db.pool.query('DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations) RETURNING *');
    try {
      const res = await get('noClickHouse', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body.postgres).toEqual({ ok: false, error: '1 migration(s) of this build not applied' });
    } finally {
      await db.pool.query('INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES ($1, $2, $3)', [rows[0].id, rows[0].hash, rows[0].created_at]);
    }
    expect((await get('noClickHouse', '/readyz')).status).toBe(200);
  });
});

describe('/health', () => {
  it('still reports each service as before', async () => {
    expect(await get('withClickHouse', '/health')).toMatchObject({ status: 200, body: { status: 'ok', postgres: { ok: true }, clickhouse: { ok: true } } });
    expect(await get('noClickHouse', '/health')).toMatchObject({ status: 200, body: { status: 'degraded' } });
    expect(await get('noPostgres', '/health')).toMatchObject({ status: 503, body: { status: 'down' } });
  });
});
