// An assistant's public identity: its public key, the embed code (widget_code) built from it and the app's public
// URL, and the one lookup of an assistant by its key that the public widget endpoint makes.
//
// public_key and widget_code are set by the system only (domain/ability.ts refuses them to every user): the
// database draws a random key for each new assistant, and this module writes the embed code and new keys, after
// the scoped layer has shown that the actor may update that very assistant.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type pg from 'pg';
import { assistants } from '../../schema';
import { asSubject } from '../ability';
import { loadConfig } from '../config';
import { forbidden } from '../errors';
import type { Actor, ScopedData } from '../scoped-data';

/**
 * The app's address as websites reach it: PUBLIC_URL, default http://localhost:3000 (no trailing slash), read
 * by the one configuration parser. The app passes its configured value down; this default serves scripts and tests.
 */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  return loadConfig({ PUBLIC_URL: env.PUBLIC_URL }).publicUrl;
}

export const PUBLIC_KEY_FORMAT = /^ak_[0-9a-f]{24,64}$/;

/** A new key: 128 random bits (the database's own default draws 122). */
export const newPublicKey = () => `ak_${randomBytes(16).toString('hex')}`;

const attribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The script tag a website pastes into its pages. */
export function embedCode(publicKey: string, base = publicUrl()): string {
  return `<script src="${attribute(base)}/widget.js" data-key="${attribute(publicKey)}" async></script>`;
}

export interface Embed {
  assistantId: number;
  publicKey: string;
  widgetCode: string;
  allowedOrigins: string[];
  /** Where the widget sends its messages. */
  endpoint: string;
}

const embedOf = (row: Record<string, unknown>, base: string): Embed => ({
  assistantId: row.id as number,
  publicKey: String(row.public_key),
  widgetCode: embedCode(String(row.public_key), base),
  allowedOrigins: (row.allowed_origins as string[] | undefined) ?? [],
  endpoint: `${base}/widget/v1/${String(row.public_key)}/messages`,
});

/** Whether the actor may update this very assistant (its scope and conditions, not just the resource). */
const mayUpdate = (actor: Actor, row: Record<string, unknown>) => actor.ability.can('update', asSubject('assistants', { ...row }) as never);

/**
 * Writes system-set fields of an assistant, in one transaction with the read that shows the actor may update it
 * (the row is locked meanwhile). The write is the system's on the actor's behalf, audited as theirs.
 */
async function writeAsSystem(
  data: ScopedData,
  actor: Actor,
  assistantId: unknown,
  values: (row: Record<string, unknown>) => { publicKey?: string; widgetCode: string } | null,
): Promise<Record<string, unknown>> {
  return data.transaction(actor, async (scoped, tx) => {
    const row = await scoped.get(actor, 'assistants', assistantId, { forUpdate: true });
    const set = values(row);
    if (!set) return row;
    if (!mayUpdate(actor, row)) throw forbidden(`You may not update assistant #${String(row.id)}`);
    await tx.update(assistants).set(set).where(and(eq(assistants.tenantId, actor.principal.tenantId), eq(assistants.id, row.id as number)));
    return { ...row, ...(set.publicKey ? { public_key: set.publicKey } : {}), widget_code: set.widgetCode };
  });
}

/**
 * The embed code of an assistant the actor may read. The stored widget_code is refreshed when it differs
 * (a new assistant, or PUBLIC_URL changed) and the actor may update the assistant.
 */
export async function assistantEmbed(data: ScopedData, actor: Actor, assistantId: unknown, base = publicUrl()): Promise<Embed> {
  const row = await writeAsSystem(data, actor, assistantId, (r) => {
    const code = embedCode(String(r.public_key), base);
    return r.widget_code !== code && mayUpdate(actor, r) ? { widgetCode: code } : null;
  });
  return embedOf(row, base);
}

/** A new public key (the old one stops working at once) and its embed code. */
export async function rotatePublicKey(data: ScopedData, actor: Actor, assistantId: unknown, base = publicUrl()): Promise<Embed> {
  const publicKey = newPublicKey();
  const row = await writeAsSystem(data, actor, assistantId, () => ({ publicKey, widgetCode: embedCode(publicKey, base) }));
  return embedOf(row, base);
}

/** What the public endpoint needs to know before it enters the assistant's tenant. */
export interface PublicAssistant {
  id: number;
  tenantId: number;
  allowedOrigins: string[];
}

/**
 * The active assistant with this key, looked up by the system connection: before the key is resolved there is no
 * tenant yet (as for findTenant at sign-in). One exact-match query on a unique column; anything else the public
 * path reads or writes happens inside the assistant's tenant (ScopedData.inTenant, row-level security applies).
 */
export async function findAssistantByKey(pool: pg.Pool, publicKey: string): Promise<PublicAssistant | null> {
  if (!PUBLIC_KEY_FORMAT.test(publicKey)) return null;
  const { rows } = await pool.query<{ id: number; tenant_id: number; allowed_origins: string[] }>(
    'SELECT id, tenant_id, allowed_origins FROM assistants WHERE public_key = $1 AND is_active',
    [publicKey],
  );
  const row = rows[0];
  return row ? { id: row.id, tenantId: row.tenant_id, allowedOrigins: row.allowed_origins } : null;
}
