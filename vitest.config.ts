import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll waits on pages and background workers; 1 s (the default) is too short on a
    // loaded 2-core CI machine. A poll still fails as soon as its time is up.
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
});
