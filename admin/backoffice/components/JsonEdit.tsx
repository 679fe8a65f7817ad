// JSON fields (product specifications, offer conditions, event properties): edited as formatted JSON text,
// checked as you type; the server checks again and names the error on the field.
import { Box, FormGroup, FormMessage, TextArea } from '@adminjs/design-system';
import { PropertyLabel, type EditPropertyProps } from 'adminjs';
import React, { useState } from 'react';


const problem = (text: string) => {
  if (!text.trim()) return null;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? null : 'must be a JSON object, like {"key": "value"}';
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`;
  }
};

const JsonEdit: React.FC<EditPropertyProps> = ({ property, record, onChange }) => {
  const [text, setText] = useState(String(record?.params[property.path] ?? '{}'));
  const local = problem(text);
  const server = record?.errors?.[property.path]?.message;
  return (
    <FormGroup error={Boolean(local || server)}>
      <PropertyLabel property={property} />
      <Box>
        <TextArea
          id={property.path}
          name={property.path}
          rows={Math.min(20, Math.max(4, text.split('\n').length + 1))}
          style={{ fontFamily: 'monospace', width: '100%' }}
          value={text}
          onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => {
            setText(e.target.value);
            onChange?.(property.path, e.target.value);
          }}
        />
      </Box>
      <FormMessage>{local ?? server}</FormMessage>
    </FormGroup>
  );
};

export default JsonEdit;
