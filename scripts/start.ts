// `npm start`: the back office on this machine, with no setup.
//   DATABASE_URL    a PostgreSQL server; without it an embedded PostgreSQL (PGlite) under $DATA_DIR/postgres
//   CLICKHOUSE_URL  a ClickHouse server; without it a private clickhouse-server under $DATA_DIR/clickhouse,
//                   when the Debian package is installed (analytics is off otherwise; all else works)
//   PORT (3000), HOST (127.0.0.1), DATA_DIR (./data)
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import { connectClickHouse, type ClickHouseClient } from '../analytics/clickhouse';
import { startShipper } from '../analytics/shipper';
import { createApp } from '../admin/app';
import { answerMalformedRequests } from '../admin/http-errors';
import { sessionSecret } from '../admin/session';
import { connect, waitForPostgres } from '../domain/db';
import { migrateDatabase } from '../schema/migrate';
import { startLocalClickHouse, type LocalClickHouse } from './clickhouse-local';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './demo-data';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

const dataDir = resolve(process.env.DATA_DIR ?? 'data');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const stops: (() => Promise<unknown>)[] = [];

async function postgres(): Promise<{ url: string; embedded: boolean }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false };
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres(resolve(dataDir, 'postgres'));
  stops.push(embedded.stop);
  console.log(`PostgreSQL: embedded (PGlite) in ${resolve(dataDir, 'postgres')}; set DATABASE_URL for a real server`);
  return { url: embedded.url, embedded: true };
}

async function clickhouse(): Promise<{ client: ClickHouseClient | null; hint?: string }> {
  if (process.env.CLICKHOUSE_URL) return { client: connectClickHouse(process.env.CLICKHOUSE_URL) };
  try {
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
  const { url: databaseUrl, embedded } = await postgres();
  if (!embedded) await waitForPostgres(databaseUrl);
  await migrateDatabase(databaseUrl);
  // PGlite has one backend for all its connections: two connections' extended-protocol messages would
  // interleave (prepared statements lost, parameters crossed). One connection serializes them, as PGlite
  // serializes transactions anyway.
  const database = connect(databaseUrl, embedded ? 1 : 10);
  stops.unshift(() => database.close());
  if (await seedDemo(database)) console.log('Loaded the demo data (the database was empty).');

  const ch = await clickhouse();
  if (ch.client) stops.unshift(() => ch.client!.close());
  // Analytics: ClickHouse migrations, then the outbox shipper (events wait in PostgreSQL while ClickHouse is down).
  // The ingest API hands its committed batches to it in memory as well.
  const shipper = ch.client ? startShipper(database.pool, ch.client, { migrate: true, log: (m) => console.log(m) }) : null;
  if (shipper) stops.unshift(shipper.stop);

  const { app } = createApp({
    database,
    clickhouse: ch.client,
    clickhouseHint: ch.hint,
    sessionSecret: sessionSecret(resolve(dataDir, 'session-secret')),
    handOff: shipper?.handOff,
  });
  const server: Server = app.listen(port, host, () => {
    const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
    console.log(`\nEpesiCRM back office: ${url}   (health: ${url}/health)`);
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
