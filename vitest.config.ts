import { defineConfig } from 'vitest/config';

/**
 * Two projects, one per command, so that the suite a maintainer runs on every change stays within its
 * 60 s budget (`npm test`), and the checks whose subject is a whole process, a browser, the full build or a
 * packed tarball in a new project run as `npm run test:e2e`. The README's test command and CI run both.
 * A file belongs to `e2e` when it starts a CLI, a browser, a build or a consumer project of its own, or
 * soaks a server; everything else, run in process against the shared mock and sandbox, is `suite`.
 */
export const endToEndFiles = [
  'test/live.test.ts',
  'test/dev.test.ts',
  'test/mock-process.test.ts',
  'test/prism-lifecycle.test.ts',
  'test/prism-ports.test.ts',
  'test/pipeline.test.ts',
  'test/workflows.test.ts',
  'test/readme-examples.test.ts',
  'test/breaking/gate.test.ts',
  'test/breaking/change-gate.test.ts',
  'test/publish/reference.browser.test.ts',
  'test/publish/reference-scripts.browser.test.ts',
  'test/publish/client-package.test.ts',
  'test/publish/client-dist-atomic.test.ts',
  'test/publish/dist.test.ts',
  'test/publish/code-samples.test.ts',
  'test/publish/spec-sources.test.ts',
  'test/sandbox/load.test.ts',
  'test/sandbox/persistence.test.ts',
  'test/sandbox/violations.test.ts',
];

export default defineConfig({
  test: {
    // Timeouts catch hangs, not slowness: a shared CI machine runs this suite up to twice as slowly.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The end-to-end files mostly wait on child processes (Prism, Redocly, Chromium, tsc), so more files than cores run at once.
    maxWorkers: 4,
    // Files in one worker share its module cache: re-importing ajv, yaml, the client and the helpers
    // for every file cost about 12 CPU-seconds a run. No file relies on a fresh module state.
    isolate: false,
    projects: [
      {
        extends: true,
        // Two workers, one per core: these files keep the CPU busy themselves (ajv, fast-check, the mock and
        // the sandbox answering them); four took 30% more CPU and twice the wall time on this 2-core machine.
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: endToEndFiles, globalSetup: ['test/support/global-setup.ts'], maxWorkers: 2 },
      },
      {
        extends: true,
        test: { name: 'e2e', include: endToEndFiles, globalSetup: ['test/support/global-setup.ts'] },
      },
    ],
  },
});
