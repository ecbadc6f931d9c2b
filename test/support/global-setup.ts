import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleSpec } from '../../scripts/lib/bundle.ts';
import { startPrism } from '../../scripts/lib/prism.ts';
import { startSandbox } from '../../sandbox/start.ts';
import { startSuiteBuild } from './suite-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled spec the suite tests, as JSON. */
    specFile: string;
    /** The Prism mock serving that spec, on 127.0.0.1 and a free port. */
    mockUrl: string;
    /** The process id of that Prism, to read its memory. */
    mockPid: number;
    /** Where the run's one `npm run build` writes (see suite-build.ts); wait for it with suiteBuild(). Only the `e2e` project builds. */
    suiteBuildDir?: string;
    /** Where a second build of the same sources writes, for the reproducibility check: suiteBuild('again'). Only in `e2e`. */
    suiteBuildAgainDir?: string;
    /** The sandbox (sandbox/README.md) behind Prism's validating proxy: call the API here. Seed 1, 100 objects a resource. */
    sandboxUrl: string;
    /** The same sandbox without Prism: its control routes (`/_sandbox/reset`) are only here. */
    sandboxDirectUrl: string;
    /** The sandbox process's id, to read its memory. */
    sandboxPid: number;
  }
}

/**
 * For the `e2e` project (vitest.config.ts), starts the build in the background (tests that only read its
 * output share it), and a second one beside it for the reproducibility check; for both projects, bundles
 * the spec into a scratch folder and starts one Prism mock and one sandbox (behind Prism's proxy) for the whole run. Prism and the builds are stopped in teardown; if the run is
 * interrupted instead, the exit hook and the parent-death signal set by spawnTiedChild stop them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-test-'));
  const buildDir = join(scratch, 'build');
  const buildAgainDir = join(scratch, 'build-again');
  const withBuild = project.name === 'e2e';
  // Side by side from the start: the check that building again writes the same files then waits for
  // one build's time, not two in a row.
  const builds: ReturnType<typeof startSuiteBuild>[] = [];
  if (withBuild) {
    for (const dir of [buildDir, buildAgainDir]) {
      mkdirSync(dir);
      builds.push(startSuiteBuild(dir));
    }
  }
  await bundleSpec(scratch);
  const specFile = join(scratch, 'openapi.json');
  // Generous: with the builds beside them on a loaded machine, starting has taken over a minute.
  const readyTimeoutMs = 180_000;
  const [mocked, sandboxed] = await Promise.allSettled([
    startPrism({ spec: specFile, args: ['--verboseLevel', 'warn'], readyTimeoutMs }),
    startSandbox({ spec: specFile, readyTimeoutMs }),
  ]);
  if (mocked.status === 'rejected' || sandboxed.status === 'rejected') {
    // Whatever did start is stopped, or the run would hang on it after reporting the failure.
    await Promise.all([mocked.status === 'fulfilled' && mocked.value.stop(), sandboxed.status === 'fulfilled' && sandboxed.value.stop(), ...builds.map((b) => b.stop())]);
    throw mocked.status === 'rejected' ? mocked.reason : (sandboxed as PromiseRejectedResult).reason;
  }
  const [prism, sandbox] = [mocked.value, sandboxed.value];
  project.provide('specFile', specFile);
  project.provide('mockUrl', prism.url);
  project.provide('mockPid', prism.pid);
  if (withBuild) {
    project.provide('suiteBuildDir', buildDir);
    project.provide('suiteBuildAgainDir', buildAgainDir);
  }
  project.provide('sandboxUrl', sandbox.url);
  project.provide('sandboxDirectUrl', sandbox.directUrl);
  project.provide('sandboxPid', sandbox.pid);
  return async () => {
    await Promise.all([prism.stop(), sandbox.stop(), ...builds.map((build) => build.stop())]);
    rmSync(scratch, { recursive: true, force: true });
  };
}
