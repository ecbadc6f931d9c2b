import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceDirectoryAtomic } from '../../scripts/lib/atomic-write.ts';
import { buildClientPackage } from '../../scripts/lib/client-package.ts';
import { copyClientPackageFiles } from '../../scripts/lib/client-package-files.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { PipelineError } from '../../scripts/lib/run-tool.ts';

/**
 * Issue 22, item 11: the client package's dist/ is replaced only by a whole, successful build. A
 * failing build (a syntax error, an import that does not resolve) and an interrupted one (SIGINT
 * midway) leave the previous dist/ file for file, say what failed in one sentence, and leave no
 * staging folder behind for long.
 */
const scratch = mkdtempSync(join(tmpdir(), 'metorial-client-dist-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package folder whose dist/ holds 12 files of a previous build (marked, so any change shows). */
function packageWithPreviousDist(name: string): { dir: string; dist: string; before: Map<string, string> } {
  const dir = join(scratch, name);
  copyClientPackageFiles(dir);
  const dist = join(dir, 'dist');
  mkdirSync(dist, { recursive: true });
  const before = new Map<string, string>();
  for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'validation.js', 'validation.cjs', 'validation.d.ts', 'validation.d.cts', 'a.js', 'b.js', 'c.js', 'd.js']) {
    const content = `previous build of ${file}\n`;
    writeFileSync(join(dist, file), content);
    before.set(file, content);
  }
  return { dir, dist, before };
}

function filesOf(dist: string): Map<string, string> {
  return new Map(readdirSync(dist).map((file) => [file, readFileSync(join(dist, file), 'utf8')]));
}

const leftovers = (dir: string) => readdirSync(dir).filter((entry) => /^\.dist\.(staging|old)-/.test(entry));

describe('a failing build leaves the previous dist/ and says why in one sentence', () => {
  it.each([
    ['a syntax error', 'export const a = 1;\nexport function f( {\n', /bad\.ts:2:\d+: Expected `?}`? but found `?EOF`? \(PARSE_ERROR\)/],
    ['an import that does not resolve', "export { x } from './does-not-exist.ts';\n", /bad\.ts:1:\d+: .*does-not-exist\.ts.* \(UNRESOLVED_IMPORT\)/],
    // The declarations are made from each file alone: an export whose type only a compiler could infer is refused, at its place.
    ['an export whose type is not written out', 'export const a = 1;\nexport function later(at = Date.now()) {\n  return at;\n}\n', /bad\.ts:2:\d+: [^(]*must have an explicit (return )?type annotation with --isolatedDeclarations \(TS90\d\d\); write its type out there/],
  ])('%s', { timeout: 300_000 }, async (_, source, says) => {
    const { dir, dist, before } = packageWithPreviousDist(`failing-${source.length}`);
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, source);
    const error = await buildClientPackage(dir, { entry: { index: bad } }).then(
      () => {
        throw new Error('expected the build to fail');
      },
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(PipelineError);
    expect(error.message).toMatch(says);
    expect(error.message).toMatch(/^Could not build the client package: [^\n]*\. \S*dist is unchanged\.$/);
    expect(error.message).not.toMatch(/Getter|\u001b\[/);
    expect(filesOf(dist)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('an interrupted build leaves the previous dist/', () => {
  // A build takes seconds on a quiet machine and minutes on a loaded one: the timeouts catch hangs only.
  it('SIGINT while `npm run build:client` is building: dist/ is as it was, the next build clears the leftover', { timeout: 300_000 }, async () => {
    const { dir, dist, before } = packageWithPreviousDist('interrupted');
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'build-client.ts')], {
      cwd: repoRoot,
      env: { ...process.env, METORIAL_CLIENT_DIR: dir },
      stdio: 'ignore',
    });
    const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      // Midway: the build has started (its staging folder exists), where tsdown's clean used to empty dist/.
      const deadline = Date.now() + 280_000;
      while (!leftovers(dir).some((entry) => entry.startsWith('.dist.staging-'))) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error('the build ended or stalled before it started');
        await sleep(20);
      }
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
    } finally {
      child.kill('SIGKILL');
    }
    expect(filesOf(dist)).toEqual(before);
    await replaceDirectoryAtomic(join(dir, 'dist-other'), async () => {});
    await replaceDirectoryAtomic(dist, async (staging) => writeFileSync(join(staging, 'index.js'), 'new\n'));
    expect(leftovers(dir)).toEqual([]);
    expect(filesOf(dist)).toEqual(new Map([['index.js', 'new\n']]));
  });

  it('puts back a dist/ left aside between the two renames by a process that died', async () => {
    const { dir, dist, before } = packageWithPreviousDist('between-renames');
    // A pid that is not running: the process that moved dist/ aside died before moving the new one in.
    const aside = join(dir, '.dist.old-999999999-1');
    cpSync(dist, aside, { recursive: true });
    rmSync(dist, { recursive: true });
    await replaceDirectoryAtomic(dist, async () => {
      expect(filesOf(dist)).toEqual(before);
      throw new Error('this build fails');
    }).catch(() => {});
    expect(existsSync(aside)).toBe(false);
    expect(filesOf(dist)).toEqual(before);
  });
});
