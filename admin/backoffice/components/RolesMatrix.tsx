// Roles x permission strings as a matrix. Each change is saved at once through the API, where the
// no-escalation rules apply: a refused change is undone here and the reason shown.
import { Box, Button, CheckBox, H2, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';

interface Role {
  id: number;
  name: string;
  level: number;
  permissions: string[];
}
interface Meta {
  permissions: string[];
  grants: Record<string, string>;
}

const json = async (res: Response) => {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ?? res.statusText);
  return body;
};

const RolesMatrix: React.FC = () => {
  const [roles, setRoles] = useState<Role[]>([]);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'danger' | 'success' } | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const [canEdit, setCanEdit] = useState(false);
  useEffect(() => {
    fetch('/auth/me', { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((me: { role: { permissions: string[] } }) => setCanEdit(me.role.permissions.includes('manage_users')))
      .catch(() => setCanEdit(false));
  }, []);

  const load = () =>
    Promise.all([fetch('/api/roles?perPage=100&sortBy=level&direction=asc').then(json), fetch('/api/meta/permissions').then(json)])
      .then(([list, m]) => {
        setRoles(list.records);
        setMeta(m);
      })
      .catch((err: Error) => setMessage({ text: err.message, variant: 'danger' }));
  useEffect(() => {
    void load();
  }, []);

  const toggle = async (role: Role, permission: string) => {
    const permissions = role.permissions.includes(permission)
      ? role.permissions.filter((p) => p !== permission)
      : [...role.permissions, permission];
    setSaving(`${role.id}/${permission}`);
    try {
      const saved: Role = await fetch(`/api/roles/${role.id}`, {
        method: 'PATCH',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ permissions }),
      }).then(json);
      setRoles((all) => all.map((r) => (r.id === saved.id ? saved : r)));
      setMessage({ text: `${role.name}: ${permission} ${permissions.includes(permission) ? 'granted' : 'removed'}`, variant: 'success' });
    } catch (err) {
      setMessage({ text: `${role.name}: ${(err as Error).message}`, variant: 'danger' });
    } finally {
      setSaving(null);
    }
  };

  return (
    <Box variant="grey">
      <Box variant="white">
        <H2>Roles and permissions</H2>
        <Text mb="lg">
          {canEdit
            ? 'Tick a box to grant a permission to a role. You can only grant permissions you hold, to roles at or below your level.'
            : 'You can see the roles; changing them needs the manage_users permission.'}
        </Text>
        {message && (
          // Sticky: the answer to a click stays in view however far down the matrix the box was.
          <Box style={{ position: 'sticky', top: 0, zIndex: 5 }}>
            <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg" />
          </Box>
        )}
        {meta && (
          <Box style={{ overflowX: 'auto' }}>
            <Table data-testid="roles-matrix">
              <TableHead>
                <TableRow>
                  <TableCell>Permission</TableCell>
                  {roles.map((r) => (
                    <TableCell key={r.id}>
                      {r.name} <Text as="span" variant="sm">(level {r.level})</Text>
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {meta.permissions.map((p) => (
                  <TableRow key={p}>
                    <TableCell title={meta.grants[p]} style={{ whiteSpace: 'nowrap' }}>
                      <code>{p}</code>
                    </TableCell>
                    {roles.map((r) => (
                      <TableCell key={r.id}>
                        <CheckBox
                          id={`perm-${r.id}-${p}`}
                          data-role={r.name}
                          data-permission={p}
                          checked={r.permissions.includes(p)}
                          disabled={!canEdit || saving !== null}
                          onChange={() => void toggle(r, p)}
                        />
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
        <Box mt="lg">
          <Button variant="outlined" onClick={() => void load()}>Reload</Button>
        </Box>
      </Box>
    </Box>
  );
};

export default RolesMatrix;
