import { join } from 'node:path';
import { defineConfig } from 'tsdown';

const repoRoot = join(import.meta.dirname, '..');

/**
 * The client package's build: ESM and CommonJS, each with its own bundled declarations (`.d.ts`,
 * `.d.cts`) that hold the generated types inline, so they import nothing but the package's
 * dependencies and need none of the repository's compiler options. Two entry points: the client,
 * and `/validation` (ajv and the bundled spec), which only code that validates responses loads.
 * The output directory is given by scripts/lib/client-package.ts.
 */
export default defineConfig({
  cwd: import.meta.dirname,
  entry: { index: join(repoRoot, 'src', 'index.ts'), validation: join(repoRoot, 'src', 'validation.ts') },
  format: ['esm', 'cjs'],
  platform: 'neutral',
  // What every runtime the package supports understands: Node 20, current browsers, edge runtimes.
  target: 'es2022',
  dts: { tsconfig: join(repoRoot, 'tsconfig.json') },
  fixedExtension: false,
  hash: false,
  sourcemap: false,
  clean: true,
  logLevel: 'warn',
  // Declarations take most of the build on purpose: they are type-checked and bundled, not stripped.
  checks: { pluginTimings: false },
  deps: { neverBundle: ['openapi-fetch', 'openapi-typescript-helpers', 'ajv', /^ajv\//, 'ajv-formats'] },
});
