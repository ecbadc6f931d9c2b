import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleSpec } from './lib/bundle.ts';
import { runMain } from './lib/cli.ts';
import { distDir } from './lib/paths.ts';
import { startPrism } from './lib/prism.ts';
import { PipelineError } from './lib/run-tool.ts';
import { stopWhenLauncherGoes } from './lib/tied-child.ts';

const usage = 'Usage: npm run mock -- [--port 4010] [--dynamic] [--seed N]';

runMain(async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4010' },
      dynamic: { type: 'boolean', default: false },
      seed: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new PipelineError(`--port must be a whole number from 0 to 65535, not "${values.port}".\n${usage}`);
  }
  await bundleSpec();
  const extra = values.dynamic ? ['--dynamic', '--json-schema-faker-fillProperties=false'] : [];
  if (values.seed) extra.push('--seed', values.seed);
  const prism = await startPrism({ spec: join(distDir, 'openapi.json'), port, args: extra, output: 'inherit' });
  console.log(
    `\nMetorial API mock (Prism) at ${prism.url}\n` +
      `  curl -H 'Authorization: Bearer metorial_sk_test' ${prism.url}/provider-runs\n` +
      `  createClient({ apiKey: 'metorial_sk_test', baseUrl: '${prism.url}' })\n` +
      'Press Ctrl+C to stop.',
  );
  const shutdown = () => void prism.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.once('SIGHUP', shutdown);
  // Killing npm's pid (`kill <pid of npm run mock>`) signals neither this process nor Prism.
  stopWhenLauncherGoes(shutdown);
});
