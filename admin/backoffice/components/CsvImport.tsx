// Import a CSV file into a list: a preview first (every row checked as a create would be, errors per row and
// field), then the import itself, all rows in one transaction or none. Headers may be column names or labels;
// when some name no column, a mapping step asks which column each fills (or to leave it out).
import { Box, Button, H5, Label, MessageBox, Select, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { useTranslation, type ActionProps } from 'adminjs';
import React, { useState } from 'react';

interface Report {
  total: number;
  invalid: number;
  written: boolean;
  ignored?: string[];
  rows?: { row: number; values: Record<string, unknown>; errors: Record<string, string> }[];
  error?: string;
  fields?: Record<string, string>;
}

type Mapping = Record<string, string | null>;
const SYSTEM = ['id', 'tenant_id', 'created_at', 'updated_at'];

const send = async (resource: string, text: string, dryRun: boolean, mapping: Mapping): Promise<Report> => {
  const params = new URLSearchParams();
  if (dryRun) params.set('dryRun', '1');
  if (Object.keys(mapping).length) params.set('mapping', JSON.stringify(mapping));
  const res = await fetch(`/api/${resource}/import${params.size ? `?${params}` : ''}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'text/csv' },
    body: text,
  });
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok && !body.rows && !body.fields) throw new Error(body.error ?? res.statusText);
  return body;
};

/** Header cells the server named no column for ("X is not a column of contacts"). */
const unmatched = (report: Report) => Object.entries(report.fields ?? {}).filter(([, m]) => /is not a column/.test(m)).map(([h]) => h);

const CsvImport: React.FC<ActionProps> = ({ resource }) => {
  const [text, setText] = useState<string | null>(null);
  const [preview, setPreview] = useState<Report | null>(null);
  const [toMap, setToMap] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Mapping>({});
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  // The fields of the resource's form: what a column can fill.
  const { translateProperty } = useTranslation();
  // The label the forms show (admin/backoffice/labels.ts), or the same rule applied here: "company_id" -> "Company".
  const labelOf = (path: string) => {
    const t = translateProperty(path, resource.id);
    return typeof t === 'string' && t && t !== path ? t : path.replace(/_id$/, '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  };
  const paths = (resource.editProperties ?? []).map((p) => String(p.propertyPath ?? p.name ?? p.label)).filter((p) => !SYSTEM.includes(p));
  const targets = paths.map((path) => ({ path, label: labelOf(path) }));

  const check = async (content: string, map: Mapping) => {
    setPreview(null);
    setMessage(null);
    try {
      const report = await send(resource.id, content, true, map);
      const missing = unmatched(report);
      if (missing.length) {
        setToMap(missing);
        return;
      }
      setToMap([]);
      if (report.rows) setPreview(report);
      else setMessage({ text: report.error ?? 'The file cannot be imported.', variant: 'danger' });
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  const choose = async (file: File | undefined) => {
    setMapping({});
    setToMap([]);
    if (!file) return;
    const content = await file.text();
    setText(content);
    await check(content, {});
  };
  const importAll = async () => {
    try {
      const done = await send(resource.id, text!, false, mapping);
      if (done.written) setMessage({ text: `Imported ${done.total} record(s).`, variant: 'success' });
      else setMessage({ text: done.error ?? 'Nothing was imported.', variant: 'danger' });
      setPreview(null);
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  const columns = preview?.rows?.length ? Object.keys(preview.rows[0]!.values) : [];
  const options = [{ value: '', label: 'Leave this column out' }, ...targets.map((p) => ({ value: p.path, label: p.label }))];
  return (
    <Box variant="white">
      <H5>Import {resource.name} from a CSV file</H5>
      <Text mb="lg">
        The first row names the columns, by name or by label (first_name or First name); id, tenant and timestamps are ignored, so a file
        exported here can be imported again. References may be an id or a title (a company&apos;s name). Nothing is written until every row is valid.
      </Text>
      <input type="file" accept=".csv,text/csv" data-testid="csv-file" aria-label="CSV file" onChange={(e) => void choose(e.target.files?.[0])} />
      {message && <MessageBox message={message.text} variant={message.variant} my="lg" />}
      {toMap.length > 0 && (
        <Box mt="lg" data-testid="csv-mapping">
          <Text mb="md">Some columns of the file match no field of {resource.name}. Choose the field each one fills:</Text>
          {toMap.map((header) => (
            <Box key={header} mb="md" data-testid={`csv-map-${header}`}>
              <Label>{`Column "${header}"`}</Label>
              <Select
                inputId={`csv-map-${header}`}
                aria-label={`Field for column ${header}`}
                options={options}
                value={options.find((o) => o.value === (mapping[header] ?? '')) ?? null}
                onChange={(o: { value: string } | null) => setMapping((m) => ({ ...m, [header]: o?.value ? o.value : null }))}
              />
            </Box>
          ))}
          <Button variant="contained" data-testid="csv-map-apply" onClick={() => void check(text!, Object.fromEntries(toMap.map((h) => [h, mapping[h] ?? null])))}>
            Check the file with these fields
          </Button>
        </Box>
      )}
      {preview && (
        <Box mt="lg">
          <Text mb="md">
            {preview.total} row(s), {preview.invalid} with errors.
            {preview.ignored?.length ? ` Ignored columns (set by the system): ${preview.ignored.join(', ')}.` : ''}
          </Text>
          <Box style={{ overflowX: 'auto' }}>
            <Table data-testid="csv-preview">
              <TableHead>
                <TableRow>
                  <TableCell>Row</TableCell>
                  <TableCell style={{ minWidth: 280 }}>Problems</TableCell>
                  {columns.map((c) => <TableCell key={c} style={{ whiteSpace: 'nowrap' }}>{labelOf(c)}</TableCell>)}
                </TableRow>
              </TableHead>
              <TableBody>
                {(preview.rows ?? []).slice(0, 200).map((r) => (
                  <TableRow key={r.row}>
                    <TableCell>{r.row}</TableCell>
                    <TableCell data-testid="csv-problems" style={{ minWidth: 280, whiteSpace: 'normal', wordBreak: 'normal', color: Object.keys(r.errors).length ? '#c20012' : undefined }}>
                      {Object.entries(r.errors).map(([f, m]) => `${f}: ${m}`).join('; ') || 'ok'}
                    </TableCell>
                    {columns.map((c) => <TableCell key={c} style={{ whiteSpace: 'nowrap', maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis' }}>{String(r.values[c] ?? '')}</TableCell>)}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
          <Button mt="lg" variant="contained" disabled={preview.invalid > 0} onClick={() => void importAll()} data-testid="csv-import">
            Import {preview.total} row(s)
          </Button>
        </Box>
      )}
    </Box>
  );
};

export default CsvImport;
