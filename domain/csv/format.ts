// CSV as RFC 4180 writes it (comma, CRLF, fields with a comma, quote or line break in double quotes, quotes
// doubled), read leniently (CRLF, LF or CR line ends, a UTF-8 BOM). Cells a spreadsheet would run as a formula
// are neutralised on the way out, as OWASP recommends: a leading = + - @ tab or CR gets a ' in front.
import type { PgColumn } from 'drizzle-orm/pg-core';
import { invalid } from '../errors';

/** What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A number as a numeric column holds it: safe to leave as it is, minus sign included. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NUMERIC = new Set(['PgInteger', 'PgSerial', 'PgBigSerial53', 'PgNumeric', 'PgBigInt53', 'PgSmallInt', 'PgReal', 'PgDoublePrecision']);

/** A value as CSV text: empty for NULL, ISO 8601 for timestamps, JSON for objects and arrays. */
export function cellText(value: unknown, column?: PgColumn): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return neutralise(JSON.stringify(value));
  const text = String(value);
  if (column && NUMERIC.has(column.columnType) && PLAIN_NUMBER.test(text)) return text;
  return neutralise(text);
}

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The reverse of neutralise, for files that went out and come back: `'=x` is read as `=x`. */
export function unneutralise(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

export function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvLine(cells: string[]): string {
  return `${cells.map(quoteCell).join(',')}\r\n`;
}

export interface CsvRecord {
  /** 1-based number of the record: the header is row 1 (as a spreadsheet numbers the rows). */
  row: number;
  /** 1-based line of the file where the record starts (differs from `row` after cells with line breaks). */
  line: number;
  cells: string[];
}

/** Every record of a CSV text. An unclosed quote, or text right after a closing quote, is a 400 naming the row. */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let line = 1;
  let start = 1;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    records.push({ row: records.length + 1, line: start, cells });
    cells = [];
  };
  while (i < n) {
    // One field, starting at i.
    let value: string;
    if (text[i] === '"') {
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw invalid(`Row ${records.length + 1} (line ${start}): a quoted cell is never closed`);
        out += text.slice(j, q);
        if (text[q + 1] === '"') {
          out += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      line += (out.match(/\r\n|\r|\n/g) ?? []).length;
      value = out;
      if (i < n && !',\r\n'.includes(text[i]!)) {
        throw invalid(`Row ${records.length + 1} (line ${line}): unexpected text after a closing quote; double a quote inside a quoted cell ("")`);
      }
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j++;
      value = text.slice(i, j);
      i = j;
    }
    cells.push(value);
    if (i >= n) break;
    const c = text[i]!;
    if (c === ',') {
      i++;
      if (i >= n) cells.push(''); // a trailing comma ends with an empty cell
      continue;
    }
    // A line break ends the record.
    i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    endRecord();
    line++;
    start = line;
  }
  if (cells.length) endRecord();
  return records;
}
