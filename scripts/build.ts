import { join } from 'node:path';
import { bundleSpecDocument, writeBundle } from './lib/bundle.ts';
import { writeChangelog } from './lib/changelog.ts';
import { buildClientPackage } from './lib/client-package.ts';
import { elapsed, runMain } from './lib/cli.ts';
import { renderReference } from './lib/docs.ts';
import { writeGeneratedFiles } from './lib/generated.ts';
import { lintSpec } from './lib/lint.ts';
import { distDir, specRoot } from './lib/paths.ts';

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`✔ ${name} (${elapsed(started)})`);
  return result;
}

/**
 * Everything derived from the spec. Lint and bundle run side by side, but nothing is written until
 * lint has passed; then the reference and the types are
 * made side by side from the one bundle, and the client package is built from the types.
 */
runMain(async () => {
  const started = performance.now();
  const bundle = bundleSpecDocument();
  const [, document] = await Promise.all([
    step('lint: no errors, no warnings (Redocly, OWASP ruleset)', () => lintSpec(specRoot)),
    step('bundle', () => bundle),
  ]);
  writeBundle(document);
  console.log('✔ wrote dist/openapi.yaml, dist/openapi.json');
  await Promise.all([
    step('docs: dist/index.html', () => renderReference(join(distDir, 'openapi.json'), join(distDir, 'index.html'))),
    step('types: generated/schema.d.ts', () => writeGeneratedFiles(document)).then(() =>
      step('client package: client/dist', () => buildClientPackage()),
    ),
    step('changelog: dist/changelog.html, dist/CHANGELOG.md', async () => writeChangelog(document, distDir)),
  ]);
  console.log(`Built everything from spec/openapi.yaml in ${elapsed(started)}.`);
});
