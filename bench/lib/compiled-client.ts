import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../scripts/lib/paths.ts';

/**
 * Compiles our client to JavaScript with tsc, as a published package would ship it, and returns the
 * URL of its index module. Running src/ through tsx instead would add esbuild's keep-names wrapper to
 * every closure a call creates, a cost users never pay, while openapi-fetch is measured as the plain
 * JavaScript it ships. The output sits under node_modules/.cache so its imports of openapi-fetch and
 * ajv resolve.
 */
export function compileClient(): string {
  const outDir = join(repoRoot, 'node_modules', '.cache', 'metorial-bench-client');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const config = join(outDir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        outDir: join(outDir, 'out'),
        rootDir: repoRoot,
        rewriteRelativeImportExtensions: true,
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
      },
      include: [],
      files: [join(repoRoot, 'src', 'index.ts')],
    }),
  );
  execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: 'inherit' });
  return pathToFileURL(join(outDir, 'out', 'src', 'index.js')).href;
}

/** Our client as compileClient compiled it, typed as its source. */
export async function importCompiledClient(moduleUrl: string): Promise<typeof import('../../src/index.ts')> {
  return import(moduleUrl);
}
