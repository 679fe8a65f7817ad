// Per test file: a fresh PostgreSQL database cloned from the migrated template, and a ClickHouse database of
// its own on the run's throwaway server. Call at the top level of a test file; use the handle inside tests.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectClickHouse, type ClickHouseClient } from '../../analytics/clickhouse';
import { connect, type Database } from '../../domain/db';
import { adminUrl, databaseUrl } from './urls';

const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

async function onServer(sql: string) {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export interface TestDatabase extends Database {
  url: string;
  name: string;
}

export function useTestDatabase(): TestDatabase {
  const handle = {} as TestDatabase;
  beforeAll(async () => {
    const name = uniqueName('epesi_test');
    await onServer(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
    Object.assign(handle, connect(databaseUrl(name)), { url: databaseUrl(name), name });
  });
  afterAll(async () => {
    await handle.close?.();
    if (handle.name) await onServer(`DROP DATABASE IF EXISTS ${handle.name} WITH (FORCE)`);
  });
  return handle;
}

export interface TestClickHouse {
  client: ClickHouseClient;
  database: string;
  url: string;
}

export function useTestClickHouse(): TestClickHouse {
  const handle = {} as TestClickHouse;
  beforeAll(async () => {
    const url = inject('clickhouseUrl');
    const database = uniqueName('epesi_test');
    const root = connectClickHouse(url);
    await root.command({ query: `CREATE DATABASE ${database}` });
    await root.close();
    Object.assign(handle, { url, database, client: connectClickHouse(url, database) });
  });
  afterAll(async () => {
    if (!handle.client) return;
    await handle.client.command({ query: `DROP DATABASE IF EXISTS ${handle.database}` });
    await handle.client.close();
  });
  return handle;
}
