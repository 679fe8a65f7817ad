// The records the global-search tests look for: acme's deal, contact and company the agent may read, named
// with one rare word; the same words in globex; and acme's deal of another agent (out of the agent's scope).
import { resources } from '../../domain/resources';
import type { World } from '../security/world';

export const WORD = 'Zephyrine';

export type Planted = Record<'acme.deal' | 'acme.contact' | 'acme.company' | 'globex.deal' | 'globex.contact' | 'globex.company' | 'rival', number>;

export async function plantSearchWorld(w: World): Promise<Planted> {
  const plant = async (tenant: string, username: string, resource: string, values: Record<string, unknown>) => {
    const a = await w.actor(tenant, username);
    const r = resources.get(resource)!;
    return w.insertAsSystem(r, { ...(await w.sample(r, a)), tenant_id: a.principal.tenantId, ...values });
  };
  const agent = (await w.actor('acme', 'agent')).principal;
  const agent2 = (await w.actor('acme', 'agent2')).principal;
  const out: Record<string, number> = {};
  for (const tenant of ['acme', 'globex']) {
    const owner = tenant === 'acme' ? { assigned_to_id: agent.userId } : {};
    const ws = tenant === 'acme' ? { workspace_id: agent.workspaceId } : {};
    out[`${tenant}.deal`] = await plant(tenant, 'agent', 'deals', { title: `${WORD} renewal`, ...owner, ...ws });
    out[`${tenant}.contact`] = await plant(tenant, 'agent', 'contacts', { first_name: WORD, last_name: 'Quill', ...owner, ...ws });
    out[`${tenant}.company`] = await plant(tenant, 'agent', 'companies', { name: `${WORD} Works`, ...ws });
  }
  out.rival = await plant('acme', 'agent2', 'deals', { title: `${WORD} rival bid`, assigned_to_id: agent2.userId, supervisor_id: null, workspace_id: agent.workspaceId });
  return out as Planted;
}
