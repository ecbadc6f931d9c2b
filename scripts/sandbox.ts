import { join } from 'node:path';
import { parseSandboxArgs, type SandboxCliOptions, sandboxUsage } from '../sandbox/cli-options.ts';
import { startSandbox, type StartSandboxOptions } from '../sandbox/start.ts';
import { bundleSpec } from './lib/bundle.ts';
import { runMain } from './lib/cli.ts';
import { distDir } from './lib/paths.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage = `Usage: npm run sandbox -- ${sandboxUsage}`;

runMain(async () => {
  let parsed: SandboxCliOptions;
  try {
    parsed = parseSandboxArgs(process.argv.slice(2), { port: process.env.PORT ?? '4010' });
  } catch (error) {
    throw new PipelineError(`${(error as Error).message}\n${usage}`);
  }
  const options: StartSandboxOptions = {
    spec: join(distDir, 'openapi.json'),
    output: 'inherit',
    prismArgs: ['--verboseLevel', 'info'],
    readyTimeoutMs: 180_000,
    faults: parsed.faults,
    prism: !parsed.noPrism,
  };
  for (const key of ['port', 'seed', 'count', 'dataFile', 'lifecycleScale'] as const) {
    if (parsed[key] !== undefined) Object.assign(options, { [key]: parsed[key] });
  }
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
