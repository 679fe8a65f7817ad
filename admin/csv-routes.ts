// CSV export and import of any resource, over the scoped data layer (mounted by admin/api.ts under /api,
// before the '/:resource/:id' routes):
//
//   GET  /api/:resource/export.csv?q=&sortBy=&direction=&filters[field]=value&columns=a,b
//        The list with the same filters, search and sort as GET /api/:resource, every matching row, as an
//        attachment (text/csv, RFC 4180, CRLF). Needs export_data ('export') and read on the resource; only
//        readable fields, never a password. Formula-like cells (= + - @ tab CR) start with a ' (OWASP).
//        JSON and list values are JSON text, timestamps ISO 8601 (UTC), NULL an empty cell.
//
//   POST /api/:resource/import[?dryRun=1]      body: text/csv, or multipart/form-data with the file
//        Header row = column names or their labels ("first_name" or "First name", "Company" for company_id);
//        system columns (id, tenant_id, created_at, updated_at) are ignored, so an export comes back in as new
//        records (listed in `ignored`). A reference cell is an id or the title of a record you can read
//        ("Northwind Traders"). ?mapping={"header":"column"|null} says which column a header fills (null: left
//        out), for headers that name none. An empty cell is no value (the default applies); '=x comes back as =x. Needs 'import'
//        (manage_X) on the resource; each row passes the same checks as a create. Up to 5 MB and 10,000 rows
//        (else 413). Answers:
//          dryRun: 200 { dryRun: true, written: false, total, invalid, rows: [{ row, values, errors: {field: message} }] }
//          all rows valid: 201 { written: true, total, ids } — all rows created in ONE transaction
//          any row invalid: 400 { error, written: false, total, invalid, rows: [the invalid rows] } — nothing written
//        `row` is the row of the file, the header being row 1.
import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { DomainError, invalid } from '../domain/errors';
import { exportCsv } from '../domain/csv/export';
import { IMPORT_LIMITS, importCsv, summarise } from '../domain/csv/import';
import type { FilterValue, ScopedData } from '../domain/scoped-data';
import { labels } from './backoffice/labels';
import { actorOf, onlyQuery, wrap } from './http';
import { logRequestError } from './logging';

const tooLarge = () =>
  new DomainError('too_large', `The file is larger than ${IMPORT_LIMITS.bytes / 1024 / 1024} MB; split it into smaller files (at most ${IMPORT_LIMITS.rows} rows each).`);

/** The request body, refused (413) once it passes `limit` bytes (the rest is read and dropped, then the answer goes). */
function readBody(req: Request, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream'];

/** The CSV text of an import request: the body itself, or the (first) file of a multipart form. */
async function csvText(req: Request): Promise<string> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let bytes: Uint8Array;
  if (type === 'multipart/form-data') {
    const raw = await readBody(req, IMPORT_LIMITS.bytes + 64 * 1024); // (room for the multipart envelope)
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': String(req.headers['content-type']) } }).formData().catch(() => {
      throw invalid('The multipart body could not be read');
    });
    let file = form.get('file');
    form.forEach((v) => (file = file && typeof file !== 'string' ? file : v));
    if (!file || typeof file === 'string') throw invalid('The form has no file: send the CSV as the field "file"');
    if (file.size > IMPORT_LIMITS.bytes) throw tooLarge();
    bytes = new Uint8Array(await file.arrayBuffer());
  } else if (CSV_TYPES.includes(type)) {
    bytes = await readBody(req, IMPORT_LIMITS.bytes);
  } else {
    throw invalid(`Send the CSV as text/csv, or as the file of a multipart/form-data form (got ${type || 'no content type'})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('The file is not UTF-8 text: save it as "CSV UTF-8"');
  }
}

/** The list query of GET /api/:resource, for the export. */
function exportQuery(q: Record<string, unknown>) {
  const filters = (typeof q.filters === 'object' && q.filters !== null ? q.filters : {}) as Record<string, FilterValue>;
  const direction: 'asc' | 'desc' | null = q.direction === 'asc' ? 'asc' : q.direction === undefined || q.direction === 'desc' ? 'desc' : null;
  if (!direction) throw invalid('direction must be asc or desc');
  const columns = typeof q.columns === 'string' ? q.columns.split(',').map((c) => c.trim()).filter(Boolean) : undefined;
  return {
    query: { filters, q: typeof q.q === 'string' ? q.q : undefined, sortBy: typeof q.sortBy === 'string' ? q.sortBy : undefined, direction },
    columns,
  };
}

/** Writes every chunk, waiting when the client reads slower than the database gives; stops if it goes away. */
async function stream(res: Response, chunks: AsyncGenerator<string>) {
  for await (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
}

/** The back office's field labels of a resource, so an import header may say "First name" for first_name. */
let allLabels: ReturnType<typeof labels> | undefined;
const labelsOf = (name: string) => (allLabels ??= labels()).resources[name]?.properties ?? {};

/** ?mapping={"Nom":"last_name","Notes 2":null}: header cell -> column, or null to leave the column out. */
function mappingOf(raw: unknown): Record<string, string | null> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : null;
  } catch {
    parsed = null;
  }
  const ok = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => v === null || typeof v === 'string');
  if (!ok) throw invalid('mapping must be a JSON object of header -> column name (or null to leave it out)', { mapping: 'must be a JSON object' });
  return parsed as Record<string, string | null>;
}

export function csvRoutes(data: ScopedData) {
  const router = Router();

  router.get(
    '/:resource/export.csv',
    onlyQuery('q', 'sortBy', 'direction', 'filters', 'columns'),
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const name = String(req.params.resource);
      const { query, columns } = exportQuery(req.query as Record<string, unknown>);
      const chunks = exportCsv(data, actor, name, query, columns);
      const first = await chunks.next(); // refusals and bad queries fail here, as a JSON error
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader('Content-Disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      res.write(first.value ?? '');
      try {
        await stream(res, chunks);
        res.end();
      } catch (err) {
        // Too late for a status: the client sees a cut-off download rather than a complete-looking file.
        logRequestError(req, err, 'export failed after it started');
        res.destroy(err as Error);
      }
    }),
  );

  router.post(
    '/:resource/import',
    onlyQuery('dryRun', 'mapping'),
    wrap(async (req, res) => {
      const actor = await actorOf(req, data);
      const dryRun = ['1', 'true', 'yes'].includes(String(req.query.dryRun ?? '').toLowerCase());
      const name = String(req.params.resource);
      const report = await importCsv(data, actor, name, await csvText(req), { dryRun, labels: labelsOf(name), mapping: mappingOf(req.query.mapping) });
      if (dryRun) return res.json(report);
      if (report.written) {
        const { rows: _rows, ...summary } = report;
        return res.status(201).json(summary);
      }
      res.status(400).json({ error: summarise(report), ...report, rows: report.rows.filter((row) => Object.keys(row.errors).length) });
    }),
  );

  return router;
}
