// Download a list as CSV: every record you may read (with the list's filters, when opened from a filtered
// list), readable fields only.
import { Box, Button, H5, Text } from '@adminjs/design-system';
import type { ActionProps } from 'adminjs';
import React from 'react';

/** AdminJS list filters (?filters.status=active) in the API's form (?filters[status]=active). */
const filtersFromLocation = () => {
  const params = new URLSearchParams(window.location.search);
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    const m = /^filters\.(.+)$/.exec(key);
    if (m) out.set(`filters[${m[1]}]`, value);
    if (key === 'sortBy' || key === 'direction') out.set(key, value);
  }
  return out.toString();
};

const CsvExport: React.FC<ActionProps> = ({ resource }) => {
  const query = filtersFromLocation();
  const href = `/api/${resource.id}/export.csv${query ? `?${query}` : ''}`;
  return (
    <Box variant="white">
      <H5>Export {resource.name} as CSV</H5>
      <Text mb="lg">Every record you may see{query ? ', with the current filters' : ''}; fields you may not read are left out.</Text>
      <Button as="a" href={href} download={`${resource.id}.csv`} variant="contained" data-testid="csv-download">
        Download CSV
      </Button>
    </Box>
  );
};

export default CsvExport;
