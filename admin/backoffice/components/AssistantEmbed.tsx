// An assistant's embed code (paste it into any allowed website), its key rotation, and rebuilding its
// products and projects knowledge from the CRM now.
import { Box, Button, H5, MessageBox, Text } from '@adminjs/design-system';
import type { ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import { api } from './api';

interface Embed {
  publicKey: string;
  widgetCode: string;
  allowedOrigins: string[];
}

const AssistantEmbed: React.FC<ActionProps> = ({ record }) => {
  const id = record!.params.id;
  const [embed, setEmbed] = useState<Embed | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  const load = () => api<Embed>(`/api/assistants/${id}/embed`).then(setEmbed).catch((err: Error) => setMessage({ text: err.message, variant: 'danger' }));
  useEffect(() => {
    void load();
  }, [id]);
  const act = async (path: string, done: string) => {
    try {
      await api(`/api/assistants/${id}/${path}`, { body: {} });
      setMessage({ text: done, variant: 'success' });
      await load();
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  return (
    <Box variant="white">
      <H5>Embed code</H5>
      {message && <MessageBox message={message.text} variant={message.variant} mb="lg" />}
      {embed && (
        <>
          <Text mb="md">Paste this into a page of an allowed website ({embed.allowedOrigins.join(', ') || 'none yet: add allowed origins first'}):</Text>
          <pre data-testid="widget-code" style={{ background: '#f4f4f8', padding: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{embed.widgetCode}</pre>
        </>
      )}
      <Box flex style={{ gap: 8 }} mt="lg">
        <Button variant="outlined" onClick={() => void act('sync', 'Knowledge rebuilt from the CRM')}>Sync knowledge now</Button>
        <Button variant="danger" onClick={() => void act('rotate-key', 'New key issued: the old embed code no longer works')}>Rotate key</Button>
      </Box>
    </Box>
  );
};

export default AssistantEmbed;
