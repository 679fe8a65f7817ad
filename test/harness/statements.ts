// Records the SQL a database's clients send (both of its pools) while a function runs: for plan tests and the
// benchmark's --explain.
import type pg from 'pg';
import type { Database } from '../../domain/db';

export interface SentStatement {
  text: string;
  values: unknown[];
}

export function statementRecorder(database: Pick<Database, 'pool' | 'reads'>) {
  let captured: SentStatement[] | null = null;
  const pools: pg.Pool[] = [database.pool, ...(database.reads ? [database.reads] : [])];
  for (const pool of pools) {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
        const [first, second] = a as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
        if (captured) captured.push(typeof first === 'string' ? { text: first, values: second ?? [] } : { text: first.text, values: first.values ?? second ?? [] });
        return query(...a);
      };
    });
  }
  /** Every statement sent while `fn` ran, in order. */
  return async (fn: () => Promise<unknown>): Promise<SentStatement[]> => {
    captured = [];
    try {
      await fn();
      return captured;
    } finally {
      captured = null;
    }
  };
}
