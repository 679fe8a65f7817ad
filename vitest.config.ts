import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time: most of a file's time is spent waiting on PostgreSQL, ClickHouse, Chromium or a child
    // app process, and vitest's default on a 2-core machine (cores - 1) ran them one by one (22 minutes).
    maxWorkers: 2,
  },
});
