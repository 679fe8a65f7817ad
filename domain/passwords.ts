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
