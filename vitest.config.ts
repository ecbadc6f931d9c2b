import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Most files wait on child processes (Prism, Redocly, Chromium, tsc), so more files than cores run at once.
    maxWorkers: 4,
  },
});
