import type { OpenAPI3 } from 'openapi-typescript';
import { createSandboxServer } from '../../../sandbox/server.ts';
import type { Backend } from './hot-swap.ts';

/**
 * The sandbox (sandbox/README.md) of a bundled spec, in this process, on a free port of 127.0.0.1,
 * with its default seed: a rebuild starts it afresh, so its data go back to the seed on each save.
 */
export async function startSandboxBackend(document: OpenAPI3): Promise<Backend> {
  const sandbox = createSandboxServer({ document });
  const url = await sandbox.listen(0);
  return { port: Number(new URL(url).port), close: () => sandbox.close() };
}
