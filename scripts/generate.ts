import { bundleSpecDocument } from './lib/bundle.ts';
import { elapsed, runMain } from './lib/cli.ts';
import { findStaleGeneratedFiles, staleMessage, writeGeneratedFiles } from './lib/generated.ts';
import { PipelineError } from './lib/run-tool.ts';

const checkOnly = process.argv.includes('--check');

runMain(async () => {
  const started = performance.now();
  const document = await bundleSpecDocument();
  if (checkOnly) {
    const stale = await findStaleGeneratedFiles(document);
    if (stale.length > 0) throw new PipelineError(staleMessage(stale));
    console.log(`✔ generated/ is up to date with the spec (${elapsed(started)})`);
    return;
  }
  const written = await writeGeneratedFiles(document);
  console.log(`✔ generate: ${written.join(', ')} (${elapsed(started)})`);
});
