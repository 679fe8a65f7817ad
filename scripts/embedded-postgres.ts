// The zero-setup default: PostgreSQL compiled to WASM (PGlite) with its data under ./data, served on a
// loopback port through pglite-socket so the app talks to it with the same `pg` driver as to a real server.
// Limits (shared notes): one backend for all connections, so one transaction at a time; fine for a local
// back office and demos, not for production.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from './free-port';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  // pg_trgm: the trigram indexes of text search (schema/search-indexes.ts); a contrib module PGlite loads on demand.
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const listenPort = port ?? (await freePort());
  // With the default of one connection, a pool opening connections in parallel gets ECONNRESET.
  const server = new PGLiteSocketServer({ db, port: listenPort, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${listenPort}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
