// The analytics part of one demo tenant: an ingest key, so the ingest API can be tried at once. Like the demo
// password, the demo keys are public (derived from the subdomain) and deterministic: never use them for real data.
import { createHash } from 'node:crypto';
import { hashKey, KEY_PREFIX } from '../../analytics/ingest-keys';
import { ingestKeys } from '../../schema';
import { insertRows, type TenantContext } from './common';

/** The demo ingest key of a demo tenant (`Authorization: Bearer <key>` on POST /ingest/v1/events). */
export const demoIngestKey = (subdomain: string) =>
  KEY_PREFIX + createHash('sha256').update(`epesi-demo-ingest-key:${subdomain}`).digest('base64url');

export async function seedIngestKeys(ctx: TenantContext): Promise<void> {
  const key = demoIngestKey(ctx.spec.subdomain);
  const admin = ctx.users.find((u) => u.username === 'admin') ?? ctx.users[0]!;
  await insertRows(ctx.tx, ingestKeys, [
    {
      name: 'Demo website',
      keyPrefix: key.slice(0, KEY_PREFIX.length + 6),
      keyHash: hashKey(key),
      createdById: admin.id,
      tenantId: ctx.tenantId,
      createdAt: new Date(ctx.createdAt.getTime() + 86_400_000),
    },
  ]);
}
