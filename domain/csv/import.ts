// CSV into a resource: a header of column names or labels (./columns.ts: system columns ignored, references by
// id or by title), then one record per row. Every row passes the checks of
// create (through ScopedData.createMany), all rows are written in one transaction or none is. A dry run
// reports what would happen to each row, writing nothing. Needs 'import' on the resource (manage_X).
import { READ_ONLY_FIELDS } from '../ability';
import { DomainError, invalid } from '../errors';
import type { Actor, Row, ScopedData } from '../scoped-data';
import { headerColumns, resolveTitles } from './columns';
import { parseCsv, unneutralise } from './format';

export const IMPORT_LIMITS = { bytes: 5 * 1024 * 1024, rows: 10_000 };

export interface ImportRow {
  /** The row of the file (the header is row 1). */
  row: number;
  /** What is (or would be) stored; for a row with errors, the cells as read. */
  values: Row;
  /** Field -> message; `_row` for the row as a whole. Empty when the row is fine. */
  errors: Record<string, string>;
}

export interface ImportReport {
  resource: string;
  dryRun: boolean;
  /** Whether the rows were written (never in a dry run, never when a row has errors). */
  written: boolean;
  /** The columns filled, in header order. */
  columns: string[];
  /** Header cells left out: system columns an export writes (id, tenant_id, created_at, updated_at). */
  ignored: string[];
  total: number;
  invalid: number;
  /** The ids of the created records, in file order (when written). */
  ids: number[];
  rows: ImportRow[];
}

/** Fields the database sets, absent from a dry run's preview: they are not what the real import would give. */
const PREVIEW_HIDDEN = new Set(READ_ONLY_FIELDS);

export interface ImportOptions {
  dryRun?: boolean;
  /** Column -> its label on screen, so a header may name a column by label. */
  labels?: Record<string, string>;
  /** Header cell -> column it fills, or null to leave the column out (chosen on the import screen). */
  mapping?: Record<string, string | null>;
}

export async function importCsv(data: ScopedData, actor: Actor, name: string, text: string, options: ImportOptions = {}): Promise<ImportReport> {
  const r = data.resource(actor, 'import', name);
  const records = parseCsv(text);
  const header = records[0]?.cells.map((c) => c.trim()) ?? [];
  if (!header.length || header.every((c) => c === '')) throw invalid('The file is empty: the first row must name the columns');
  const { columns, ignored, errors: columnErrors } = headerColumns(r, header, options.labels, options.mapping);
  if (Object.keys(columnErrors).length) {
    const writable = [...r.columns.keys()].filter((c) => !READ_ONLY_FIELDS.includes(c));
    throw invalid(
      `The header (row 1) has columns that cannot be imported: ${Object.entries(columnErrors).map(([c, m]) => `${c} ${m}`).join('; ')}. ` +
        `Columns of ${name}: ${writable.join(', ')}`,
      columnErrors,
    );
  }
  const body = records.slice(1).filter((rec) => !(rec.cells.length === 1 && rec.cells[0] === '')); // blank lines
  if (!body.length) throw invalid('The file has a header but no rows to import');
  if (body.length > IMPORT_LIMITS.rows) {
    throw new DomainError('too_large', `The file has ${body.length} rows; at most ${IMPORT_LIMITS.rows} can be imported at once. Split it into smaller files.`);
  }

  // Cells to input values: an empty cell is no value (the column's default applies).
  const rows = body.map((rec): ImportRow => {
    const values: Row = {};
    if (rec.cells.length !== header.length) {
      return { row: rec.row, values, errors: { _row: `has ${rec.cells.length} cells; the header has ${header.length}` } };
    }
    rec.cells.forEach((cell, k) => {
      if (cell.trim() !== '' && columns[k]) values[columns[k]] = unneutralise(cell);
    });
    return { row: rec.row, values, errors: {} };
  });
  await resolveTitles(data, actor, r, rows.filter((row) => !Object.keys(row.errors).length));
  const wellFormed = rows.filter((row) => !Object.keys(row.errors).length);
  const malformed = wellFormed.length < rows.length;
  const result = await data.createMany(actor, name, wellFormed.map((row) => row.values), { dryRun: options.dryRun || malformed });
  result.rows.forEach((outcome, k) => {
    const row = wellFormed[k]!;
    row.errors = outcome.errors;
    if (!Object.keys(outcome.errors).length) row.values = outcome.values;
  });
  const ids = result.written ? wellFormed.map((row) => row.values.id as number) : [];
  if (!result.written) {
    for (const row of rows) {
      if (!Object.keys(row.errors).length) row.values = Object.fromEntries(Object.entries(row.values).filter(([f]) => !PREVIEW_HIDDEN.has(f)));
    }
  }
  return {
    resource: name,
    dryRun: !!options.dryRun,
    written: result.written,
    columns: columns.filter((c): c is string => c !== null),
    ignored,
    total: rows.length,
    invalid: rows.filter((row) => Object.keys(row.errors).length).length,
    ids,
    rows,
  };
}

/** "Row 3: value must be ...; Row 7: ..." for the first few invalid rows. */
export function summarise(report: ImportReport, max = 5): string {
  const bad = report.rows.filter((row) => Object.keys(row.errors).length);
  const parts = bad.slice(0, max).map((row) => `row ${row.row}: ${Object.entries(row.errors).map(([f, m]) => (m.startsWith(f) ? m : `${f}: ${m}`)).join('; ')}`);
  const more = bad.length > max ? `; and ${bad.length - max} more` : '';
  return `${bad.length} of ${report.total} rows are invalid, so nothing was imported: ${parts.join(' | ')}${more}`;
}
