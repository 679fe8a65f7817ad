// "This email already exists": the contacts and leads of the tenant with the same email (ignoring case), for
// the warning on the contact and lead forms.
//
// What the actor learns, and why that is acceptable:
// - The records they may read, in full (as any list would show them).
// - About everything else, one number: how many matching contacts and leads lie outside their view. No
//   names, owners, ids, workspaces, nor even which of the two tables. That number does tell them that a
//   person with this exact email is known somewhere in their own organization. We accept that: stopping two
//   salespeople from chasing the same person unawares is the very point of the warning, and the email must
//   already be known to ask about it.
// - It is kept to that one bit-ish fact: the email must match exactly (no wildcards or partial matches, so
//   the count cannot be used to enumerate addresses); only the actor's own tenant is counted (row-level
//   security and the tenant condition); only people who may create or edit the resource (the form's users)
//   may ask; only tables they may read at all are counted (someone who cannot see leads learns nothing about
//   leads); and `excludeId` only drops the record being edited from the visible list, never from the hidden
//   count, so it cannot be used to test whether a hidden record has a given email.
import { forbidden, invalid } from '../errors';
import type { Actor, ListResult, ScopedData } from '../scoped-data';

export const DUPLICATE_RESOURCES = ['contacts', 'leads'] as const;
export type DuplicateResource = (typeof DUPLICATE_RESOURCES)[number];

/** Visible matches listed per table; `total` counts all visible ones. */
export const LISTED = 20;

export interface Duplicates {
  email: string;
  contacts: ListResult;
  leads: ListResult;
  /** Matching contacts and leads the actor may not read: a count, never details. */
  hidden: number;
}

export async function duplicatesOf(
  data: ScopedData,
  actor: Actor,
  resource: DuplicateResource,
  email: unknown,
  excludeId?: unknown,
): Promise<Duplicates> {
  if (!DUPLICATE_RESOURCES.includes(resource)) throw invalid(`resource must be one of: ${DUPLICATE_RESOURCES.join(', ')}`, { resource: 'contacts or leads' });
  const address = typeof email === 'string' ? email.trim() : '';
  if (!address || address.length > 320 || !address.includes('@')) throw invalid('email must be an email address', { email: 'must be an email address' });
  const exclude = excludeId === undefined || excludeId === null || excludeId === '' ? null : Number(excludeId);
  if (exclude !== null && (!Number.isSafeInteger(exclude) || exclude < 1)) throw invalid('excludeId must be a record id', { excludeId: 'must be a record id' });
  if (!actor.ability.can('create', resource) && !actor.ability.can('update', resource)) {
    throw forbidden(`The duplicate check serves the ${resource} forms: you may neither create nor edit ${resource}`);
  }

  return data.transaction(actor, async (scoped) => {
    const result: Duplicates = { email: address, contacts: { records: [], total: 0 }, leads: { records: [], total: 0 }, hidden: 0 };
    for (const name of DUPLICATE_RESOURCES) {
      if (!actor.ability.can('read', name)) continue;
      const filters = { email: { equals: address } };
      const found = await scoped.list(actor, name, { filters, sortBy: 'id', direction: 'asc', perPage: LISTED + 1 });
      const dropped = name === resource && exclude !== null && found.records.some((r) => r.id === exclude) ? 1 : 0;
      const records = found.records.filter((r) => !(name === resource && r.id === exclude)).slice(0, LISTED);
      result[name] = { records, total: found.total - dropped };
      result.hidden += await scoped.countBeyondScope(actor, name, 'email', address);
    }
    return result;
  });
}
