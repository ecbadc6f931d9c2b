import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleSpec } from '../../scripts/lib/bundle.ts';
import { startPrism } from '../../scripts/lib/prism.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled spec the suite tests, as JSON. */
    specFile: string;
    /** The Prism mock serving that spec, on 127.0.0.1 and a free port. */
    mockUrl: string;
    /** The process id of that Prism, to read its memory. */
    mockPid: number;
  }
}

/**
 * Bundles the spec into a scratch folder and starts one Prism for the whole run. Prism is stopped
 * in teardown; if the run is interrupted instead, the exit hook and the parent-death signal set by
 * startPrism stop it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-test-'));
  await bundleSpec(scratch);
  const specFile = join(scratch, 'openapi.json');
  const prism = await startPrism({ spec: specFile, args: ['--verboseLevel', 'warn'] });
  project.provide('specFile', specFile);
  project.provide('mockUrl', prism.url);
  project.provide('mockPid', prism.pid);
  return async () => {
    await prism.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
