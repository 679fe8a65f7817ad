// Download a list as CSV: the records of the list as it was last shown (its filters and sort), readable
// fields only. AdminJS opens this page without the list's query, so the list remembers it (list-query.ts).
import { Box, Button, H5, Text } from '@adminjs/design-system';
import type { ActionProps } from 'adminjs';
import React from 'react';
import { apiQueryOf, lastListQuery } from './list-query';

const CsvExport: React.FC<ActionProps> = ({ resource }) => {
  const own = window.location.search;
  const { query, described } = apiQueryOf(/filters\.|sortBy/.test(own) ? own : lastListQuery(resource.id));
  const href = `/api/${resource.id}/export.csv${query ? `?${query}` : ''}`;
  return (
    <Box variant="white">
      <H5>Export {resource.name} as CSV</H5>
      <Text mb="lg" data-testid="csv-export-scope">
        {described.length ? `The list as you last saw it: ${described.join(', ')}.` : 'Every record you may see.'} Fields you may not read are left out.
      </Text>
      <Button as="a" href={href} download={`${resource.id}.csv`} variant="contained" data-testid="csv-download">
        Download CSV
      </Button>
    </Box>
  );
};

export default CsvExport;
