// Back-office users at work: each session signs in (its own client address, as a proxy reports it), then
// loops over lists, record pages, searches and edits through the JSON API and AdminJS's API, with a short
// pause between actions. Every answer is tallied by phase; latencies are kept with their start time.
import { HttpSession, type Reply } from '../../scripts/http-session';
import { sleep, type Tally } from './timeline';

const RESOURCES = ['companies', 'contacts', 'deals', 'leads', 'activities'] as const;
const LOGINS = ['agent', 'agent2', 'agent3', 'agent4', 'manager', 'manager2', 'director', 'superadmin', 'admin', 'wsadmin'] as const;
const TERMS = ['a', 'an', 'co', 'in', 'er', 'son', 'tech', 'x'];

export interface Sample {
  at: number;
  ms: number;
  ok: boolean;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** What one user does between pauses; returns the reply (its latency is the sample). */
async function oneAction(s: HttpSession, state: { ids: Map<string, string[]>; own: string | null; edits: number }): Promise<Reply> {
  const r = pick(RESOURCES);
  const known = state.ids.get(r) ?? [];
  const remember = (reply: Reply, from: (body: any) => unknown[]) => {
    const ids = (from(reply.body) ?? []).map(String).filter(Boolean);
    if (ids.length) state.ids.set(r, ids);
    return reply;
  };
  switch (Math.floor(Math.random() * 7)) {
    case 0:
      return remember(await s.call('GET', `/api/${r}?perPage=20`), (b) => b?.records?.map((x: any) => x.id));
    case 1:
      return known.length ? s.call('GET', `/api/${r}/${pick(known)}`) : s.call('GET', `/api/${r}?perPage=20`);
    case 2:
      return s.call('GET', `/api/${r}?q=${pick(TERMS)}&perPage=20`);
    case 3:
      return remember(await s.call('GET', `/admin/api/resources/${r}/actions/list?perPage=20`), (b) => b?.records?.map((x: any) => x.id));
    case 4:
      return known.length ? s.call('GET', `/admin/api/resources/${r}/records/${pick(known)}/show`) : s.call('GET', `/admin/api/resources/${r}/actions/list`);
    case 5:
      return s.call('GET', `/admin/api/resources/${r}/search/${pick(TERMS)}`);
    default:
      if (!state.own) return s.call('GET', '/api/companies?perPage=5');
      return s.call('PATCH', `/api/companies/${state.own}`, { name: `Soak company ${state.own} v${++state.edits}` });
  }
}

export interface BackOfficeLoad {
  samples: Sample[];
  stop(): Promise<void>;
}

/** `sessions` users of the two demo tenants, signed in, then working until stop(). */
export async function startBackOffice(base: string, sessions: number, tally: Tally): Promise<BackOfficeLoad> {
  const samples: Sample[] = [];
  let running = true;
  const users = await Promise.all(
    Array.from({ length: sessions }, async (_, i) => {
      const s = new HttpSession(base, 30_000, { 'x-forwarded-for': `10.20.${Math.floor(i / 250)}.${(i % 250) + 1}` });
      const tenant = i % 2 ? 'globex' : 'acme';
      const login = LOGINS[Math.floor(i / 2) % LOGINS.length]!;
      const signedIn = await s.login(tenant, login);
      if (signedIn.status !== 200) throw new Error(`sign-in of ${login}@${tenant}: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
      const created = await s.call('POST', '/api/companies', { name: `Soak company of ${login} ${i}` });
      return { s, state: { ids: new Map<string, string[]>(), own: created.status === 201 ? String(created.body.id) : null, edits: 0 } };
    }),
  );
  const loops = users.map(async ({ s, state }) => {
    while (running) {
      const at = Date.now();
      try {
        const reply = await oneAction(s, state);
        tally.answer(at, reply.status, reply.headers.get('retry-after'));
        samples.push({ at, ms: reply.ms, ok: reply.status < 500 });
      } catch {
        tally.connectionError(at);
      }
      await sleep(300 + Math.random() * 700);
    }
  });
  return {
    samples,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Back-office latency with one user and no other load (the baseline the loaded p95 is compared with). */
export async function idleLatency(base: string, seconds: number): Promise<number[]> {
  const s = new HttpSession(base, 30_000, { 'x-forwarded-for': '10.30.0.1' });
  if ((await s.login('acme', 'director')).status !== 200) throw new Error('idle sign-in failed');
  const state = { ids: new Map<string, string[]>(), own: null, edits: 0 };
  const ms: number[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const reply = await oneAction(s, state);
    if (reply.status < 500) ms.push(reply.ms);
    await sleep(100);
  }
  return ms;
}
