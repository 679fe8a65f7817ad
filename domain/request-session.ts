// The sign-in session a request rides on, for the whole of its asynchronous work: the scoped layer hands it to
// the database (a transaction-local setting), so that a password change ends every other session of the user
// but spares the one that made it (the trigger in schema/derived-ddl.ts).
// Each instance keeps the sessions it has read (admin/session.ts); whether one still stands is asked of the
// database in the statement that sets a request's tenant (epesi_session_stands, schema/derived-ddl.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from './db';
import { DomainError } from './errors';

const current = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it starts) as part of the request on session `sid`. */
export const withRequestSession = <T>(sid: string, fn: () => T): T => current.run(sid, fn);

/** The session id of the request being served, or '' outside one. */
export const requestSessionId = (): string => current.getStore() ?? '';

/** A request on a sign-in session that no longer stands (signed out, or ended by a password change, elsewhere). */
export const sessionEnded = () => new DomainError('unauthenticated', 'Your session has ended; sign in again.');

/** Whether sign-in session `sid` still stands, asked on `db` (a transaction of the application role will do). */
export async function sessionStands(db: Pick<Db, 'execute'>, sid: string): Promise<boolean> {
  const { rows } = await db.execute(sql`SELECT epesi_session_stands(${sid}) AS stands`);
  return (rows[0] as { stands?: boolean } | undefined)?.stands === true;
}
