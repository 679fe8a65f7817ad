// JSON fields on show pages: indented, monospace.
import { Box } from '@adminjs/design-system';
import { PropertyLabel, type ShowPropertyProps } from 'adminjs';
import React from 'react';

const JsonShow: React.FC<ShowPropertyProps> = ({ property, record }) => {
  const raw = record.params[property.path];
  let text = raw === null || raw === undefined ? '' : String(raw);
  try {
    text = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // show as stored
  }
  return (
    <Box mb="xl">
      <PropertyLabel property={{ ...property, isRequired: false }} />
      <pre style={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap', margin: 0 }}>{text || '—'}</pre>
    </Box>
  );
};

export default JsonShow;
