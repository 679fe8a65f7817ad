// The kanban board of a pipeline: every stage a column on one screen (they share its width), each with its
// count and value, the deals you may see as cards. Drag a card to another column, or, from the keyboard, tab to
// its "Move to" picker; the server checks the move (same pipeline, your scope).
import { Badge, Box, H2, H5, MessageBox, Select, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';
import { api } from './api';
import { COUNT_CAP, countText } from './count-text';

type Row = Record<string, any>;
interface Board {
  pipeline: Row;
  columns: { stage: Row; deals: Row[]; total: number; value: string }[];
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

  const drop = (stage: Row) => {
    const deal = dragging;
    setDragging(null);
    if (deal) void move(deal, stage);
  };
  const move = async (deal: Row, stage: Row) => {
    if (deal.stage_id === stage.id || pipelineId === null) return;
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
          <label htmlFor="board-pipeline" style={{ display: 'block', marginBottom: 4 }}>Pipeline</label>
          <Select
            inputId="board-pipeline"
            value={options.find((o) => o.value === String(pipelineId)) ?? null}
            options={options}
            onChange={(o: { value: string } | null) => o && setPipelineId(Number(o.value))}
          />
        </Box>
        {message && <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg" />}
        {board && (
          <Box
            data-testid="deal-board"
            style={{ display: 'grid', gridTemplateColumns: `repeat(${board.columns.length}, minmax(150px, 1fr))`, gap: 8, overflowX: 'auto', alignItems: 'start' }}
          >
            {board.columns.map(({ stage, deals, total, value }) => (
              <Box
                key={stage.id}
                as="section"
                aria-label={`${stage.title}: ${countText(total)} deals${value ? `, ${money(value)}` : ''}`}
                data-testid={`stage-${stage.id}`}
                data-stage={stage.title}
                bg="grey20"
                p="sm"
                style={{ minWidth: 0, borderRadius: 6, minHeight: 200 }}
                onDragOver={(e: React.DragEvent) => e.preventDefault()}
                onDrop={() => drop(stage)}
              >
                <H5 mb="xs" style={{ overflowWrap: 'anywhere' }}>
                  {stage.title} <Badge size="sm">{countText(total)}</Badge>
                </H5>
                {value && <Text variant="sm" mb="sm" data-testid="column-value">{money(value)}</Text>}
                {deals.map((deal) => (
                  <Box
                    key={deal.id}
                    data-testid={`deal-${deal.id}`}
                    data-deal={deal.title}
                    draggable
                    onDragStart={() => setDragging(deal)}
                    bg="white"
                    p="sm"
                    mb="sm"
                    style={{ borderRadius: 4, cursor: 'grab', boxShadow: '0 1px 2px rgba(0,0,0,.15)', overflowWrap: 'anywhere' }}
                  >
                    <a href={`/admin/resources/deals/records/${deal.id}/show`}>{deal.title}</a>
                    <Text variant="sm">{money(deal.value)}{deal.probability !== null ? ` · ${deal.probability}%` : ''}</Text>
                    <select
                      aria-label={`Move ${deal.title} to stage`}
                      data-testid={`move-${deal.id}`}
                      value={String(stage.id)}
                      onChange={(e) => {
                        const to = board.columns.find((c) => String(c.stage.id) === e.target.value)?.stage;
                        if (to) void move(deal, to);
                      }}
                      style={{ width: '100%', marginTop: 4, fontSize: 12 }}
                    >
                      {board.columns.map((c) => (
                        <option key={c.stage.id} value={String(c.stage.id)}>{c.stage.id === stage.id ? `In ${c.stage.title}` : `Move to ${c.stage.title}`}</option>
                      ))}
                    </select>
                  </Box>
                ))}
                {total > deals.length && <Text variant="sm">{total > COUNT_CAP ? 'and many more…' : `and ${countText(total - deals.length)} more…`}</Text>}
              </Box>
            ))}
          </Box>
        )}
      </Box>
    </Box>
  );
};

export default DealBoard;
