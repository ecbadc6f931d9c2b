import type { Measure } from './measure.ts';
import type { LoadResult } from './prism-load.ts';
import type { SuiteTiming } from './suite-timing.ts';

export interface Row {
  scale: number;
  operations: number;
  step: string;
  ours: Measure;
  bare: Measure;
}

export interface ScaleReport {
  date: string;
  versions: string;
  rounds: string;
  noise: { loadBefore: number; othersCores: number; pipelineSeconds: number };
  scales: number[];
  rows: Row[];
  suite: SuiteTiming;
  load: LoadResult[];
  /** Steps not measured at some scales, and why. */
  notes: string[];
}

const f = (n: number, digits = 2) => n.toFixed(digits);
const mib = (n: number) => String(Math.round(n));
const bareNames: Record<string, string> = {
  lint: '`redocly lint`, `redocly bundle`, `spectral lint` (OWASP)',
  bundle: '`redocly bundle` (YAML only)',
  docs: '`redocly build-docs --inlineBundle`',
  types: '`openapi-typescript` CLI',
  'whole build': 'the four, one after another',
  'type generation alone': '`openapi-typescript` CLI',
  'consumer type-check': 'same calls with bare openapi-fetch',
  'consumer type-check, resource methods': 'same calls with bare openapi-fetch',
};

/** What the table of steps reads of a run: its scales, in order, and its rows. */
type StepRuns = Pick<ScaleReport, 'scales' | 'rows'>;

function previousOf(report: StepRuns, row: Row): Row | undefined {
  const previousScale = report.scales[report.scales.indexOf(row.scale) - 1];
  return report.rows.find((r) => r.step === row.step && r.scale === previousScale);
}

