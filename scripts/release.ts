import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from './lib/atomic-write.ts';
import { releasedVersions, releasesDir } from './lib/breaking/baseline.ts';
import { bundleSpecSource, withoutLintWaivers } from './lib/bundle.ts';
import { runMain } from './lib/cli.ts';
import { repoRoot } from './lib/paths.ts';
import { PipelineError } from './lib/run-tool.ts';

/**
 * Records a release: the bundled spec as `releases/<info.version>.json`. Later specs are compared
 * with it (`npm run breaking`), and the changelog lists the changes between releases.
 */
runMain(async () => {
  const document = withoutLintWaivers(await bundleSpecSource());
  const version = document.info?.version;
  if (!version || !/^\d+\.\d+\.\d+/.test(version)) throw new PipelineError(`info.version in spec/openapi.yaml must be a semantic version such as 1.2.0, not "${version}".`);
  const file = join(releasesDir, `${version}.json`);
  if (existsSync(file)) throw new PipelineError(`${version} is already released (${relative(repoRoot, file)}). Raise info.version in spec/openapi.yaml first.`);
  const latest = releasedVersions().at(-1);
  mkdirSync(releasesDir, { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`Released ${version}${latest ? ` (after ${latest})` : ''}: ${relative(repoRoot, file)}. Commit it.`);
});
