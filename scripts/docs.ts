import { join } from 'node:path';
import { bundleSpec } from './lib/bundle.ts';
import { elapsed, runMain } from './lib/cli.ts';
import { renderReference } from './lib/docs.ts';
import { distDir } from './lib/paths.ts';

runMain(async () => {
  const started = performance.now();
  await bundleSpec();
  await renderReference(join(distDir, 'openapi.json'), join(distDir, 'index.html'));
  console.log(`✔ docs: dist/index.html, a self-contained reference that works offline (${elapsed(started)})`);
});