function stepTable(report: StepRuns): string[] {
  const lines = [
    '| step | scale | operations | ours (s) | bare (s) | ours / bare | ours peak MiB: tree (largest process) | bare peak MiB: tree | growth from the previous scale: time, memory |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const steps = [...new Set(report.rows.map((r) => r.step))];
  for (const step of steps) {
    for (const r of report.rows.filter((row) => row.step === step)) {
      const previous = previousOf(report, r);
      const growth = previous
        ? `${f(r.ours.seconds / previous.ours.seconds)}×, ${f(r.ours.treeMiB / previous.ours.treeMiB)}× for ${r.scale / previous.scale}× the operations`
        : '';
      lines.push(
        `| ${r.scale === report.scales[0] ? `${step} (bare: ${bareNames[step] ?? 'tool commands'})` : ''} | ${r.scale}x | ${r.operations} | ${f(r.ours.seconds)} | ${f(r.bare.seconds)} | ${f(r.ours.seconds / r.bare.seconds)} | ${mib(r.ours.treeMiB)} (${mib(r.ours.processMiB)}) | ${mib(r.bare.treeMiB)} | ${growth} |`,
      );
    }
  }
  return lines;
}

function targets(report: ScaleReport): string[] {
  const at = (scale: number, step: string) => report.rows.find((r) => r.scale === scale && r.step === step);
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**');
  const first = report.scales[0];
  const build1 = first === 1 ? at(1, 'whole build') : undefined;
  const overhead = report.rows.filter((r) => !r.step.startsWith('consumer type-check') && r.step !== 'type generation alone');
  const over = overhead.filter((r) => r.ours.seconds > 1.1 * r.bare.seconds);
  const build60 = at(60, 'whole build');
  const types60 = at(60, 'type generation alone');
  const rows60 = report.rows.filter((r) => r.scale === 60);
  const peak60 = rows60.length ? Math.max(...rows60.map((r) => r.ours.treeMiB)) : undefined;
  const last = report.scales.at(-1)!;
  const growthRows = report.rows.filter((r) => r.scale === last && previousOf(report, r));
  const superlinear = growthRows.filter((r) => {
    const previous = previousOf(report, r)!;
    const size = r.scale / previous.scale;
    return r.ours.seconds / previous.ours.seconds > size || r.ours.treeMiB / previous.ours.treeMiB > size;
  });
  const growthRange = growthRows.map((r) => r.ours.seconds / previousOf(report, r)!.ours.seconds);
  const suiteSeconds = report.suite.wallSeconds;
  const builds = report.rows.filter((r) => r.step === 'whole build');
  return [
    '| target | measured in this run | verdict |',
    '|---|---|---|',
    `| whole build of the real spec (1x) under 5 s | ${build1 ? `${f(build1.ours.seconds)} s` : '–'} | ${verdict(build1 && build1.ours.seconds < 5)} |`,
    `| our scripts at most 10% over the bare tools | over 10%: ${over.map((r) => `${r.step} at ${r.scale}x (${f(r.ours.seconds / r.bare.seconds)})`).join(', ') || 'none'}; whole build ${builds.map((r) => `${f(r.ours.seconds / r.bare.seconds)} at ${r.scale}x`).join(', ') || 'not measured'} | ${verdict(over.length === 0)} (whole build: ${verdict(builds.length ? builds.every((r) => r.ours.seconds <= 1.1 * r.bare.seconds) : undefined)}) |`,
    `| 60x: type generation under 3 s | ${types60 ? `${f(types60.ours.seconds)} s for the whole process from the bundle` : '–'} | ${verdict(types60 && types60.ours.seconds < 3)} |`,
    `| 60x: whole build under 30 s | ${build60 ? `${f(build60.ours.seconds)} s` : '–'} | ${verdict(build60 && build60.ours.seconds < 30)} |`,
    `| lint and the whole build pass at every scale | ${['lint', 'whole build'].map((step) => `${step} at ${report.rows.filter((r) => r.step === step).map((r) => `${r.scale}x`).join(', ') || 'no scale'}`).join('; ')} | ${verdict(report.scales.every((scale) => at(scale, 'lint') && at(scale, 'whole build')))} |`,
    `| 60x: peak memory under 1 GiB | ${peak60 === undefined ? '–' : `${mib(peak60)} MiB (largest tree of any of our steps)`} | ${verdict(peak60 === undefined ? undefined : peak60 < 1024)} |`,
    `| no step growing faster than linearly | ${growthRows.length ? `time grew ${f(Math.min(...growthRange))}× to ${f(Math.max(...growthRange))}× for ${last / report.scales.at(-2)!}× the operations${superlinear.length ? `; faster than linear: ${superlinear.map((r) => r.step).join(', ')}` : ''}` : '–'} | ${verdict(growthRows.length ? superlinear.length === 0 : undefined)} |`,
    `| whole test suite under 60 s | ${f(suiteSeconds, 1)} s (\`vitest run\`; ${report.suite.tests.failed} failed) | ${verdict(suiteSeconds < 60)} |`,
  ];
}

export function renderSection(report: ScaleReport): string {
  const { suite } = report;
  const setupStart = suite.starts[0];
  const lines = [
    '<!-- scale:start -->',
    '## Pipeline at scale (`npm run bench:scale`)',
    '',
    `Run of ${report.date}: ${report.versions}.`,
    `Machine load: 1-minute load average ${f(report.noise.loadBefore)} when the run began; other processes used ${f(report.noise.othersCores)} cores on average during the ${f(report.noise.pipelineSeconds, 0)} s of pipeline measurements.`,
    '',
    'The synthetic specs are our spec copied k times (every path, schema, parameter, response and example; copy k renamed `…X<letters>` and mounted under `/k<k>s`), split into files like ours, and lint-clean by our redocly.yaml: both lint runs below fail otherwise.',
    `"Ours" is the npm script's command line without npm; "bare" is the tool's own command for the same deliverable. Times are medians of alternated runs (${report.rounds}); peak memory is the largest sum of resident sets of the step's process tree (sampled every 20 ms), and in brackets the largest single process (GNU time).`,
    '',
    ...stepTable(report),
    '',
    ...report.notes.flatMap((note) => [note, '']),
    '### Targets',
    '',
    ...targets(report),
    '',
    '### Contract suite',
    '',
    `\`vitest run\` of the real spec: ${f(suite.wallSeconds, 1)} s wall, ${suite.files} files, ${suite.tests.passed} tests passed, ${suite.tests.failed} failed, ${suite.tests.skipped} skipped. ` +
      `The first file started ${f(suite.beforeFirstFile, 1)} s in (vitest start-up and the global setup: bundle, then the suite's Prism${setupStart ? `, which took ${f(setupStart.to - setupStart.from, 1)} s to answer` : ''}). ` +
      `Prism was started ${suite.starts.length} times in all (the suite's mock, the dynamic mock, the live-mode proxies, the workflow and lifecycle tests); ` +
      `at least one Prism was starting during ${f(suite.startingSeconds, 1)} s, ${f((100 * suite.startingSeconds) / suite.wallSeconds, 0)}% of the wall time. ` +
      `Slowest files: ${suite.slowest.map((s) => `${s.file} ${f(s.seconds, 1)} s`).join(', ')}.`,
    '',
    '### Prism under load',
    '',
    '`GET /provider-runs?limit=10` from the static mock, 10 requests in flight, 3 rounds of 2 s per log level in turn (the load loop shares the 2 cores); median round rate, latency percentiles over all rounds:',
    '',
    '| log level | requests/s | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...report.load.map((l) => `| ${l.level}${l.level === 'warn' ? ' (the suite\'s)' : ''} | ${Math.round(l.rps)} | ${f(l.p50, 1)} | ${f(l.p99, 1)} |`),
    '<!-- scale:end -->',
  ];
  return lines.join('\n');
}

/**
 * The section of a partial run (`STEPS=…`): only the steps and scales it measured, with its command and
 * the machine's load, apart from the full run's section and its targets.
 */
export function renderStepsSection(run: { command: string; date: string; versions: string; loadBefore: number; loadAfter: number; rows: Row[] }): string {
  const scales = [...new Set(run.rows.map((r) => r.scale))];
  return [
    '<!-- scale-steps:start -->',
    '### Pipeline at scale, some steps only',
    '',
    `\`${run.command}\` on ${run.date} UTC: ${run.versions}. 1-minute load average ${f(run.loadBefore)} when it began, ${f(run.loadAfter)} at its end: on a shared machine read the ratios to the bare tools, measured side by side, before the seconds.`,
    '',
    ...stepTable({ scales, rows: run.rows }),
    '<!-- scale-steps:end -->',
  ].join('\n');
}
