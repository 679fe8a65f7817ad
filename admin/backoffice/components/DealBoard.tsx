// The kanban board of a pipeline: stages as columns, the deals you may see as cards. Drag a card to
// another column to move the deal; the server checks the move (same pipeline, your scope).
import { Badge, Box, H2, H5, MessageBox, Select, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';
import { api } from './api';

type Row = Record<string, any>;
interface Board {
  pipeline: Row;
  columns: { stage: Row; deals: Row[]; total: number }[];
}

const money = (v: unknown) => (v === null || v === undefined ? '' : `$${Number(v).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

const DealBoard: React.FC = () => {
  const [pipelines, setPipelines] = useState<Row[]>([]);
  const [pipelineId, setPipelineId] = useState<number | null>(null);
  const [board, setBoard] = useState<Board | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  const [dragging, setDragging] = useState<Row | null>(null);

  useEffect(() => {
    api<{ records: Row[] }>('/api/sales_pipelines?perPage=100&sortBy=title&direction=asc')
      .then(({ records }) => {
        setPipelines(records);
        const first = records.find((p) => p.is_default) ?? records[0];
        if (first) setPipelineId(first.id);
      })
      .catch((err: Error) => setMessage({ text: err.message, variant: 'danger' }));
  }, []);

  const load = (id: number) =>
    api<Board>(`/api/crm/pipelines/${id}/board`)
      .then(setBoard)
      .catch((err: Error) => setMessage({ text: err.message, variant: 'danger' }));
  useEffect(() => {
    if (pipelineId !== null) void load(pipelineId);
  }, [pipelineId]);

  const drop = async (stage: Row) => {
    const deal = dragging;
    setDragging(null);
    if (!deal || deal.stage_id === stage.id || pipelineId === null) return;
    try {
      await api(`/api/crm/deals/${deal.id}/move`, { body: { stageId: stage.id } });
      setMessage({ text: `“${deal.title}” moved to ${stage.title}`, variant: 'success' });
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
    await load(pipelineId);
  };

  const options = pipelines.map((p) => ({ value: String(p.id), label: p.title }));
  return (
    <Box variant="grey">
      <Box variant="white">
        <H2>Deal board</H2>
        <Box width="320px" mb="lg">
          <Select
            value={options.find((o) => o.value === String(pipelineId)) ?? null}
            options={options}
            onChange={(o: { value: string } | null) => o && setPipelineId(Number(o.value))}
          />
        </Box>
        {message && <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg" />}
        {board && (
          <Box flex flexDirection="row" style={{ gap: 12, overflowX: 'auto', alignItems: 'flex-start' }} data-testid="deal-board">
            {board.columns.map(({ stage, deals, total }) => (
              <Box
                key={stage.id}
                data-testid={`stage-${stage.id}`}
                data-stage={stage.title}
                bg="grey20"
                p="md"
                style={{ minWidth: 240, borderRadius: 6, minHeight: 200 }}
                onDragOver={(e: React.DragEvent) => e.preventDefault()}
                onDrop={() => void drop(stage)}
              >
                <H5>
                  {stage.title} <Badge size="sm">{total}</Badge>
                </H5>
                {deals.map((deal) => (
                  <Box
                    key={deal.id}
                    data-testid={`deal-${deal.id}`}
                    data-deal={deal.title}
                    draggable
                    onDragStart={() => setDragging(deal)}
                    bg="white"
                    p="md"
                    mb="sm"
                    style={{ borderRadius: 4, cursor: 'grab', boxShadow: '0 1px 2px rgba(0,0,0,.15)' }}
                  >
                    <a href={`/admin/resources/deals/records/${deal.id}/show`}>{deal.title}</a>
                    <Text variant="sm">{money(deal.value)}{deal.probability !== null ? ` · ${deal.probability}%` : ''}</Text>
                  </Box>
                ))}
                {total > deals.length && <Text variant="sm">and {total - deals.length} more…</Text>}
              </Box>
            ))}
          </Box>
        )}
      </Box>
    </Box>
  );
};

export default DealBoard;
