// Contact and lead forms: the email field warns when the address is already known in the organization.
import { Box, FormGroup, FormMessage, Input, Link, MessageBox } from '@adminjs/design-system';
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
  const [found, setFound] = useState<{ href: string; name: string }[]>([]);
  const check = async () => {
    const email = value.trim();
    setFound([]);
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
      // Links to the records themselves, so the user can open the existing one instead of making a second.
      const link = (kind: 'contacts' | 'leads') =>
        d[kind].records.map((r) => ({ href: `/admin/resources/${kind}/records/${r.id}/show`, name: `${kind === 'contacts' ? 'Contact' : 'Lead'}: ${[r.first_name, r.last_name].filter(Boolean).join(' ') || `#${r.id}`}` }));
      setFound([...link('contacts'), ...link('leads')]);
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
          {found.length > 0 && (
            <Box as="ul" mt="sm" style={{ paddingLeft: 24, listStyle: 'disc' }}>
                {found.map((f) => (
                  <li key={f.href}>
                    <Link href={f.href} target="_blank" rel="noopener">
                      {f.name}
                    </Link>
                  </li>
                ))}
            </Box>
          )}
        </Box>
      )}
      <FormMessage>{record?.errors?.[property.path]?.message}</FormMessage>
    </FormGroup>
  );
};

export default DuplicateEmail;
