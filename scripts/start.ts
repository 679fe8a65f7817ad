// `npm start`: the back office on this machine, with no setup; `npm run start:prod`: the same, compiled, as the
// image runs it. The configuration (domain/config.ts, .env.example) is read once, here; a bad value stops the start.
//   DATABASE_URL    a PostgreSQL server; without it an embedded PostgreSQL (PGlite) under $DATA_DIR/postgres
//                   (development only: production requires a server)
//   CLICKHOUSE_URL  a ClickHouse server; without it a private clickhouse-server under $DATA_DIR/clickhouse,
//                   when the Debian package is installed (analytics is off otherwise; all else works)
//   PORT (3000), HOST (127.0.0.1), DATA_DIR (./data); the demo tenants only with DEMO_DATA=1 in production
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import { connectClickHouse, type ClickHouseClient } from '../analytics/clickhouse';
import { startShipper } from '../analytics/shipper';
import { createApp } from '../admin/app';
import { answerMalformedRequests } from '../admin/http-errors';
import { sessionSecret } from '../admin/session';
import { ConfigError, loadConfig, type Config } from '../domain/config';
import { connect } from '../domain/db';
import { migrateDatabase } from '../schema/migrate';
import type { LocalClickHouse } from './clickhouse-local';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './demo-data';
import type { EmbeddedPostgres } from './embedded-postgres';

const stops: (() => Promise<unknown>)[] = [];

async function postgres(config: Config, dataDir: string): Promise<{ url: string; embedded: boolean }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false };
  // PGlite serializes every connection: fine for trying the app, not for serving a team.
  if (config.production) throw new ConfigError('DATABASE_URL must be set in production (postgres://user:password@host:5432/database)');
  // Loaded only here: PGlite is a development dependency, absent from the production image.
  const { startEmbeddedPostgres } = await import('./embedded-postgres');
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres(resolve(dataDir, 'postgres'));
  stops.push(embedded.stop);
  console.log(`PostgreSQL: embedded (PGlite) in ${resolve(dataDir, 'postgres')}; set DATABASE_URL for a real server`);
  return { url: embedded.url, embedded: true };
}

async function clickhouse(config: Config, dataDir: string): Promise<{ client: ClickHouseClient | null; hint?: string }> {
  if (config.clickhouseUrl) return { client: connectClickHouse(config.clickhouseUrl) };
  try {
    const { startLocalClickHouse } = await import('./clickhouse-local');
    const local: LocalClickHouse = await startLocalClickHouse(resolve(dataDir, 'clickhouse'));
    stops.push(() => local.stop());
    console.log(`ClickHouse: local clickhouse-server on ${local.url}, data in ${resolve(dataDir, 'clickhouse')}`);
    return { client: connectClickHouse(local.url) };
  } catch (err) {
    const hint = (err as Error).message;
    console.warn(`ClickHouse: unavailable, analytics disabled.\n  ${hint}`);
    return { client: null, hint };
  }
}

async function main() {
  const config = loadConfig();
  const dataDir = resolve(config.dataDir);
  const { port, host } = config;
  const { url: databaseUrl, embedded } = await postgres(config, dataDir);
  await migrateDatabase(databaseUrl);
  // PGlite has one backend for all its connections: two connections' extended-protocol messages would
  // interleave (prepared statements lost, parameters crossed). One connection serializes them, as PGlite
  // serializes transactions anyway.
  const database = connect(databaseUrl, embedded ? 1 : 10);
  stops.unshift(() => database.close());
  // Production starts empty (the first tenant comes from `npm run tenant:create`) unless DEMO_DATA=1.
  if (config.demoData && (await seedDemo(database))) console.log('Loaded the demo data (the database was empty).');

  const ch = await clickhouse(config, dataDir);
  if (ch.client) stops.unshift(() => ch.client!.close());
  // Analytics: ClickHouse migrations, then the outbox shipper (events wait in PostgreSQL while ClickHouse is down).
  // The ingest API hands its committed batches to it in memory as well.
  const shipper = ch.client ? startShipper(database.pool, ch.client, { migrate: true, log: (m) => console.log(m) }) : null;
  if (shipper) stops.unshift(shipper.stop);

  const { app } = createApp({
    database,
    clickhouse: ch.client,
    clickhouseHint: ch.hint,
    sessionSecret: sessionSecret(config.sessionSecret, resolve(dataDir, 'session-secret')),
    config,
    handOff: shipper?.handOff,
  });
  const server: Server = app.listen(port, host, () => {
    const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
    console.log(`\nEpesiCRM back office: ${url}   (health: ${url}/health)`);
    if (!config.demoData) return;
    console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
    console.table(DEMO_LOGINS.map(({ tenant, username, email, role, level }) => ({ tenant, username, email, role, level })));
  });
  answerMalformedRequests(server);
  stops.unshift(
    () =>
      new Promise((done) => {
        // Stop accepting, drop idle keep-alive sockets now and give in-flight requests a moment.
        server.close(done);
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  );
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops) await stop().catch((err) => console.error(err));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (err) => {
  console.error(err instanceof Error ? err.message : err);
  await shutdown(1);
});
