import { join } from 'node:path';
import { writeFileAtomic } from './lib/atomic-write.ts';
import { bundleSpecDocument, writeBundle } from './lib/bundle.ts';
import { renderChangelogFiles } from './lib/changelog.ts';
import { buildClientPackage } from './lib/client-package.ts';
import { elapsed, runMain } from './lib/cli.ts';
import { renderReferencePage } from './lib/docs.ts';
import { renderGeneratedFiles } from './lib/generated.ts';
import { lintSpec } from './lib/lint.ts';
import { distDir, specRoot } from './lib/paths.ts';
import { checkSpecSources } from './lib/spec-sources.ts';

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`✔ ${name} (${elapsed(started)})`);
  return result;
}

/** Resolves when every promise has settled; then rejects with the first rejection in the order given. */
async function settleAll(promises: Array<Promise<unknown>>): Promise<void> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Everything derived from the spec. Lint runs from the start (Spectral in a worker thread, Redocly
 * in its CLI); as soon as the bundle is ready, the reference, the types, the changelog and the
 * client package are made from it beside lint, in memory and in the client's staging folder. Nothing
 * is written until lint has passed: then the files are written and the client's dist/ swapped in. A
 * lint failure is reported first, whatever else failed.
 */
runMain(async () => {
  const started = performance.now();
  // Lint and bundle read the same files: their safety check runs once, for both.
  const sourcesChecked = checkSpecSources(specRoot);
  const lint = step('lint: no errors, no warnings (Redocly, OWASP ruleset)', () => lintSpec(specRoot, { sourcesChecked, spectralInWorker: true }));
  const bundled = step('bundle', () => bundleSpecDocument(specRoot, sourcesChecked));
  const generated = bundled.then((document) => step('types: generated/schema.d.ts', () => renderGeneratedFiles(document)));
  const page = bundled.then((document) => step('docs: dist/index.html', () => renderReferencePage(document)));
  const changelog = bundled.then((document) => renderChangelogFiles(document, distDir));
  const written = Promise.all([lint, bundled, generated, page, changelog]).then(([, document, files, html, changelogFiles]) =>
    step('wrote dist/ (bundle, reference, changelog) and generated/', async () => {
      writeBundle(document);
      writeFileAtomic(join(distDir, 'index.html'), html);
      for (const [path, content] of [...files, ...changelogFiles]) writeFileAtomic(path, content);
    }),
  );
  const client = generated.then((files) => step('client package: client/dist', () => buildClientPackage(undefined, {}, { generatedFiles: files, replaceAfter: written })));
  await settleAll([lint, bundled, generated, page, changelog, written, client]);
  console.log(`Built everything from spec/openapi.yaml in ${elapsed(started)}.`);
});
