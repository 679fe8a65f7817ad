// Money in lists and show pages: two decimals and the record's currency (products carry one; else USD).
import { Box, Text } from '@adminjs/design-system';
import { PropertyLabel, type PropertyJSON } from 'adminjs';
import React from 'react';

interface Props {
  property: PropertyJSON;
  record: { params: Record<string, unknown> };
  where: 'list' | 'show';
}

export const formatMoney = (value: unknown, currency: unknown) => {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const code = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : 'USD';
  return new Intl.NumberFormat('en', { style: 'currency', currency: code, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
};

const Money: React.FC<Props> = ({ property, record, where }) => {
  const text = formatMoney(record.params[property.path], record.params.currency);
  // (one line in a list column: "$1,947." over "00" read as two figures)
  if (where === 'list') return <Text style={{ whiteSpace: 'nowrap' }}>{text}</Text>;
  return (
    <Box mb="xl">
      <PropertyLabel property={{ ...property, isRequired: false }} />
      <Text>{text}</Text>
    </Box>
  );
};

export default Money;
