// `npm start`: the back office on this machine, with no setup; `npm run start:prod`: the same, compiled, as the
// image runs it. The configuration (domain/config.ts, .env.example) is read once, here; a bad value stops the start.
//   DATABASE_URL    a PostgreSQL server; without it an embedded PostgreSQL (PGlite) under $DATA_DIR/postgres
//                   (development only: production requires a server)
//   CLICKHOUSE_URL  a ClickHouse server; without it a private clickhouse-server under $DATA_DIR/clickhouse,
//                   when the Debian package is installed (analytics is off otherwise; all else works);
//                   CLICKHOUSE_CLUSTER (and CLICKHOUSE_REPLICATED) to shard the analytics tables over a cluster
//   PORT (3000), HOST (127.0.0.1), DATA_DIR (./data); the demo tenants only with DEMO_DATA=1 in production
import { createLogger, errorFields, type Logger } from '../admin/logging';
import { ConfigError, loadConfig } from '../domain/config';
import type { Stops } from './serve';

const stops: Stops = [];
/** JSON lines on stdout once the configuration is read; before that, plain text on stderr. */
let log: Logger | undefined;

async function main() {
  // First the configuration, with nothing else loaded: a bad value stops the start at once, naming the variable.
  const config = loadConfig();
  log = createLogger(config.logLevel);
  const { serve } = await import('./serve');
  await serve(config, log, stops);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops) await stop().catch((err) => (log ? log.error({ error: errorFields(err) }, 'stopping failed') : console.error(err)));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (err) => {
  // A configuration error is for the person starting the app: its message, plain, naming the variable.
  if (err instanceof ConfigError || !log) console.error(err instanceof Error ? err.message : err);
  else log.fatal({ error: errorFields(err) }, 'start failed');
  await shutdown(1);
});
