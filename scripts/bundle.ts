import { bundleSpec } from './lib/bundle.ts';
import { elapsed, runMain } from './lib/cli.ts';

runMain(async () => {
  const started = performance.now();
  await bundleSpec();
  console.log(`✔ bundle: dist/openapi.yaml and dist/openapi.json (${elapsed(started)})`);
});
