import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Timeouts catch hangs, not slowness: a shared CI machine runs this suite up to twice as slowly.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most files wait on child processes (Prism, Redocly, Chromium, tsc), so more files than cores run at once.
    maxWorkers: 4,
    // Files in one worker share its module cache: re-importing ajv, yaml, the client and the helpers
    // for every file cost about 12 CPU-seconds a run. No file relies on a fresh module state.
    isolate: false,
  },
});
