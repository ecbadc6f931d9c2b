import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../scripts/lib/paths.ts';

/**
 * Our client compiled to JavaScript by tsc, as a published package would ship it. Running src/ through
 * tsx instead would add esbuild's keep-names wrapper to every closure a call creates, a cost users
 * never pay, while openapi-fetch is measured as the plain JavaScript it ships.
 * The output sits under node_modules/.cache so its imports of openapi-fetch and ajv resolve.
 */
export async function importCompiledClient(): Promise<typeof import('../../src/index.ts')> {
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
  return import(pathToFileURL(join(outDir, 'out', 'src', 'index.js')).href);
}
