import { parseArgs } from 'node:util';
import { runMain } from './lib/cli.ts';
import { DevLoop } from './lib/dev/loop.ts';
import { distDir, specRoot } from './lib/paths.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage = 'Usage: npm run dev -- [--port 4000] [--mock-port 4010] [--sandbox-port 4011] [--no-client]';

/** `npm run dev`: the maintainer's loop (scripts/lib/dev/loop.ts). Ctrl+C stops it. */
runMain(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '4000' },
        'mock-port': { type: 'string', default: '4010' },
        'sandbox-port': { type: 'string', default: '4011' },
        'no-client': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new PipelineError(`${(error as Error).message}\n${usage}`);
  }
  const port = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new PipelineError(`--${name} must be a whole number from 0 to 65535, not "${value}".\n${usage}`);
    return n;
  };
  const loop = await DevLoop.start({
    spec: specRoot,
    distDir,
    previewPort: port('port', values.port),
    mockPort: port('mock-port', values['mock-port']),
    sandboxPort: port('sandbox-port', values['sandbox-port']),
    buildClient: !values['no-client'],
    log: (line) => console.log(line),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new PipelineError(`A port is taken (${error.message}). Stop what uses it, or pick others: ${usage}`);
    throw error;
  });
  console.log(
    `\nWatching ${specRoot} (Ctrl+C to stop):\n` +
      `  reference  ${loop.preview.url}  (open it: it reloads on each save, and shows lint failures)\n` +
      `  mock       ${loop.mock.url}  (Prism with the spec's examples: curl -H 'Authorization: Bearer metorial_sk_test' ${loop.mock.url}/runs)\n` +
      `  sandbox    ${loop.sandbox.url}  (the sandbox, behaving like the API; its data go back to the seed on each save)\n`,
  );
  const stop = () => void loop.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
