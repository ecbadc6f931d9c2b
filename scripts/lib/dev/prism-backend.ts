import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import type { Backend } from './hot-swap.ts';

const require = createRequire(import.meta.url);

interface PrismServer {
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Prism's mock of the bundled spec at `specFile`, in this process (the same packages `prism mock`
 * runs, with our patches), on a free port of 127.0.0.1: static answers from the spec's examples,
 * requests and answers validated, security checked, as `npm run mock` serves them.
 */
export async function startPrismBackend(specFile: string): Promise<Backend> {
  const { getHttpOperationsFromSpec } = require('@stoplight/prism-http') as { getHttpOperationsFromSpec(file: string): Promise<unknown[]> };
  const { createServer } = require('@stoplight/prism-http-server') as { createServer(operations: unknown[], options: object): PrismServer };
  const { createLogger } = require('@stoplight/prism-core') as { createLogger(name: string, options: object, destination: NodeJS.WritableStream): { child(o: object): unknown } };
  const operations = await getHttpOperationsFromSpec(specFile);
  const discard = new PassThrough();
  discard.resume();
  const logger = createLogger('CLI', { level: 'error' }, discard);
  const server = createServer(operations, {
    cors: true,
    config: {
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: false,
      upstreamProxy: undefined,
      mock: { dynamic: false, ignoreExamples: false },
      isProxy: false,
    },
    components: { logger: logger.child({ name: 'HTTP SERVER' }) },
  });
  const address = await server.listen(0, '127.0.0.1');
  return { port: Number(new URL(address).port), close: () => server.close() };
}
