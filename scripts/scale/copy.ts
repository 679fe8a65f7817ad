// Bulk loading with COPY FROM STDIN (text format): rows are generated lazily in chunks and streamed, so
// memory stays flat whatever the row count.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import pgCopy from 'pg-copy-streams';

/** NULL in COPY text format. */
export const NULL = '\\N';

/**
 * Escapes a value for COPY text format. Generators use it only where a value may hold a backslash,
 * tab or line break; fixed vocabularies are known not to.
 */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

/** Reserves `count` consecutive ids from a table's serial sequence and returns the first. */
export async function reserveIds(client: pg.ClientBase, table: string, count: number): Promise<number> {
  if (count <= 0) return 0;
  const { rows } = await client.query<{ first: string }>(
    `WITH s AS (SELECT pg_get_serial_sequence($1, 'id') AS seq), n AS (SELECT nextval(seq) AS first, seq FROM s)
     SELECT first, setval(seq, first + $2 - 1) FROM n`,
    [table, count],
  );
  return Number(rows[0]!.first);
}

export interface CopyOptions {
  /** Rows per COPY statement: bounds the server's per-statement after-trigger queue (foreign key checks). */
  batchRows: number;
  /** Rows per chunk written to the stream (and per progress report). */
  chunkRows?: number;
  onChunk?: (done: number) => void;
}

/**
 * COPY `total` rows into `table` (`columns`, in order); `row(i)` returns one text-format line without the
 * newline, and is called for i = 0..total-1 in order (generators may keep state).
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  total: number,
  row: (i: number) => string,
  { batchRows, chunkRows = 5_000, onChunk }: CopyOptions,
): Promise<void> {
  const statement = `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  for (let start = 0; start < total; start += batchRows) {
    const end = Math.min(total, start + batchRows);
    async function* chunks() {
      for (let from = start; from < end; from += chunkRows) {
        const to = Math.min(end, from + chunkRows);
        let text = '';
        for (let i = from; i < to; i++) text += row(i) + '\n';
        yield text;
        // The end of a statement is reported once the server has finished it (foreign keys are checked then).
        if (to < end) onChunk?.(to);
      }
    }
    await pipeline(Readable.from(chunks()), client.query(pgCopy.from(statement)));
    onChunk?.(end);
  }
}
