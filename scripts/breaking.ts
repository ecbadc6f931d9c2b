import { parseArgs } from 'node:util';
import { writeFileAtomic } from './lib/atomic-write.ts';
import { loadAcknowledgements } from './lib/breaking/acknowledgements.ts';
import { type Baseline, loadFile, loadGitRef, loadRelease, releasedVersions } from './lib/breaking/baseline.ts';
import { findChangeBase } from './lib/breaking/change-base.ts';
import { compareSpecs, type Document } from './lib/breaking/diff.ts';
import { type BreakingReport, buildReport, changeGatePasses, formatChangeText, formatMarkdown, formatText, gatePasses, machineReadable } from './lib/breaking/report.ts';
import { runMain } from './lib/cli.ts';
import { bundleInProcess } from './lib/redocly-engine.ts';
import { specRoot } from './lib/paths.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage =
  'Usage: npm run breaking -- [--base <git ref> | --base-file <spec file>] [--head-file <spec file>] [--markdown report.md] [--json report.json] [--gate]\n' +
  'It reports two comparisons: this change against its base (--base or --base-file, else found from git: the merge-base with the\n' +
  'default branch on a branch, HEAD for edits not committed, the previous commit on the default branch itself), then every change\n' +
  'since the latest release in releases/. Without --head-file the head is spec/ as it is now.\n' +
  '--gate fails on a breaking change new in this change that spec/acknowledged-breaking-changes.yaml does not name, and on breaking\n' +
  'changes since the release without a major version bump.';

/** Compares the spec with its change base and its latest release and classifies every change; with --gate, fails on an unacknowledged break. */
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
  const acknowledgements = loadAcknowledgements();
  const found = values.base || values['base-file'] ? undefined : findChangeBase();
  const changeBase: Promise<Baseline | undefined> = values.base
    ? loadGitRef(values.base)
    : values['base-file']
      ? loadFile(values['base-file'])
      : found && 'ref' in found
        ? loadGitRef(found.ref).then((baseline) => ({ ...baseline, label: found.label }))
        : Promise.resolve(undefined);
  const latest = releasedVersions().at(-1);
  const [base, head] = await Promise.all([changeBase, headFile ? loadFile(headFile, '--head-file').then((loaded) => loaded.document) : bundleInProcess(specRoot)]);
  const headLabel = { label: headFile ?? 'spec/', version: head.info?.version };
  const reportAgainst = (baseline: Baseline): BreakingReport =>
    buildReport(compareSpecs(baseline.document, head), { label: baseline.label, version: baseline.document.info?.version }, headLabel, {
      documents: { base: baseline.document, head: head as Document },
      acknowledgements,
    });

  const change = base && reportAgainst(base);
  const release = latest ? reportAgainst(loadRelease(latest)) : undefined;
  console.log(change ? formatChangeText(change) : `This change: not judged, as ${(found as { none: string }).none}. Name a base with --base <git ref>.`);
  console.log(`\n${release ? formatText(release) : 'No release recorded in releases/ yet: nothing to compare with at release level (`npm run release` records one).'}`);

  if (values.markdown) {
    const sections = [
      ...(change ? [`## This change, against ${change.base.label}\n\n${formatMarkdown(change, '###')}`] : []),
      ...(release ? [`## Since ${release.base.label}\n\n${formatMarkdown(release, '###')}`] : []),
    ];
    writeFileAtomic(values.markdown, `# API changes\n\n${sections.join('\n')}`);
  }
  if (values.json) {
    const withRecords = (report: BreakingReport | undefined) => report && { ...report, changes: machineReadable(report, acknowledgements) };
    writeFileAtomic(values.json, `${JSON.stringify({ change: withRecords(change), release: withRecords(release) }, null, 2)}\n`);
  }
  if (values.gate && ((change && !changeGatePasses(change)) || (release && !gatePasses(release)))) process.exitCode = 1;
});
