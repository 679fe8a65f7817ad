// The shipped compose file: Caddy terminates TLS in front of the app, every service restarts, and no secret has
// a default (compose refuses to start without them).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const text = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const compose = parse(text) as { services: Record<string, any> };
const caddyfile = readFileSync(new URL('../../deploy/Caddyfile', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('serves the app through Caddy (official image) with its Caddyfile, the app itself not published', () => {
    const { caddy, app } = compose.services;
    expect(caddy.image).toMatch(/^caddy:\d/);
    expect(caddy.ports).toEqual(expect.arrayContaining(['80:80', '443:443']));
    expect(caddy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(app.ports).toBeUndefined();
    expect(caddyfile).toMatch(/^\{\$SITE_ADDRESS:localhost\} \{$/m);
    expect(caddyfile).toMatch(/reverse_proxy app:3000/);
    expect(caddyfile).toMatch(/health_uri \/readyz/);
  });

  it('has a restart policy for every service', () => {
    for (const [name, service] of Object.entries(compose.services)) expect([name, service.restart]).toEqual([name, 'unless-stopped']);
  });

  it('runs the app in production, trusting the proxy on the compose network, with no default for any secret', () => {
    const env = compose.services.app.environment as Record<string, string>;
    expect(env.NODE_ENV).toBe('production');
    expect(env.SESSION_SECRET).toBe('${SESSION_SECRET:?set SESSION_SECRET}');
    expect(env.DEMO_DATA).toBe('${DEMO_DATA:-0}');
    expect(env.TRUST_PROXY).toMatch(/uniquelocal/);
    for (const secret of ['SESSION_SECRET', 'POSTGRES_PASSWORD', 'CLICKHOUSE_PASSWORD']) {
      expect(text).not.toMatch(new RegExp(`\\$\\{${secret}:-`));
      expect(text).toMatch(new RegExp(`\\$\\{${secret}:\\?set ${secret}\\}`));
    }
  });
});
