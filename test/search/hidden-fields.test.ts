// Free-text search matches only fields the actor reads on every record it may list: a search for a value in a
// field hidden from the actor finds nothing (a hit would tell what the hidden field holds), in a list's quick
// search and in the global search alike; the same search by someone who reads the field finds the record.
import { createMongoAbility, type MongoAbility } from '@casl/ability';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../domain/resources';
import { searchAll } from '../../domain/search';
import type { Actor } from '../../domain/scoped-data';
import { useTestDatabase } from '../harness';
import { loadWorld, type World } from '../security/world';
import { plantSearchWorld, WORD, type Planted } from './planted';

const db = useTestDatabase();
let w: World;
let planted: Planted;
const EMAIL = 'quill.private@hidden-mail.test';

beforeAll(async () => {
  w = await loadWorld(db);
  planted = await plantSearchWorld(w);
  await db.pool.query('UPDATE contacts SET email = $1 WHERE id = $2', [EMAIL, planted['acme.contact']]);
});

/** The agent, with one more rule: contacts' emails (or their last names) hidden. */
async function agentWithout(field: string, conditions?: Record<string, unknown>): Promise<Actor> {
  const agent = await w.actor('acme', 'agent');
  const rules = [...agent.ability.rules, { inverted: true, action: 'read', subject: 'contacts', fields: [field], ...(conditions ? { conditions } : {}) }];
  return { ...agent, ability: createMongoAbility(rules as never) as MongoAbility as Actor['ability'] };
}

const ids = async (actor: Actor, q: string) => (await w.data.list(actor, 'contacts', { q })).records.map((r) => r.id);

describe('search and hidden fields', () => {
  it('finds a contact by its email for an agent who reads emails', async () => {
    const agent = await w.actor('acme', 'agent');
    expect(resources.get('contacts')!.searchFields).toContain('email');
    expect(await ids(agent, 'hidden-mail')).toEqual([planted['acme.contact']]);
  });

  it('does not match the email when emails are hidden, in the list nor the global search; the name still matches', async () => {
    const blind = await agentWithout('email');
    expect(await ids(blind, 'hidden-mail')).toEqual([]);
    const groups = await searchAll(w.data, blind, 'hidden-mail');
    expect(groups.find((g) => g.resource === 'contacts')).toBeUndefined();
    expect(await ids(blind, `${WORD} Quill`)).toEqual([planted['acme.contact']]);
  });

  it('does not match a field hidden on some records only, nor the full name when a part of it is hidden', async () => {
    const partly = await agentWithout('email', { last_name: 'Quill' });
    expect(await ids(partly, 'hidden-mail')).toEqual([]);
    const noLast = await agentWithout('last_name');
    expect(await ids(noLast, `${WORD} Quill`)).toEqual([]);
    expect(await ids(noLast, WORD)).toEqual([planted['acme.contact']]);
  });
});
