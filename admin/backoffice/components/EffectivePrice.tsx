// Product show page: the price a customer pays today, after the best active offer.
import { Box, Text } from '@adminjs/design-system';
import { PropertyLabel, type ShowPropertyProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import { api } from './api';
import { formatMoney } from './Money';

interface Price {
  price: string;
  listPrice: string;
  currency: string;
  offer: { name: string; discount_type: string; discount_value: string } | null;
}

const EffectivePrice: React.FC<ShowPropertyProps> = ({ record, property }) => {
  const [price, setPrice] = useState<Price | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Price>(`/api/crm/products/${record.id}/price`).then(setPrice).catch((err: Error) => setError(err.message));
  }, [record.id]);
  return (
    <Box mb="xl" data-testid="effective-price">
      <PropertyLabel property={property} />
      {error && <Text color="error">{error}</Text>}
      {price && (
        <Text>
          {formatMoney(price.price, price.currency)}
          {price.offer
            ? ` (list ${formatMoney(price.listPrice, price.currency)}, offer “${price.offer.name}”: ${
                price.offer.discount_type === 'percentage' ? `${Number(price.offer.discount_value)}% off` : `${formatMoney(price.offer.discount_value, price.currency)} off`
              })`
            : ' (no active offer)'}
        </Text>
      )}
    </Box>
  );
};

export default EffectivePrice;
