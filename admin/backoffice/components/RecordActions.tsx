// Record actions with a form of their own: convert a lead (a contact, its company found or created,
// optionally a deal in the default pipeline's first stage; one transaction), assign a lead, complete an activity.
import { Box, Button, CheckBox, FormGroup, H5, Input, Label, MessageBox, Select, Text } from '@adminjs/design-system';
import type { ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import { api } from './api';

type Row = Record<string, any>;

export const ConvertLead: React.FC<ActionProps> = ({ record }) => {
  const lead = record!.params;
  const [withDeal, setWithDeal] = useState(true);
  const [title, setTitle] = useState(`${lead.company ?? `${lead.first_name} ${lead.last_name}`} opportunity`);
  const [value, setValue] = useState('');
  const [result, setResult] = useState<Row | null>(null);
  const [error, setError] = useState<string | null>(null);
  const convert = async () => {
    setError(null);
    try {
      setResult(await api(`/api/crm/leads/${lead.id}/convert`, { body: withDeal ? { createDeal: { title, value: value || null } } : {} }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (result) {
    return (
      <Box variant="white" data-testid="conversion-result">
        <MessageBox message="Lead converted" variant="success" mb="lg" />
        <Text>
          Contact: <a href={`/admin/resources/contacts/records/${result.contact.id}/show`}>{result.contact.first_name} {result.contact.last_name}</a>
        </Text>
        {result.company && (
          <Text>
            Company: <a href={`/admin/resources/companies/records/${result.company.id}/show`}>{result.company.name}</a>
            {result.companyCreated ? ' (new)' : ''}
          </Text>
        )}
        {result.deal && (
          <Text>
            Deal: <a href={`/admin/resources/deals/records/${result.deal.id}/show`}>{result.deal.title}</a>
          </Text>
        )}
      </Box>
    );
  }
  return (
    <Box variant="white">
      <H5>Convert {lead.first_name} {lead.last_name} into a contact</H5>
      {lead.company && <Text mb="lg">The company “{lead.company}” is found by name, or created.</Text>}
      <FormGroup>
        <CheckBox id="with-deal" checked={withDeal} onChange={() => setWithDeal(!withDeal)} />
        <Label inline htmlFor="with-deal" ml="default">Also create a deal in the default pipeline’s first stage</Label>
      </FormGroup>
      {withDeal && (
        <>
          <FormGroup>
            <Label htmlFor="deal-title">Deal title</Label>
            <Input id="deal-title" value={title} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTitle(e.target.value)} />
          </FormGroup>
          <FormGroup>
            <Label htmlFor="deal-value">Deal value</Label>
            <Input id="deal-value" type="number" step="0.01" min="0" value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValue(e.target.value)} />
          </FormGroup>
        </>
      )}
      {error && <MessageBox message={error} variant="danger" mb="lg" />}
      <Button variant="contained" onClick={() => void convert()} data-testid="convert-lead">Convert</Button>
    </Box>
  );
};

export const AssignLead: React.FC<ActionProps> = ({ record }) => {
  const lead = record!.params;
  const [users, setUsers] = useState<Row[]>([]);
  const [userId, setUserId] = useState<string | null>(lead.assigned_to_id ? String(lead.assigned_to_id) : null);
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  useEffect(() => {
    api<{ records: Row[] }>('/api/users?perPage=500&sortBy=username&direction=asc')
      .then(({ records }) => setUsers(records))
      .catch((err: Error) => setMessage({ text: err.message, variant: 'danger' }));
  }, []);
  const options = users.map((u) => ({ value: String(u.id), label: `${u.first_name} ${u.last_name} (${u.username})` }));
  const assign = async () => {
    try {
      await api(`/api/crm/leads/${lead.id}/assign`, { body: { userId: Number(userId) } });
      setMessage({ text: 'Lead assigned', variant: 'success' });
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  return (
    <Box variant="white">
      <H5>Assign {lead.first_name} {lead.last_name}</H5>
      <Box width="360px" mb="lg">
        <Select value={options.find((o) => o.value === userId) ?? null} options={options} onChange={(o: { value: string } | null) => setUserId(o?.value ?? null)} />
      </Box>
      {message && <MessageBox message={message.text} variant={message.variant} mb="lg" />}
      <Button variant="contained" disabled={!userId} onClick={() => void assign()}>Assign</Button>
    </Box>
  );
};

export const CompleteActivity: React.FC<ActionProps> = ({ record }) => {
  const activity = record!.params;
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  const complete = async () => {
    try {
      const done = await api<Row>(`/api/crm/activities/${activity.id}/complete`, { body: {} });
      setMessage({ text: `Completed on ${done.completed_date}`, variant: 'success' });
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  return (
    <Box variant="white">
      <H5>Mark “{activity.subject}” complete</H5>
      {message && <MessageBox message={message.text} variant={message.variant} mb="lg" />}
      <Button variant="contained" onClick={() => void complete()}>Mark complete</Button>
    </Box>
  );
};
