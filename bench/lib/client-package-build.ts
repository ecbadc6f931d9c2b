import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stageClientPackage } from '../../scripts/lib/client-package.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';

/**
 * Builds the client package from the current sources, as `npm run build` builds it for npm (tsdown,
 * client/tsdown.config.ts), and returns the URL of its ESM entry point: the bench measures the code
 * users install, while openapi-fetch is measured as the JavaScript it ships. The copy sits under
 * node_modules/.cache so that its imports of openapi-fetch resolve to the repository's.
 */
export async function buildClientForBench(): Promise<string> {
  const stageDir = join(repoRoot, 'node_modules', '.cache', 'metorial-bench-client');
  rmSync(stageDir, { recursive: true, force: true });
  await stageClientPackage(stageDir);
  return pathToFileURL(join(stageDir, 'dist', 'index.js')).href;
}

/** The client package as buildClientForBench built it, typed as its source. */
export async function importClientPackage(moduleUrl: string): Promise<typeof import('../../src/index.ts')> {
  return import(moduleUrl);
}
