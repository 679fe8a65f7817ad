// The audit log's actor and record, as links to their pages: the actor by name (looked up once per user), the
// record by resource and id. (audit_log.actor_id has no foreign key, on purpose: the trail outlives its users.)
import { Box, Link } from '@adminjs/design-system';
import { PropertyLabel, type ShowPropertyProps } from 'adminjs';
import React, { useEffect, useState } from 'react';

const names = new Map<number, Promise<string | null>>();
const nameOf = (id: number) => {
  if (!names.has(id)) {
    names.set(id, fetch(`/api/users/${id}`, { credentials: 'same-origin' })
      .then(async (res) => (res.ok ? ((u: { first_name?: string; last_name?: string; username?: string }) => [u.first_name, u.last_name].filter(Boolean).join(' ') || u.username || null)(await res.json()) : null))
      .catch(() => null));
  }
  return names.get(id)!;
};

const AuditLink: React.FC<ShowPropertyProps & { where?: string }> = ({ property, record, where }) => {
  const p = record.params;
  const isActor = property.path === 'actor_id';
  const id = p[property.path];
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (isActor && id !== null && id !== undefined && id !== '') void nameOf(Number(id)).then(setName);
  }, [id]);
  const link =
    id === null || id === undefined || id === '' ? (
      <span>{isActor ? 'the system' : '—'}</span>
    ) : isActor ? (
      <Link href={`/admin/resources/users/records/${id}/show`}>{name ?? `user #${id}`}</Link>
    ) : (
      <Link href={`/admin/resources/${p.resource}/records/${id}/show`}>{`${String(p.resource).replace(/_/g, ' ')} #${id}`}</Link>
    );
  if (where === 'list') return link;
  return (
    <Box mb="xl">
      <PropertyLabel property={{ ...property, isRequired: false }} />
      {link}
    </Box>
  );
};

export const AuditLinkList: React.FC<ShowPropertyProps> = (props) => <AuditLink {...props} where="list" />;
export default AuditLink;
