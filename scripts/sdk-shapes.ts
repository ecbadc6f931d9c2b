import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from './lib/atomic-write.ts';
import { elapsed, runMain } from './lib/cli.ts';
import { PipelineError } from './lib/run-tool.ts';
import { type SdkShapes, sdkShapesDir, shapesOfCommit, shapesOfPackage } from './lib/sdk-shapes/extract.ts';

const usage = [
  'Usage: npm run sdk:shapes -- --name <name> --package <folder of an installed @metorial/generated>',
  '   or: npm run sdk:shapes -- --name <name> --git <git dir of metorial/metorial-node> --commit <sha> [--api-folder sdk/gen/src/mt_2026_01_01_magnetar]',
].join('\n');

/**
 * Reads the answer types of a vendor SDK release (installed, or a commit of its source repository)
 * and writes them as wire JSON Schemas to test/fixtures/sdk-shapes/<name>.json.
 */
runMain(async () => {
  const started = performance.now();
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        name: { type: 'string' },
        package: { type: 'string' },
        git: { type: 'string' },
        commit: { type: 'string' },
        repository: { type: 'string', default: 'metorial/metorial-node' },
        'api-folder': { type: 'string', default: 'sdk/gen/src/mt_2026_01_01_magnetar' },
      },
    }));
  } catch (error) {
    throw new PipelineError(`${(error as Error).message}\n${usage}`);
  }
  if (!values.name || !/^[a-z0-9][a-z0-9.-]*$/.test(values.name)) throw new PipelineError(`--name must be a short file name such as magnetar-2026-06-09.\n${usage}`);
  if (Boolean(values.package) === Boolean(values.git)) throw new PipelineError(`Pass either --package or --git.\n${usage}`);
  if (values.git && !values.commit) throw new PipelineError(`--git needs --commit.\n${usage}`);
  const shapes: SdkShapes = values.package
    ? shapesOfPackage(values.name, values.package)
    : shapesOfCommit(values.name, { gitDir: values.git!, commit: values.commit!, repository: values.repository!, apiFolder: values['api-folder']! });
  const file = join(sdkShapesDir, `${values.name}.json`);
  writeFileAtomic(file, `${JSON.stringify(shapes, null, 2)}\n`);
  console.log(`✔ sdk:shapes: ${Object.keys(shapes.answers).length} answers, ${Object.keys(shapes.queries).length} queries${shapes.error ? ', the error body' : ''} → ${file} (${elapsed(started)})`);
});
