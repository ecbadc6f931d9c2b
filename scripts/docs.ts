import { join } from 'node:path';
import { bundleSpec } from './lib/bundle.ts';
import { writeChangelog } from './lib/changelog.ts';
import { elapsed, runMain } from './lib/cli.ts';
import { renderReference } from './lib/docs.ts';
import { distDir } from './lib/paths.ts';

runMain(async () => {
  const started = performance.now();
  const document = await bundleSpec();
  await renderReference(join(distDir, 'openapi.json'), join(distDir, 'index.html'));
  // The reference links to the changelog beside it.
  writeChangelog(document, distDir);
  console.log(`✔ docs: dist/index.html, a self-contained reference that works offline, and its changelog (${elapsed(started)})`);
});
