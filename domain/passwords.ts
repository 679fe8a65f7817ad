// Passwords are stored only as argon2id hashes (the database refuses anything else).
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the package's const enum cannot be imported under verbatimModuleSyntax.
const ARGON2ID = 2;

export const MIN_PASSWORD_LENGTH = 8;

/** What is wrong with a new password, or null: the one rule of every path that sets one (the app, tenant:create). */
export const passwordProblem = (plain: string): string | null =>
  plain.length < MIN_PASSWORD_LENGTH ? `at least ${MIN_PASSWORD_LENGTH} characters` : null;

export const hashPassword = (plain: string) => hash(plain, { algorithm: ARGON2ID });

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false; // a malformed hash never verifies
  }
}

// @node-rs/argon2 hashes on libuv's thread pool, so the event loop stays free; but that pool is one FIFO queue
// (UV_THREADPOOL_SIZE threads, 4 by default) shared with every sign-in's verify. An import that queued all its
// hashes at once put each sign-in behind them (1,210 rows stalled every sign-in for 16 s). Bulk hashes therefore
// take turns, process-wide, on half the threads: a sign-in's verify finds a free one. No worker pool of our
// own is needed (measured in test/daywork/users-import.test.ts).
const POOL = Number(process.env.UV_THREADPOOL_SIZE) || 4;
export const BULK_HASHES = Math.max(1, Math.floor(POOL / 2));
let running = 0;
const waiting: (() => void)[] = [];

/** hashPassword for bulk writes (imports): at most BULK_HASHES at a time across the process. */
export async function hashPasswordInBulk(plain: string): Promise<string> {
  while (running >= BULK_HASHES) await new Promise<void>((wake) => waiting.push(wake));
  running++;
  try {
    return await hashPassword(plain);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * What a dry run stores for a password in its rolled-back insert: a well-formed argon2id string (the column's
 * format check applies) that verifies nothing. A dry run never hashes: previewing 10,000 users costs no CPU.
 */
export const DRY_RUN_HASH = '$argon2id$v=19$m=19456,t=2,p=1$ZHJ5cnVubm90YWhhc2g$ZHJ5cnVubm90YWhhc2hkcnlydW5ub3RhaGFzaA';
