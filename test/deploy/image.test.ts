// The Dockerfile as shipped (no Docker engine here: the build it runs, `npm run build`, and the command it
// starts are run for real by test/deploy/production.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;
const json = (instruction: string) => JSON.parse(new RegExp(`^${instruction} (\\[.*\\])$`, 'm').exec(runtime)?.[1] ?? 'null');

describe('Dockerfile', () => {
  it('is multi-stage on a current Node LTS: build with devDependencies, run without them', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.every((s) => s.startsWith('${NODE_IMAGE}'))).toBe(true);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).not.toMatch(/COPY \. \./); // no sources in the image
  });

  it('runs compiled JavaScript as the user node, with node the child of tini, the same command as npm run start:prod', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production /m);
    expect(json('ENTRYPOINT')).toEqual(['/usr/bin/tini', '--']);
    const cmd = json('CMD') as string[];
    expect(cmd[0]).toBe('node');
    expect(`NODE_ENV=production ${cmd.join(' ')}`).toBe(pkg.scripts['start:prod']);
    expect(cmd.join(' ')).not.toMatch(/tsx|npm/);
  });

  it('checks health on the readiness endpoint', () => {
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/readyz/m);
  });

  it('needs no TypeScript tooling at run time', () => {
    for (const dev of ['tsx', 'esbuild', 'typescript', '@electric-sql/pglite']) expect(pkg.dependencies).not.toHaveProperty(dev);
    expect(pkg.devDependencies).toHaveProperty('esbuild');
  });
});
