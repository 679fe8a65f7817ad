// The running back office, composed from the configuration (scripts/start.ts reads it first, so a bad value stops
// the start before any of this loads): PostgreSQL migrated (embedded in development when DATABASE_URL is unset),
// demo data if enabled, ClickHouse and the shipper, the HTTP server. Each service registers how it stops.
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import { connectClickHouse, type ClickHouseClient } from '../analytics/clickhouse';
import { startShipper } from '../analytics/shipper';
import { createApp } from '../admin/app';
import { frontendAssets } from '../admin/backoffice/frontend-assets';
import { answerMalformedRequests } from '../admin/http-errors';
import type { Logger } from '../admin/logging';
import { sessionSecret } from '../admin/session';
import { ConfigError, type Config } from '../domain/config';
import { connect, waitForPostgres } from '../domain/db';
import { migrateDatabase } from '../domain/migrate';
import { connectRedis, type LimitStore } from '../domain/rate-limit';
import type { LocalClickHouse } from './clickhouse-local';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './demo-data';
import type { EmbeddedPostgres } from './embedded-postgres';

/** How to stop what has started, first to last. */
export type Stops = (() => Promise<unknown>)[];

async function postgres(config: Config, dataDir: string, log: Logger, stops: Stops): Promise<{ url: string; embedded: boolean }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false };
  // PGlite serializes every connection: fine for trying the app, not for serving a team.
  if (config.production) throw new ConfigError('DATABASE_URL must be set in production (postgres://user:password@host:5432/database)');
  // Loaded only here: PGlite is a development dependency, absent from the production image.
  const { startEmbeddedPostgres } = await import('./embedded-postgres');
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres(resolve(dataDir, 'postgres'));
  stops.push(embedded.stop);
  log.info(`PostgreSQL: embedded (PGlite) in ${resolve(dataDir, 'postgres')}; set DATABASE_URL for a real server`);
  return { url: embedded.url, embedded: true };
}

async function clickhouse(config: Config, dataDir: string, log: Logger, stops: Stops): Promise<{ client: ClickHouseClient | null; hint?: string }> {
  // quiet: the client's own multi-line console errors would break the JSON log; the shipper, /health and the
  // analytics API report ClickHouse failures themselves.
  if (config.clickhouseUrl) return { client: connectClickHouse(config.clickhouseUrl, undefined, { quiet: true }) };
  try {
    const { startLocalClickHouse } = await import('./clickhouse-local');
    const local: LocalClickHouse = await startLocalClickHouse(resolve(dataDir, 'clickhouse'));
    stops.push(() => local.stop());
    log.info(`ClickHouse: local clickhouse-server on ${local.url}, data in ${resolve(dataDir, 'clickhouse')}`);
    return { client: connectClickHouse(local.url, undefined, { quiet: true }) };
  } catch (err) {
    const hint = (err as Error).message;
    log.warn({ hint }, 'ClickHouse: unavailable, analytics disabled');
    return { client: null, hint };
  }
}

export async function serve(config: Config, log: Logger, stops: Stops): Promise<void> {
  const dataDir = resolve(config.dataDir);
  const { port, host } = config;
  const { url: databaseUrl, embedded } = await postgres(config, dataDir, log, stops);
  if (!embedded) await waitForPostgres(databaseUrl, (line) => log.warn(line));
  await migrateDatabase(databaseUrl);
  // PGlite has one backend for all its connections: two connections' extended-protocol messages would
  // interleave (prepared statements lost, parameters crossed). One connection serializes them, as PGlite
  // serializes transactions anyway.
  const database = connect(databaseUrl, embedded ? 1 : 10, log);
  stops.unshift(() => database.close());
  // The limits' counters: in Redis when given, else in PostgreSQL (domain/rate-limit.ts).
  let limits: LimitStore = { kind: 'postgres', pool: database.pool };
  if (config.redisUrl) {
    const client = connectRedis(config.redisUrl, log);
    stops.unshift(() => client.quit().catch(() => client.disconnect()));
    limits = { kind: 'redis', client, prefix: config.redisKeyPrefix };
    log.info('Limits: counted in Redis (REDIS_URL)');
  }
  // Production starts empty (the first tenant comes from `npm run tenant:create`) unless DEMO_DATA=1.
  if (config.demoData && (await seedDemo(database))) log.info('Loaded the demo data (the database was empty).');

  const ch = await clickhouse(config, dataDir, log, stops);
  if (ch.client) stops.unshift(() => ch.client!.close());
  // Analytics: ClickHouse migrations, then the outbox shipper (events wait in PostgreSQL while ClickHouse is down).
  // The ingest API hands its committed batches to it in memory as well.
  // CLICKHOUSE_CLUSTER: the migrations create the tables on every host of that cluster (analytics/cluster.ts).
  const cluster = config.clickhouseCluster && config.clickhouseUrl ? { ...config.clickhouseCluster, url: config.clickhouseUrl } : undefined;
  const shipper = ch.client ? startShipper(database.pool, ch.client, { migrate: true, cluster, log: (m) => log.info({ component: 'shipper' }, m) }) : null;
  if (shipper) stops.unshift(shipper.stop);

  // The pages' scripts: the build's, or from the sources made once per change of the components (~30 s).
  await frontendAssets();
  const { app } = createApp({
    database,
    clickhouse: ch.client,
    clickhouseHint: ch.hint,
    sessionSecret: sessionSecret(config.sessionSecret, resolve(dataDir, 'session-secret')),
    config,
    logger: log,
    handOff: shipper?.handOff,
    limits,
  });
  const server: Server = app.listen(port, host, () => {
    const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
    log.info({ url, nodeEnv: config.nodeEnv, demoData: config.demoData }, `EpesiCRM back office: ${url}   (health: ${url}/health)`);
    if (!config.demoData) return;
    log.info(`Demo logins (password "${DEMO_PASSWORD}"): ${DEMO_LOGINS.map((l) => `${l.tenant}/${l.username}`).join(', ')}`);
    // The table for a person at a terminal.
    if (!config.production) console.table(DEMO_LOGINS.map(({ tenant, username, email, role, level }) => ({ tenant, username, email, role, level })));
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
