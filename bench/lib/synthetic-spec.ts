import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot, spectralRuleset } from '../../scripts/lib/paths.ts';

const specDir = join(repoRoot, 'spec');

/** The path prefix of copy k (`/k3s`): a plural segment, as our lint's `path-segment-plural` rule asks of every segment. */
export const copyPrefix = (k: number): string => `/k${k}s`;

/** B, C, …, Z, BA, BB…: a suffix of letters only, as operation ids allow no digits. */
function letters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor(k / 26)) out = String.fromCharCode(65 + (k % 26)) + out;
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Our spec at `scale` times its size, written as a split spec like ours under `outDir`: copy k of
 * every path and every component lives in `clones/k<k>/`, with component files renamed
 * (`RunXC.yaml`), operation ids suffixed (`listRunsXC`) and paths prefixed (`/k3s/runs`: see copyPrefix), so every
 * copy is distinct, used and lint-clean (its lint waivers are copied with the files they sit in),
 * and bundling resolves as many files as a spec that size. `ruleset` is the OWASP ruleset, ours.
 */
export function writeSyntheticSpec(scale: number, outDir: string): { root: string; ruleset: string; operations: number } {
  cpSync(specDir, outDir, { recursive: true });
  const rootFile = join(outDir, 'openapi.yaml');
  const root = parse(readFileSync(rootFile, 'utf8')) as { paths: Record<string, { $ref: string }> };
  const componentNames = filesUnder(join(specDir, 'components')).map((f) => f.split('/').pop()!.replace(/\.yaml$/, ''));
  const operationIds = filesUnder(join(specDir, 'paths')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/operationId: (\w+)/g)].map((m) => m[1]!));
  const originalPaths = { ...root.paths };
  for (let k = 2; k <= scale; k++) {
    const suffix = `X${letters(k)}`;
    const cloneDir = join(outDir, 'clones', `k${k}`);
    mkdirSync(cloneDir, { recursive: true });
    cpSync(join(specDir, 'paths'), join(cloneDir, 'paths'), { recursive: true });
    cpSync(join(specDir, 'components'), join(cloneDir, 'components'), { recursive: true });
    for (const file of filesUnder(cloneDir)) {
      let text = readFileSync(file, 'utf8');
      for (const name of componentNames) text = text.replaceAll(`/${name}.yaml`, `/${name}${suffix}.yaml`);
      for (const id of operationIds) text = text.replace(new RegExp(`operationId: ${id}$`, 'm'), `operationId: ${id}${suffix}`);
      writeFileSync(file, text);
      if (file.includes('/components/')) renameSync(file, file.replace(/\.yaml$/, `${suffix}.yaml`));
    }
    for (const [path, item] of Object.entries(originalPaths)) root.paths[`${copyPrefix(k)}${path}`] = { $ref: `clones/k${k}/${item.$ref}` };
  }
  writeFileSync(rootFile, stringify(root, { lineWidth: 0 }));
  return { root: rootFile, ruleset: spectralRuleset, operations: operationIds.length * scale };
}
