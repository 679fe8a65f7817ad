// The widget endpoint's rate limits with their defaults: per public key and client IP, and per IP over all keys
// (checked before the key is looked up, so guessing keys is throttled too).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../http/client';
import { assistantWorld, siteOrigin } from './fixture';

const w = assistantWorld();
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  delete process.env.WIDGET_RATE_LIMIT;
  app = await startApp(w.db);
});
afterAll(() => app?.close());

const get = (key: string, origin: string) => fetch(`${app.base}/widget/v1/${key}/config`, { headers: { origin } });

describe('rate limits', () => {
  it('allows 30 requests a minute per key and IP, then answers 429 with Retry-After; other keys are not affected', async () => {
    const key = w.assistants['acme/site']!.public_key;
    const origin = siteOrigin('acme');
    for (let i = 0; i < 30; i++) expect((await get(key, origin)).status).toBe(200);
    const limited = await fetch(`${app.base}/widget/v1/${key}/messages`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId: randomUUID(), content: 'One more' }),
    });
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // The widget may read the refusal: the origin is an allowed one.
    expect(limited.headers.get('access-control-allow-origin')).toBe(origin);
    expect(((await limited.json()) as { error: string }).error).toMatch(/Too many requests/);
    expect((await w.one("SELECT count(*)::int AS n FROM assistant_messages WHERE content = 'One more'")).n).toBe(0);
    expect((await get(w.assistants['acme/workspace']!.public_key, origin)).status).toBe(200);
  });

  it('caps one IP over all keys (4 x 30 a minute), unknown keys included', async () => {
    // 32 requests so far from this IP (30 + the refused one + the other key); 88 guesses reach the cap of 120.
    for (let i = 0; i < 88; i++) expect((await get(`ak_${randomUUID().replace(/-/g, '')}`, siteOrigin('acme'))).status).toBe(404);
    const limited = await get(w.assistants['globex/site']!.public_key, siteOrigin('globex'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
