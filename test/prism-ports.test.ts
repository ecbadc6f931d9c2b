import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, inject, it } from 'vitest';
import { startPrism } from '../scripts/lib/prism.ts';

it('never takes another server on its port for the Prism it started', async () => {
  // Any HTTP server answers a readiness poll; only the Prism we spawned may count as ready.
  const squatter = createServer((_request, response) => response.end('not prism'));
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const { port } = squatter.address() as AddressInfo;
  try {
    await expect(startPrism({ spec: inject('specFile'), port })).rejects.toThrow(`Port ${port} was taken before Prism could bind it.`);
  } finally {
    squatter.close();
  }
});
