// Where a scoped call runs: a transaction as the application role with the tenant and user set
// transaction-locally, a savepoint of a transaction already opened for that same user, or the request's
// read session (domain/read-session.ts). Database errors leave as DomainErrors (domain/db-errors.ts).
import { sql } from 'drizzle-orm';
import type { Database } from '../db';
import { fromDatabaseError } from '../db-errors';
import type { Reader } from '../read-session';
import { APP_ROLE, SESSION_SETTING, TENANT_SETTING, USER_SETTING } from '../../schema/derived-ddl';
import { requestSessionId } from '../request-session';
import type { Actor, Tx } from './types';

/** The transaction a ScopedData made by `transaction()` works in, and whose tenant and user it was opened for. */
export interface Bound {
  tx: Tx;
  tenantId: number;
  userId: number;
}

export type Op = 'write' | 'delete';

/** A transaction as the application role inside one tenant; `userId` is recorded as the actor of changes. */
export async function tenantTransaction<T>(database: Database, tenantId: number, userId: number | null, fn: (tx: Tx) => Promise<T>, op: Op): Promise<T> {
  try {
    return await database.db.transaction(async (tx) => {
      // One round trip: set_config('role', ..., true) is SET LOCAL ROLE.
      await tx.execute(
        sql`SELECT set_config('role', ${APP_ROLE}, true), set_config(${TENANT_SETTING}, ${String(tenantId)}, true), set_config(${USER_SETTING}, ${userId === null ? '' : String(userId)}, true), set_config(${SESSION_SETTING}, ${requestSessionId()}, true)`,
      );
      return fn(tx);
    });
  } catch (err) {
    return fromDatabaseError(err, op);
  }
}

/** Inside a bound transaction: a savepoint, only for the tenant and user the transaction was opened for. */
export async function inSavepoint<T>(b: Bound, tenantId: number, userId: number | null, fn: (tx: Tx) => Promise<T>, op: Op): Promise<T> {
  // (null: a read as the system, e.g. loading a principal; the transaction's user stays the actor of changes.)
  if (tenantId !== b.tenantId || (userId !== null && userId !== b.userId)) {
    throw new Error(`a transaction opened for user ${b.userId} of tenant ${b.tenantId} cannot act for user ${userId} of tenant ${tenantId}`);
  }
  try {
    return await b.tx.transaction((savepoint) => fn(savepoint));
  } catch (err) {
    return fromDatabaseError(err, op);
  }
}

/** A read in the actor's request read session, which must have been opened for that actor. */
export function inReadSession<T>(actor: Actor, fn: (db: Reader) => Promise<T>): Promise<T> {
  const session = actor.reads!;
  const { tenantId, userId } = actor.principal;
  if (session.tenantId !== tenantId || session.userId !== userId) throw new Error('a read session serves the actor it was opened for');
  return session.run(fn).catch((err) => fromDatabaseError(err, 'write'));
}
