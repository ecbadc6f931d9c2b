import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox, type StartSandboxOptions } from '../sandbox/start.ts';
import { bundleSpec } from './lib/bundle.ts';
import { runMain } from './lib/cli.ts';
import { distDir } from './lib/paths.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage =
  'Usage: npm run sandbox -- [--port 4010] [--seed 1] [--count 100] [--data-file sandbox-state.json]\n' +
  '         [--latency-ms N] [--fault 429|500|503] [--fault-rate 0..1] [--retry-after S] [--lifecycle-scale 1] [--no-prism]';

function wholeNumber(name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new PipelineError(`--${name} takes a whole number from 0 to ${max}, not "${value}".\n${usage}`);
  return Number(value);
}

runMain(async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4010' },
      seed: { type: 'string' },
      count: { type: 'string' },
      'data-file': { type: 'string' },
      'latency-ms': { type: 'string' },
      fault: { type: 'string' },
      'fault-rate': { type: 'string' },
      'retry-after': { type: 'string' },
      'lifecycle-scale': { type: 'string' },
      'no-prism': { type: 'boolean', default: false },
    },
  });
  const options: StartSandboxOptions = { spec: join(distDir, 'openapi.json'), output: 'inherit', prismArgs: ['--verboseLevel', 'info'], readyTimeoutMs: 180_000 };
  const port = wholeNumber('port', values.port, 65_535);
  if (port !== undefined) options.port = port;
  const seed = wholeNumber('seed', values.seed);
  if (seed !== undefined) options.seed = seed;
  const count = wholeNumber('count', values.count, 1_000_000);
  if (count !== undefined) {
    if (count < 1) throw new PipelineError(`--count takes 1 or more.\n${usage}`);
    options.count = count;
  }
  if (values['data-file']) options.dataFile = values['data-file'];
  options.faults = {};
  const latency = wholeNumber('latency-ms', values['latency-ms'], 120_000);
  if (latency !== undefined) options.faults.latencyMs = latency;
  if (values.fault !== undefined) {
    if (!['429', '500', '503'].includes(values.fault)) throw new PipelineError(`--fault takes 429, 500 or 503, not "${values.fault}".\n${usage}`);
    options.faults.status = Number(values.fault) as 429 | 500 | 503;
  }
  if (values['fault-rate'] !== undefined) {
    const rate = Number(values['fault-rate']);
    if (!(rate >= 0 && rate <= 1) || values['fault-rate'].trim() === '') throw new PipelineError(`--fault-rate takes a share from 0 to 1, not "${values['fault-rate']}".\n${usage}`);
    options.faults.rate = rate;
  }
  const retryAfter = wholeNumber('retry-after', values['retry-after'], 86_400);
  if (retryAfter !== undefined) options.faults.retryAfterSeconds = retryAfter;
  if (values['lifecycle-scale'] !== undefined) {
    const scale = Number(values['lifecycle-scale']);
    if (!(scale >= 0) || values['lifecycle-scale'].trim() === '') throw new PipelineError(`--lifecycle-scale takes a number of 0 or more, not "${values['lifecycle-scale']}".\n${usage}`);
    options.lifecycleScale = scale;
  }
  if (values['no-prism']) options.prism = false;

  await bundleSpec();
  const sandbox = await startSandbox(options);
  console.log(
    `\nMetorial API sandbox at ${sandbox.url}${options.prism === false ? '' : ' (Prism validating every request and answer)'}\n` +
      `  curl -H 'Authorization: Bearer metorial_sk_test' ${sandbox.url}/provider-runs?limit=2\n` +
      `  createClient({ apiKey: 'metorial_sk_test', baseUrl: '${sandbox.url}' })\n` +
      `  Each API key gets its own data, copied from the seed. Reset a key's data:\n` +
      `  curl -X POST -H 'Authorization: Bearer metorial_sk_test' ${sandbox.directUrl}/_sandbox/reset\n` +
      'Press Ctrl+C to stop.',
  );
  const shutdown = () => void sandbox.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
});
