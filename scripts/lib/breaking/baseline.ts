import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bundleInProcess } from '../redocly-engine.ts';
import { repoRoot } from '../paths.ts';
import { PipelineError } from '../run-tool.ts';
import type { Document } from './diff.ts';

/** Each release of the API, as the bundled spec that shipped: `releases/<info.version>.json`. */
export const releasesDir = join(repoRoot, 'releases');

export interface Baseline {
  label: string;
  document: Document;
}

const semverParts = (version: string) => version.split(/[.-]/).map((part) => Number(part) || 0);
export const bySemver = (a: string, b: string) => {
  const [x, y] = [semverParts(a), semverParts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/** The released versions, oldest first. */
export function releasedVersions(dir = releasesDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort(bySemver);
}

export function loadRelease(version: string, dir = releasesDir): Baseline {
  return { label: `release ${version}`, document: JSON.parse(readFileSync(join(dir, `${version}.json`), 'utf8')) as Document };
}

/** The spec as it is in a git ref (a tag, a branch, a commit), bundled. */
export async function loadGitRef(ref: string): Promise<Baseline> {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-baseline-'));
  try {
    try {
      execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot, stdio: 'pipe' });
    } catch {
      throw new PipelineError(`There is no git ref "${ref}" here. Name a tag, branch or commit that exists (git tag, git branch -a), or use --base-file.`);
    }
    try {
      const archive = execFileSync('git', ['archive', '--format=tar', ref, 'spec'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
      execFileSync('tar', ['-x', '-C', scratch], { input: archive });
    } catch {
      throw new PipelineError(`${ref} has no spec/ folder to compare with. Pick a later ref, or use --base-file.`);
    }
    return { label: ref, document: await bundleInProcess(join(scratch, 'spec', 'openapi.yaml')) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A spec in a file: a bundled JSON or YAML document, or the root of a split spec. */
export async function loadFile(file: string, option = '--base-file'): Promise<Baseline> {
  if (!existsSync(file)) throw new PipelineError(`No spec at ${file}. Pass the path of an OpenAPI document with ${option}.`);
  const text = readFileSync(file, 'utf8');
  const document = (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as Document & { openapi?: string; swagger?: string };
  // A Swagger 2.0 document is refused by compareSpecs, with what to do.
  if (!document?.openapi && !document?.swagger) throw new PipelineError(`${file} is not an OpenAPI document (it has no "openapi" field).`);
  const split = text.includes('$ref: ./') || text.includes('$ref: ../') || text.includes('"$ref": "./');
  return { label: file, document: split ? await bundleInProcess(file) : document };
}

/** What to compare with when nothing is named: the latest release, else the last commit. */
export async function defaultBaseline(): Promise<Baseline> {
  const latest = releasedVersions().at(-1);
  return latest ? loadRelease(latest) : loadGitRef('HEAD');
}
