import { parseArgs } from 'node:util';
import { writeFileAtomic } from './lib/atomic-write.ts';
import { type Baseline, defaultBaseline, loadFile, loadGitRef } from './lib/breaking/baseline.ts';
import { compareSpecs } from './lib/breaking/diff.ts';
import { buildReport, formatMarkdown, formatText, gatePasses } from './lib/breaking/report.ts';
import { bundleSpecSource } from './lib/bundle.ts';
import { runMain } from './lib/cli.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage =
  'Usage: npm run breaking -- [--base <git ref> | --base-file <spec file>] [--head-file <spec file>] [--markdown report.md] [--json report.json] [--gate]\n' +
  'Without --base or --base-file it compares with the latest release in releases/, or with the last commit when there is none.\n' +
  'Without --head-file it compares spec/ as it is now; with it, that file (bundled, JSON or YAML), for two specs from anywhere.';

/** Compares the spec with a baseline and classifies every change; with --gate, fails on an unacknowledged break. */
runMain(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        base: { type: 'string' },
        'base-file': { type: 'string' },
        'head-file': { type: 'string' },
        markdown: { type: 'string' },
        json: { type: 'string' },
        gate: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new PipelineError(`${(error as Error).message}\n${usage}`);
  }
  if (values.base && values['base-file']) throw new PipelineError(`Pass --base or --base-file, not both.\n${usage}`);
  const headFile = values['head-file'];
  const [baseline, head] = await Promise.all([
    values.base ? loadGitRef(values.base) : values['base-file'] ? loadFile(values['base-file']) : defaultBaseline(),
    headFile ? loadFile(headFile, '--head-file').then((loaded) => loaded.document) : bundleSpecSource(),
  ]);
  const report = buildReport(compareSpecs(baseline.document, head), describe(baseline), { label: headFile ?? 'spec/', version: head.info?.version });
  console.log(formatText(report));
  if (values.markdown) writeFileAtomic(values.markdown, `# API changes since ${baseline.label}\n\n${formatMarkdown(report)}`);
  if (values.json) writeFileAtomic(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (values.gate && !gatePasses(report)) process.exitCode = 1;
});

function describe(baseline: Baseline) {
  return { label: baseline.label, version: baseline.document.info?.version };
}
