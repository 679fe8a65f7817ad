// The six default roles x every resource x read/create/update/delete, on a real database through the
// scoped data layer. SPEC is written by hand from the README's permission table: it is the specification
// the code is checked against, not derived from the code.
import { beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../domain/resources';
import type { Actor } from '../../domain/scoped-data';
import { useTestDatabase } from '../harness';
import { loadWorld, outcome, type World } from './world';

const db = useTestDatabase();

/** Lowest default-role level allowed to [read, create, update, delete]; null: nobody. */
const SPEC: Record<string, [number | null, number | null, number | null, number | null]> = {
  tenants: [1, null, 3, null], // update: the name, with manage_setup
  workspaces: [1, 5, 5, 5],
  projects: [1, 3, 3, 3],
  roles: [1, 5, 5, 5],
  users: [1, 5, 5, 5], // update/delete of another user; own profile is tested in escalation tests
  companies: [1, 1, 1, 1],
  leads: [1, 1, 1, 1],
  contacts: [1, 1, 1, 1],
  deals: [1, 1, 1, 1],
  activities: [1, 1, 1, 1],
  sales_pipelines: [1, 3, 3, 3],
  sales_stages: [1, 3, 3, 3],
  activity_types: [1, 3, 3, 3],
  interest_levels: [1, 3, 3, 3],
  product_types: [1, 3, 3, 3],
  product_categories: [1, 3, 3, 3],
  products: [1, 2, 2, 2],
  product_offers: [1, 2, 2, 2],
  events: [4, null, null, null],
  ingest_keys: [5, 5, 5, 5], // the secret itself only ever from the server (test/analytics)
  agent_conversations: [1, 1, 1, 1],
  agent_messages: [1, 1, 1, 1],
  assistants: [5, 5, 5, 5],
  assistant_conversations: [5, 5, 5, 5],
  assistant_messages: [5, 5, 5, 5],
  assistant_documents: [5, 5, 5, 5],
  assistant_prospects: [5, 5, 5, 5],
  audit_log: [5, null, null, null],
};

const ROLES: [number, string][] = [
  [1, 'agent'],
  [2, 'manager'],
  [3, 'superadmin'],
  [4, 'director'],
  [5, 'admin'],
  [6, 'wsadmin'],
];
const ACTIONS = ['read', 'create', 'update', 'delete'] as const;
/** A harmless change per resource for the update check. */
const PATCH_FIELDS = ['description', 'notes', 'content', 'first_name', 'visitor_name', 'name', 'title', 'subject', 'type_name', 'event_name'];

let world: World;
beforeAll(async () => {
  world = await loadWorld(db);
});

it('covers every resource the back office serves', () => {
  expect(Object.keys(SPEC).sort()).toEqual([...resources.keys()].sort());
});

/** A row inside the actor's own scope (owner and workspace are theirs), written by the system. */
async function ownRow(name: string, actor: Actor): Promise<number> {
  const r = resources.get(name)!;
  if (name === 'tenants') return actor.principal.tenantId;
  const values: Record<string, unknown> = { ...(await world.sample(r, actor)), tenant_id: actor.principal.tenantId };
  const owner = r.ownerFields.find((f) => f !== 'id');
  if (owner) values[owner] = actor.principal.userId;
  if (r.workspaced && name !== 'assistants' && actor.principal.level < 5) values.workspace_id = actor.principal.workspaceId;
  return world.insertAsSystem(r, values);
}

describe.each(ROLES)('level %i (%s)', (level, username) => {
  it.each(Object.keys(SPEC))('%s', async (name) => {
    const actor = await world.actor('acme', username);
    const r = resources.get(name)!;
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const [i, action] of ACTIONS.entries()) {
      const min = SPEC[name]![i]!;
      want[action] = min !== null && level >= min ? 'ok' : 'forbidden';
    }
    got.read = await outcome(world.data.list(actor, name));
    got.create = await outcome(world.data.create(actor, name, await world.sample(r, actor)));
    const field = PATCH_FIELDS.find((f) => r.columns.has(f) && f !== 'event_name') ?? 'id';
    got.update = await outcome(world.data.update(actor, name, await ownRow(name, actor), { [field]: `Changed by ${username}` }));
    got.delete = name === 'tenants' ? await outcome(world.data.remove(actor, name, actor.principal.tenantId)) : await outcome(world.data.remove(actor, name, await ownRow(name, actor)));
    expect(got).toEqual(want);
  });
});
