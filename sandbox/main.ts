/**
 * The sandbox server as a process of its own (startSandbox runs it; so can you):
 *   node --import tsx sandbox/main.ts --spec dist/openapi.json [--port 0] [--seed 1] [--count 100]
 *     [--data-file state.json] [--latency-ms N] [--fault 429|500|503] [--fault-rate 0.1] [--lifecycle-scale 1]
 * Prints one JSON line, `{"url": "http://127.0.0.1:PORT"}`, once it listens; stops on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { faultStatuses, type FaultOptions, type FaultStatus } from './faults.ts';
import { attachPersistence } from './persistence.ts';
import { createSandboxServer } from './server.ts';

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(2);
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} takes a whole number, not ${JSON.stringify(value)}.`);
  return Number(value);
}

function share(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number >= 0 && number <= 1) || value.trim() === '') fail(`--${name} takes a share from 0 to 1, not ${JSON.stringify(value)}.`);
  return number;
}

const { values } = parseArgs({
  options: {
    spec: { type: 'string' },
    port: { type: 'string' },
    seed: { type: 'string' },
    count: { type: 'string' },
    'data-file': { type: 'string' },
    'latency-ms': { type: 'string' },
    fault: { type: 'string' },
    'fault-rate': { type: 'string' },
    'retry-after': { type: 'string' },
    'lifecycle-scale': { type: 'string' },
  },
});
if (!values.spec) fail('--spec <bundled openapi.json> is required.');
let document: unknown;
try {
  document = JSON.parse(readFileSync(values.spec, 'utf8'));
} catch (error) {
  fail(`cannot read the spec ${values.spec}: ${(error as Error).message}. Run \`npm run bundle\` first.`);
}
const faults: FaultOptions = {};
if (values['latency-ms'] !== undefined) faults.latencyMs = wholeNumber('latency-ms', values['latency-ms'], 0);
if (values.fault !== undefined) {
  const status = Number(values.fault) as FaultStatus;
  if (!faultStatuses.includes(status)) fail(`--fault takes ${faultStatuses.join(', ')}, not ${JSON.stringify(values.fault)}.`);
  faults.status = status;
}
const rate = share('fault-rate', values['fault-rate']);
if (rate !== undefined) faults.rate = rate;
if (values['retry-after'] !== undefined) faults.retryAfterSeconds = wholeNumber('retry-after', values['retry-after'], 1);
const scale = values['lifecycle-scale'] === undefined ? 1 : Number(values['lifecycle-scale']);
if (!(scale >= 0)) fail(`--lifecycle-scale takes a number of 0 or more, not ${JSON.stringify(values['lifecycle-scale'])}.`);

try {
  const sandbox = createSandboxServer({
    document: document as never,
    seed: wholeNumber('seed', values.seed, 1),
    count: wholeNumber('count', values.count, 100),
    faults,
    lifecycleScale: scale,
  });
  if (values['data-file']) attachPersistence(sandbox.engine, values['data-file']);
  const url = await sandbox.listen(wholeNumber('port', values.port, 0));
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  fail((error as Error).message);
}
