// Import a CSV file into a list: a preview first (every row checked as a create would be, errors per row and
// field), then the import itself, all rows in one transaction or none.
import { Box, Button, H5, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import type { ActionProps } from 'adminjs';
import React, { useState } from 'react';

interface Report {
  total: number;
  invalid: number;
  written: boolean;
  rows?: { row: number; values: Record<string, unknown>; errors: Record<string, string> }[];
  error?: string;
}

const send = async (resource: string, text: string, dryRun: boolean): Promise<Report> => {
  const res = await fetch(`/api/${resource}/import${dryRun ? '?dryRun=1' : ''}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'text/csv' },
    body: text,
  });
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok && !body.rows) throw new Error(body.error ?? res.statusText);
  return body;
};

const CsvImport: React.FC<ActionProps> = ({ resource }) => {
  const [text, setText] = useState<string | null>(null);
  const [preview, setPreview] = useState<Report | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);

  const choose = async (file: File | undefined) => {
    setPreview(null);
    setMessage(null);
    if (!file) return;
    const content = await file.text();
    setText(content);
    try {
      setPreview(await send(resource.id, content, true));
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  const importAll = async () => {
    try {
      const done = await send(resource.id, text!, false);
      if (done.written) setMessage({ text: `Imported ${done.total} record(s).`, variant: 'success' });
      else setMessage({ text: done.error ?? 'Nothing was imported.', variant: 'danger' });
      setPreview(null);
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  const columns = preview?.rows?.length ? Object.keys(preview.rows[0]!.values) : [];
  return (
    <Box variant="white">
      <H5>Import {resource.name} from a CSV file</H5>
      <Text mb="lg">The first row names the columns. Nothing is written until every row is valid.</Text>
      <input type="file" accept=".csv,text/csv" data-testid="csv-file" onChange={(e) => void choose(e.target.files?.[0])} />
      {message && <MessageBox message={message.text} variant={message.variant} my="lg" />}
      {preview && (
        <Box mt="lg">
          <Text mb="md">
            {preview.total} row(s), {preview.invalid} with errors.
          </Text>
          <Table>
            <TableHead>
              <TableRow>
                <TableCell>Row</TableCell>
                {columns.map((c) => <TableCell key={c}>{c}</TableCell>)}
                <TableCell>Problems</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {(preview.rows ?? []).slice(0, 200).map((r) => (
                <TableRow key={r.row}>
                  <TableCell>{r.row}</TableCell>
                  {columns.map((c) => <TableCell key={c}>{String(r.values[c] ?? '')}</TableCell>)}
                  <TableCell style={{ color: Object.keys(r.errors).length ? '#c20012' : undefined }}>
                    {Object.entries(r.errors).map(([f, m]) => `${f}: ${m}`).join('; ') || 'ok'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Button mt="lg" variant="contained" disabled={preview.invalid > 0} onClick={() => void importAll()} data-testid="csv-import">
            Import {preview.total} row(s)
          </Button>
        </Box>
      )}
    </Box>
  );
};

export default CsvImport;
