/**
 * The sandbox server as a process of its own (startSandbox runs it; so can you):
 *   node --import tsx sandbox/main.ts --spec dist/openapi.json [--port 0] [--seed 1] [--count 100]
 *     [--data-file state.json] [--latency-ms N] [--fault 429|500|503] [--fault-rate 0.1] [--lifecycle-scale 1]
 * Prints one JSON line, `{"url": "http://127.0.0.1:PORT"}`, once it listens; stops on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseSandboxArgs, type SandboxCliOptions, sandboxUsage } from './cli-options.ts';
import { attachPersistence } from './persistence.ts';
import { createSandboxServer } from './server.ts';

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(2);
}

let options: SandboxCliOptions;
try {
  options = parseSandboxArgs(process.argv.slice(2));
} catch (error) {
  fail(`${(error as Error).message}\nUsage: node --import tsx sandbox/main.ts --spec <openapi.json> ${sandboxUsage}`);
}
if (!options.spec) fail('--spec <bundled openapi.json> is required.');
let document: unknown;
try {
  document = JSON.parse(readFileSync(options.spec, 'utf8'));
} catch (error) {
  fail(`cannot read the spec ${options.spec}: ${(error as Error).message}. Run \`npm run bundle\` first.`);
}

try {
  const sandbox = createSandboxServer({
    document: document as never,
    faults: options.faults,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.lifecycleScale === undefined ? {} : { lifecycleScale: options.lifecycleScale }),
  });
  if (options.dataFile) attachPersistence(sandbox.engine, options.dataFile);
  const url = await sandbox.listen(options.port ?? 0);
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  fail((error as Error).message);
}
