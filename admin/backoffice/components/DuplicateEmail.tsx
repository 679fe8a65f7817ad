// Contact and lead forms: the email field warns when the address is already known in the organization.
import { Box, FormGroup, FormMessage, Input, MessageBox } from '@adminjs/design-system';
import { PropertyLabel, type EditPropertyProps } from 'adminjs';
import React, { useState } from 'react';
import { api } from './api';

interface Duplicates {
  contacts: { records: Record<string, any>[]; total: number };
  leads: { records: Record<string, any>[]; total: number };
  hidden: number;
}

const DuplicateEmail: React.FC<EditPropertyProps> = ({ property, record, onChange, resource }) => {
  const [value, setValue] = useState(String(record?.params[property.path] ?? ''));
  const [warning, setWarning] = useState<string | null>(null);
  const check = async () => {
    const email = value.trim();
    if (!email.includes('@')) return setWarning(null);
    const exclude = record?.id ? `&excludeId=${record.id}` : '';
    try {
      const d = await api<Duplicates>(`/api/crm/duplicates?resource=${resource.id}&email=${encodeURIComponent(email)}${exclude}`);
      const seen = d.contacts.total + d.leads.total;
      if (seen + d.hidden === 0) return setWarning(null);
      const parts = [];
      if (d.contacts.total) parts.push(`${d.contacts.total} contact(s)`);
      if (d.leads.total) parts.push(`${d.leads.total} lead(s)`);
      if (d.hidden) parts.push(`${d.hidden} record(s) you cannot see`);
      setWarning(`This email is already used by ${parts.join(', ')}.`);
    } catch {
      setWarning(null); // the warning is a help, never a blocker
    }
  };
  return (
    <FormGroup error={Boolean(record?.errors?.[property.path])}>
      <PropertyLabel property={property} />
      <Input
        id={property.path}
        name={property.path}
        value={value}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
          setValue(e.target.value);
          onChange?.(property.path, e.target.value);
        }}
        onBlur={() => void check()}
      />
      {warning && (
        <Box mt="sm" data-testid="duplicate-warning">
          <MessageBox message={warning} variant="warning" size="sm" />
        </Box>
      )}
      <FormMessage>{record?.errors?.[property.path]?.message}</FormMessage>
    </FormGroup>
  );
};

export default DuplicateEmail;
