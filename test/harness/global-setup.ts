// Once per test run: a migrated template database on the real PostgreSQL server (each test file clones it),
// and a throwaway clickhouse-server on free ports with its own data folder. Nothing is mocked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { frontendAssets } from '../../admin/backoffice/frontend-assets';
import { migrateDatabase } from '../../domain/migrate';
import { startLocalClickHouse } from '../../scripts/clickhouse-local';
import { adminUrl, databaseUrl } from './urls';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    clickhouseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const template = `epesi_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  // The back office's scripts, made once per change of the components (~30 s) before the files run.
  await Promise.all([migrateDatabase(databaseUrl(template)), frontendAssets()]);

  const dir = mkdtempSync(join(tmpdir(), 'epesi-clickhouse-'));
  const clickhouse = await startLocalClickHouse(dir);

  project.provide('templateDatabase', template);
  project.provide('clickhouseUrl', clickhouse.url);

  return async () => {
    await clickhouse.stop({ force: true });
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}
