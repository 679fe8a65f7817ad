// The principals of recent requests, each with the access version (schema/access-version.ts) it was loaded
// at. A request reads the version in the statement that sets its tenant (domain/read-session.ts); while it is
// the same, nothing a principal is made of has changed, and the request skips loading it (a recursive query
// of the manager tree and the grantable roles). Any change to users' roles, managers, workspaces or to roles
// bumps the version in its own transaction, so the next request after its commit loads afresh.
// Per process and bounded: the least recently used entries go first.
import type { AppAbility } from './ability';
import type { Principal } from './principal';

interface Entry<T> {
  version: number;
  principal: Principal;
  extra: T;
}

export class PrincipalCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly max = 10_000) {}

  /** The cached principal (and what was derived from it) of the user, if loaded at this version. */
  get(tenantId: number, userId: number, version: number): Entry<T> | undefined {
    const k = `${tenantId}:${userId}`;
    const entry = this.entries.get(k);
    if (!entry || entry.version !== version) return undefined;
    this.entries.delete(k); // (re-inserted: the most recently used)
    this.entries.set(k, entry);
    return entry;
  }

  set(version: number, principal: Principal, extra: T) {
    if (!Number.isFinite(version)) return;
    const k = `${principal.tenantId}:${principal.userId}`;
    this.entries.delete(k);
    this.entries.set(k, { version, principal, extra });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** One cache per database (its pools): principals with their abilities. */
const caches = new WeakMap<object, PrincipalCache<AppAbility>>();
export function principalCacheOf(database: object): PrincipalCache<AppAbility> {
  let cache = caches.get(database);
  if (!cache) caches.set(database, (cache = new PrincipalCache()));
  return cache;
}
