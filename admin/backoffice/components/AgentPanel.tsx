// The Epesi Agent: a floating panel on every back-office page. Questions about your CRM data are answered
// by tools that go through the scoped data layer, so the answers only ever use rows you may see. The
// conversation is yours alone.
import { Box, Button, Input, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';
import { api } from './api';
import { startAccessibilityFixes } from './a11y';

interface Message {
  role: 'user' | 'assistant';
  content: string;
}

const EXAMPLES = ['my open deals this month', 'leads assigned to my team', 'top products by deal value'];

const AgentPanel: React.FC = () => {
  useEffect(startAccessibilityFixes, []);
  const [open, setOpen] = useState(false);
  const [conversationId, setConversationId] = useState<number | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);

  const ask = async (text: string) => {
    const q = text.trim();
    if (!q || busy) return;
    setBusy(true);
    setQuestion('');
    setMessages((m) => [...m, { role: 'user', content: q }]);
    try {
      const res = await api<{ conversation: { id: number }; answer: { content: string } }>('/api/agent/ask', {
        body: conversationId ? { conversationId, question: q } : { question: q },
      });
      setConversationId(res.conversation.id);
      setMessages((m) => [...m, { role: 'assistant', content: res.answer.content }]);
    } catch (err) {
      setMessages((m) => [...m, { role: 'assistant', content: `Sorry: ${(err as Error).message}` }]);
    } finally {
      setBusy(false);
    }
  };

  // (24 px from the corner on a wide screen, 8 px on a phone, where the panel takes the width less 16 px.)
  const EDGE = 'clamp(8px, 3vw, 24px)';
  if (!open) {
    return (
      <Box style={{ position: 'fixed', right: EDGE, bottom: EDGE, zIndex: 1000 }}>
        {/* Room below the page's last content, so the button never covers it once scrolled to the end. */}
        <style>{'[data-css="app-content"], section[data-css="app-content"] { padding-bottom: 72px; }'}</style>
        <Button variant="contained" rounded onClick={() => setOpen(true)} data-testid="agent-open">
          Ask Epesi
        </Button>
      </Box>
    );
  }
  return (
    <Box
      bg="white"
      p="lg"
      data-testid="agent-panel"
      style={{ position: 'fixed', right: EDGE, bottom: EDGE, width: 'min(380px, calc(100vw - 16px))', boxSizing: 'border-box', maxHeight: '70vh', zIndex: 1000, display: 'flex', flexDirection: 'column', boxShadow: '0 4px 16px rgba(0,0,0,.2)', borderRadius: 8 }}
    >
      <Box flex justifyContent="space-between" alignItems="center" mb="md">
        <Text fontWeight="bold">Epesi Agent</Text>
        <Button size="sm" variant="text" onClick={() => setOpen(false)}>Close</Button>
      </Box>
      <Box style={{ overflowY: 'auto', flex: 1 }} mb="md">
        {messages.length === 0 && (
          <Box>
            <Text variant="sm" mb="sm">Ask about your CRM data, for example:</Text>
            {EXAMPLES.map((e) => (
              <Button key={e} size="sm" variant="outlined" mr="sm" mb="sm" onClick={() => void ask(e)}>
                {e}
              </Button>
            ))}
          </Box>
        )}
        {messages.map((m, i) => (
          <Box
            key={i}
            data-testid={`agent-${m.role}`}
            bg={m.role === 'user' ? 'primary20' : 'grey20'}
            p="md"
            mb="sm"
            style={{ borderRadius: 6, whiteSpace: 'pre-wrap', marginLeft: m.role === 'user' ? 40 : 0, marginRight: m.role === 'user' ? 0 : 40 }}
          >
            <Text variant="sm">{m.content}</Text>
          </Box>
        ))}
        {busy && <Text variant="sm">Thinking…</Text>}
      </Box>
      <Box as="form" flex onSubmit={(e: React.FormEvent) => { e.preventDefault(); void ask(question); }}>
        <Input
          data-testid="agent-question"
          value={question}
          placeholder="Ask a question…"
          style={{ flex: 1 }}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuestion(e.target.value)}
        />
        <Button type="submit" variant="contained" ml="sm" disabled={busy}>Ask</Button>
      </Box>
    </Box>
  );
};

export default AgentPanel;
