// PostgreSQL constraint errors turned into messages a person can act on, naming the field. The constraint
// names follow schema/columns.ts (`<table>_<column>_<rule>`), so the message is derived, not listed per table.
import { is, SQL, StringChunk } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { conflict, DomainError, invalid } from './errors';
import { resources } from './resources';

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
  table?: string;
}

const special: Record<string, [field: string, message: string]> = {
  product_offers_percentage_max_100: ['discount_value', 'a percentage discount cannot exceed 100'],
  product_offers_dates_ordered: ['end_date', 'end_date must not be before start_date'],
  roles_permissions_known: ['permissions', 'permissions contains an unknown permission'],
  users_not_own_manager: ['manager_id', 'a user cannot be their own manager'],
  users_manager_cycle: ['manager_id', 'a user cannot report to someone who reports to them'],
  users_email_is_username: ['email', "email is another user's username: sign-in by username or email must name one account"],
  users_username_is_email: ['username', "username is another user's email: sign-in by username or email must name one account"],
  users_password_format: ['password', 'password must be set through the password field'],
  assistants_scope_workspace: ['workspace_id', 'a workspace assistant needs a workspace; a tenant assistant has none'],
  sales_pipelines_one_default_key: ['is_default', 'there is already a default pipeline here'],
  sales_stages_pipeline_order_key: ['order', 'another stage of this pipeline already has this order'],
  tenants_subdomain_format: ['subdomain', 'subdomain must be a DNS label: lower-case letters, digits and inner hyphens'],
};

/** The literal text of a Drizzle SQL expression (columns left out: they are circular, JSON.stringify throws on them). */
function sqlText(chunk: unknown): string {
  if (is(chunk, SQL)) return chunk.queryChunks.map(sqlText).join('');
  if (is(chunk, StringChunk)) return chunk.value.join('');
  return ' ';
}

/** Constraint name -> [field, message], derived from each table's constraint names. */
function describe(constraint: string): [string, string] | null {
  if (special[constraint]) return special[constraint];
  for (const r of resources.values()) {
    if (!constraint.startsWith(`${r.name}_`)) continue;
    const rest = constraint.slice(r.name.length + 1);
    // Per-tenant uniqueness (`<table>_tenant_<field>_key`): under row-level security PostgreSQL gives no key detail.
    const unique = /^tenant_(.+)_key$/.exec(rest)?.[1];
    if (unique && r.columns.has(unique)) return [unique, `${unique} is already used`];
    for (const [field, col] of r.columns) {
      if (!rest.startsWith(`${field}_`)) continue;
      const rule = rest.slice(field.length + 1);
      const values = (col as { enumValues?: readonly string[] }).enumValues;
      if (rule === 'check' && values) return [field, `${field} must be one of: ${values.join(', ')}`];
      if (rule === 'range') {
        const check = getTableConfig(r.table).checks.find((c) => c.name === constraint);
        const bounds = check ? /between (\S+) and (\S+)/.exec(sqlText(check.value)) : null;
        return [field, bounds ? `${field} must be between ${bounds[1]} and ${bounds[2]}` : `${field} is out of range`];
      }
      if (rule === 'non_negative') return [field, `${field} must not be negative`];
      if (rule === 'format') return [field, `${field} has an invalid format`];
      if (rule === 'object') return [field, `${field} must be a JSON object`];
      if (rule === 'fk') return [field, `${field} does not name an existing record you can use`];
    }
  }
  return null;
}

/** Maps a driver error to a DomainError; anything unexpected is rethrown unchanged (a real 500). */
export function fromDatabaseError(err: unknown, operation: 'write' | 'delete'): never {
  // Drizzle wraps driver errors (DrizzleQueryError) and keeps the original as `cause`.
  const e = ((err as { cause?: PgError })?.cause ?? err) as PgError;
  if (err instanceof DomainError || !e?.code) throw err;
  const known = e.constraint ? describe(e.constraint) : null;
  switch (e.code) {
    case '23505': {
      const key = /Key \((.*)\)=/.exec(e.detail ?? '')?.[1] ?? '';
      const field = known?.[0] ?? key.replace(/lower\(|\)|::text|tenant_id,?\s*/g, '').trim();
      // A rule of its own (special) explains itself on the field; a plain unique key is "already used".
      const onField = e.constraint && special[e.constraint] ? known![1] : 'is already used';
      throw conflict(known?.[1] ?? `${field || 'this value'} is already used`, { [field]: onField });
    }
    case '23503':
      if (operation === 'delete') {
        throw conflict(`Cannot delete: other records still refer to it (${e.table ?? 'another table'}). Remove or reassign them first.`);
      }
      throw invalid(known?.[1] ?? 'a referenced record does not exist', known ? { [known[0]]: known[1] } : {});
    case '23514':
      throw invalid(known?.[1] ?? 'a value breaks a rule of this record', known ? { [known[0]]: known[1] } : {});
    case '23502':
      throw invalid(`${e.column} is required`, e.column ? { [e.column]: 'is required' } : {});
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
      throw invalid('a value has the wrong type or is out of range');
    // A NUL character in text (22021) or \u0000 in jsonb (22P05) that reached a statement unchecked, e.g. in a
    // search or a filter (writes are checked in validation.ts): the input's fault, not a 500.
    case '22021':
    case '22P05':
      throw invalid('a value contains the NUL character (\\u0000), which PostgreSQL cannot store or search for');
    default:
      throw err;
  }
}

// Connection-level failures: the database is down, restarting or unreachable, not the request at fault.
// SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now); socket codes;
// node-postgres's own messages for a dead client and for a pool that waited too long.
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/** Whether `err` (or what it wraps: Drizzle's cause, an AggregateError's errors) says the database cannot be reached. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_S = 5;
