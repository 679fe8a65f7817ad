// The sign-in session a request rides on, for the whole of its asynchronous work: the scoped layer hands it to
// the database (a transaction-local setting), so that a password change ends every other session of the user
// but spares the one that made it (the trigger in schema/derived-ddl.ts).
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it starts) as part of the request on session `sid`. */
export const withRequestSession = <T>(sid: string, fn: () => T): T => current.run(sid, fn);

/** The session id of the request being served, or '' outside one. */
export const requestSessionId = (): string => current.getStore() ?? '';
