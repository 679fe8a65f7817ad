// Record actions with a form of their own: convert a lead (a contact, its company found or created,
// optionally a deal in the default pipeline's first stage; one transaction), assign a lead, complete an activity.
import { Box, Button, CheckBox, FormGroup, H5, Input, Label, MessageBox, Select, Text } from '@adminjs/design-system';
import { useNotice, type ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from './api';

type Row = Record<string, any>;

const showPath = (resource: string, id: unknown) => `/admin/resources/${resource}/records/${String(id)}/show`;

/** The page of an action that no longer applies (crm-actions.ts sets not_applicable): why, and the way back. */
const NotApplicable: React.FC<{ why: string; resource: string; id: unknown }> = ({ why, resource, id }) => (
  <Box variant="white" data-testid="action-not-applicable">
    <MessageBox message={why} variant="info" mb="lg" />
    <Button as="a" href={showPath(resource, id)} variant="outlined">Back to the record</Button>
  </Box>
);

export const ConvertLead: React.FC<ActionProps> = ({ record }) =>
  record!.params.not_applicable ? <NotApplicable why={record!.params.not_applicable} resource="leads" id={record!.id} /> : <ConvertLeadForm record={record} />;

const ConvertLeadForm: React.FC<Pick<ActionProps, 'record'>> = ({ record }) => {
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
  const [users, setUsers] = useState<{ id: number; name: string; level: number }[]>([]);
  const [userId, setUserId] = useState<string | null>(lead.assigned_to_id ? String(lead.assigned_to_id) : null);
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  useEffect(() => {
    // Only the users this lead may go to (its workspace, at or below your level), front line first, by full name.
    api<{ users: { id: number; name: string; level: number }[] }>(`/api/crm/leads/${lead.id}/assignees`)
      .then(({ users }) => setUsers(users))
      .catch((err: Error) => setMessage({ text: err.message, variant: 'danger' }));
  }, []);
  const options = users.map((u) => ({ value: String(u.id), label: u.name }));
  const assign = async () => {
    try {
      await api(`/api/crm/leads/${lead.id}/assign`, { body: { userId: Number(userId) } });
      setMessage({ text: `Lead assigned to ${options.find((o) => o.value === userId)?.label ?? 'the user'}`, variant: 'success' });
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  return (
    <Box variant="white">
      <H5>Assign {lead.first_name} {lead.last_name}</H5>
      <Box width="360px" mb="lg">
        <Label htmlFor="assignee">Assign to</Label>
        <Select inputId="assignee" value={options.find((o) => o.value === userId) ?? null} options={options} onChange={(o: { value: string } | null) => setUserId(o?.value ?? null)} />
      </Box>
      {message && <MessageBox message={message.text} variant={message.variant} mb="lg" />}
      <Button variant="contained" disabled={!userId} onClick={() => void assign()}>Assign</Button>
    </Box>
  );
};

export const CompleteActivity: React.FC<ActionProps> = ({ record }) => {
  const activity = record!.params;
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  const navigate = useNavigate();
  const addNotice = useNotice();
  if (activity.not_applicable) return <NotApplicable why={activity.not_applicable} resource="activities" id={record!.id} />;
  const complete = async () => {
    try {
      const done = await api<Row>(`/api/crm/activities/${activity.id}/complete`, { body: {} });
      // Back to the record, reloaded: its status reads completed and the Mark complete button is gone.
      addNotice({ message: `“${activity.subject}” completed on ${done.completed_date}`, type: 'success' });
      navigate(showPath('activities', activity.id));
    } catch (err) {
      setMessage({ text: (err as Error).message, variant: 'danger' });
    }
  };
  return (
    <Box variant="white">
      <H5>Mark “{activity.subject}” complete</H5>
      {message && <MessageBox message={message.text} variant={message.variant} mb="lg" />}
      <Button variant="contained" data-testid="complete-activity" onClick={() => void complete()}>Mark complete</Button>
    </Box>
  );
};
