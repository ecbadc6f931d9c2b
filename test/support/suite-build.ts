import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { copyClientPackageFiles } from '../../scripts/lib/client-package-files.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { spawnTiedChild } from '../../scripts/lib/tied-child.ts';

/** Where one `npm run build` of the suite writes, instead of the repository's dist/, generated/ and client/. */
export interface SuiteBuildDirs {
  dist: string;
  generated: string;
  /** A copy of client/ (package.json, README, validation/) with the package built into its dist/. */
  client: string;
}

const suiteBuildDirs = (root: string): SuiteBuildDirs => ({ dist: join(root, 'dist'), generated: join(root, 'generated'), client: join(root, 'client') });

/** The build's environment: the same command users run, pointed at `root` so it leaves the working tree alone. */
function buildEnvironment(root: string): NodeJS.ProcessEnv {
  const dirs = suiteBuildDirs(root);
  return { ...process.env, METORIAL_DIST_DIR: dirs.dist, METORIAL_GENERATED_DIR: dirs.generated, METORIAL_CLIENT_DIR: dirs.client };
}

/**
 * Starts the suite's one build (scripts/build.ts, as `npm run build` runs it) into `root`, in the
 * background, so that tests which only read its output share it. Its output goes to `build.log`;
 * when it ends, `build-status.json` holds its exit code. Stopped with the run (see spawnTiedChild).
 */
export function startSuiteBuild(root: string): { stop(): Promise<void> } {
  // The hand-written files of client/, for the build to put the package beside.
  copyClientPackageFiles(suiteBuildDirs(root).client);
  const log = openSync(join(root, 'build.log'), 'w');
  const child = spawnTiedChild(['--import', 'tsx', join(repoRoot, 'scripts', 'build.ts')], 'capture', buildEnvironment(root));
  child.stdout!.on('data', (chunk: Buffer) => writeFileSync(log, chunk));
  child.stderr!.on('data', (chunk: Buffer) => writeFileSync(log, chunk));
  // 'close', not 'exit': by then all of its output is in the log.
  const exited = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      closeSync(log);
      writeFileSync(join(root, 'build-status.json'), JSON.stringify({ code, signal }));
      resolve();
    }),
  );
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Waits for the suite's build (started by the global setup) and returns where it wrote and what it
 * printed; throws with its output if it failed. `again` is a second build of the same sources,
 * started beside the first, which only the test of the build's reproducibility reads. Waits for the
 * build to end, however long a loaded machine takes, up to `timeoutMs`.
 */
export async function suiteBuild(which: 'first' | 'again' = 'first', timeoutMs = 240_000): Promise<SuiteBuildDirs & { output: string }> {
  const root = which === 'first' ? inject('suiteBuildDir') : inject('suiteBuildAgainDir');
  if (root === undefined) throw new Error('Only the e2e project builds (vitest.config.ts): list this test file in endToEndFiles, or run it with `npm run test:e2e`.');
  const status = join(root, 'build-status.json');
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(status)) {
    if (Date.now() > deadline) throw new Error(`The suite's build did not end within ${timeoutMs} ms; its output so far:\n${readFileSync(join(root, 'build.log'), 'utf8')}`);
    await sleep(100);
  }
  const { code, signal } = JSON.parse(readFileSync(status, 'utf8')) as { code: number | null; signal: string | null };
  const output = readFileSync(join(root, 'build.log'), 'utf8');
  if (code !== 0) throw new Error(`The suite's build (npm run build) failed (${code ?? signal}):\n${output}`);
  return { ...suiteBuildDirs(root), output };
}
