// Show page: the records that reference this one (a company's contacts and deals, a deal's activities), one
// panel each, read through the scoped layer (/api/:resource/:id/related): a count, a page of rows linked to
// their pages, sortable columns, paging, and "Add" opening the new-record form with the reference filled in.
import { Badge, Box, Button, H5, Link, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';
import { api } from './api';

interface Column {
  field: string;
  label: string;
  type: string;
}
interface Page {
  records: Record<string, unknown>[];
  total: number;
}
interface Panel extends Page {
  resource: string;
  label: string;
  reference: string;
  canAdd: boolean;
  columns: Column[];
}

const PER_PAGE = 5;

const cell = (v: unknown, type: string) => {
  if (v === null || v === undefined || v === '') return '—';
  if (type === 'PgTimestamp') return new Date(String(v)).toLocaleString();
  return String(v);
};

const PanelView: React.FC<{ base: string; panel: Panel; recordId: string | number; back: string }> = ({ base, panel, recordId, back }) => {
  const [page, setPage] = useState<Page>(panel);
  const [at, setAt] = useState(1);
  const [sort, setSort] = useState<{ sortBy?: string; direction: 'asc' | 'desc' }>({ direction: 'desc' });
  const [error, setError] = useState<string | null>(null);
  const load = (n: number, s = sort) => {
    const q = new URLSearchParams({ page: String(n), perPage: String(PER_PAGE), direction: s.direction, ...(s.sortBy ? { sortBy: s.sortBy } : {}) });
    api<Page>(`${base}/related/${panel.resource}?${q}`)
      .then((p) => {
        setPage(p);
        setAt(n);
      })
      .catch((err: Error) => setError(err.message));
  };
  const sortBy = (field: string) => {
    const next = { sortBy: field, direction: sort.sortBy === field && sort.direction === 'asc' ? ('desc' as const) : ('asc' as const) };
    setSort(next);
    load(1, next);
  };
  const pages = Math.max(1, Math.ceil(page.total / PER_PAGE));
  const addHref = `/admin/resources/${panel.resource}/actions/new?${panel.reference}=${encodeURIComponent(String(recordId))}&redirectUrl=${encodeURIComponent(back)}`;
  return (
    <Box mb="xl" data-testid={`related-${panel.resource}`}>
      <Box flex flexDirection="row" alignItems="center" style={{ gap: 8 }}>
        <H5 mb="0">{panel.label}</H5>
        <Badge data-testid="related-count">{page.total}</Badge>
        {panel.canAdd && (
          <Button as="a" href={addHref} size="sm" variant="outlined" data-testid={`related-add-${panel.resource}`}>
            Add
          </Button>
        )}
      </Box>
      {error && <Text color="error">{error}</Text>}
      {page.records.length === 0 ? (
        <Text mt="default" color="grey60">None yet.</Text>
      ) : (
        <Table mt="default">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              {panel.columns.map((c) => (
                <TableCell key={c.field} onClick={() => sortBy(c.field)} style={{ cursor: 'pointer' }} title="Sort">
                  {c.label}
                  {sort.sortBy === c.field ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {page.records.map((r) => (
              <TableRow key={String(r.id)}>
                <TableCell>
                  <Link href={`/admin/resources/${panel.resource}/records/${String(r.id)}/show`}>{String(r.__title)}</Link>
                </TableCell>
                {panel.columns.map((c) => (
                  <TableCell key={c.field}>{cell(r[c.field], c.type)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {pages > 1 && (
        <Box flex flexDirection="row" alignItems="center" mt="sm" style={{ gap: 8 }}>
          <Button size="sm" variant="text" disabled={at <= 1} onClick={() => load(at - 1)}>
            Previous
          </Button>
          <Text>
            Page {at} of {pages}
          </Text>
          <Button size="sm" variant="text" disabled={at >= pages} onClick={() => load(at + 1)}>
            Next
          </Button>
        </Box>
      )}
    </Box>
  );
};

const RelatedRecords: React.FC<{ record?: { id: string | number }; resource: { id: string } }> = ({ record, resource }) => {
  const [panels, setPanels] = useState<Panel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/${resource.id}/${record?.id}`;
  useEffect(() => {
    if (!record) return;
    api<Panel[]>(`${base}/related?perPage=${PER_PAGE}`)
      .then(setPanels)
      .catch((err: Error) => setError(err.message));
  }, [record?.id, resource.id]);
  if (!record || (panels && panels.length === 0)) return null;
  const back = `/admin/resources/${resource.id}/records/${record.id}/show`;
  return (
    <Box mt="xl" data-testid="related-records">
      {error && <Text color="error">{error}</Text>}
      {!panels && !error && <Text>Loading related records…</Text>}
      {panels?.map((p) => <PanelView key={p.resource} base={base} panel={p} recordId={record.id} back={back} />)}
    </Box>
  );
};

export default RelatedRecords;
