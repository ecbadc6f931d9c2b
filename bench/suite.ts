/**
 * The test suite's cost, as `npm test` runs it: the type-check and the vitest `suite` project, quiet and
 * then with the machine's other core kept busy by a second process (a busy loop, like `stress -c 1`);
 * then the end-to-end checks (`npm run test:e2e`, the `e2e` project) once, quiet: wall time, CPU time,
 * and the share of the wall time a Prism was starting. Rewrites its section of bench/RESULTS.md.
 * About 6 minutes.
 *
 *   npm run bench:suite
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, tsgoBin } from '../scripts/lib/paths.ts';
import { measure } from './lib/measure.ts';
import { writeResultsSection } from './lib/results-file.ts';
import { type SuiteTiming, timeSuite } from './lib/suite-timing.ts';

interface Run {
  label: string;
  command: string;
  loadBefore: number;
  typecheck: { seconds: number; cpuSeconds: number };
  suite: SuiteTiming;
}

/** A process that keeps one core busy until killed. */
function busyLoop(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

async function run(label: string, project: 'suite' | 'e2e', withLoad: boolean, scratch: string): Promise<Run> {
  const load = withLoad ? busyLoop() : undefined;
  try {
    const loadBefore = loadavg()[0]!;
    // `npm test` type-checks first; `npm run test:e2e` does not.
    const typecheck = project === 'suite' ? await measure([tsgoBin, '--noEmit', '-p', join(repoRoot, 'tsconfig.json')]) : { seconds: 0, cpuSeconds: 0 };
    const suite = await timeSuite(scratch, project);
    const command = project === 'suite' ? 'npm test' : 'npm run test:e2e';
    console.log(`  ${label}: type-check ${typecheck.seconds.toFixed(1)} s, suite ${suite.wallSeconds.toFixed(1)} s wall, ${suite.cpuSeconds.toFixed(0)} CPU-s, ${suite.tests.failed} failed`);
    // Figures from a failing run are not results: stop before RESULTS.md is touched.
    if (suite.tests.failed > 0 || suite.tests.passed === 0) {
      throw new Error(`\`${command}\` (${label}) had ${suite.tests.failed} failing tests; run it to see them. bench/RESULTS.md is unchanged.`);
    }
    return { label, command, loadBefore, typecheck, suite };
  } finally {
    load?.kill('SIGKILL');
  }
}

const f = (n: number, digits = 1) => n.toFixed(digits);

function row({ label, command, loadBefore, typecheck, suite }: Run): string {
  const total = typecheck.seconds + suite.wallSeconds;
  const cpu = typecheck.cpuSeconds + suite.cpuSeconds;
  const starting = (100 * suite.startingSeconds) / suite.wallSeconds;
  const slowest = suite.slowest.map((s) => `${s.file.replace(/^test\//, '')} ${f(s.seconds)} s`).join(', ');
  return `| \`${command}\` | ${label} | ${f(loadBefore, 2)} | ${f(total)} s | ${f(cpu, 0)} s | ${f(suite.wallSeconds)} s | ${suite.tests.passed} / ${suite.tests.failed} | ${suite.starts.length} starts, ${f(starting, 0)}% of the wall time | ${slowest} |`;
}

const scratch = mkdtempSync(join(tmpdir(), 'metorial-bench-suite-'));
try {
  console.log('npm test, quiet…');
  const quiet = await run('quiet', 'suite', false, scratch);
  console.log('npm test, the other core busy…');
  const loaded = await run('other core busy (a second process in a busy loop)', 'suite', true, scratch);
  console.log('npm run test:e2e, quiet…');
  const endToEnd = await run('quiet', 'e2e', false, scratch);
  const section = [
    '<!-- suite:start -->',
    '## The test suite (`npm run bench:suite`)',
    '',
    `\`npm test\` as CI runs it (the type-check by tsgo, then \`vitest run --project suite\`), on this machine (${cpus().length} cores), measured`,
    `${new Date().toISOString().slice(0, 10)}: quiet, then with a second process keeping one core busy the whole time; then the end-to-end`,
    'checks (`npm run test:e2e`: CLIs, browsers, the full build, packed tarballs; vitest.config.ts says which files) once, quiet.',
    'CPU is user plus system time of every process the run waited for. "Mock starts" is how many times a Prism',
    'was started, and the share of the wall time during which at least one was starting.',
    '',
    '| command | run | load average before | wall | CPU | vitest wall | passed / failed | mock starts | slowest files |',
    '|---|---|---|---|---|---|---|---|---|',
    row(quiet),
    row(loaded),
    row(endToEnd),
    '',
    'Target: `npm test` under 60 s wall on a quiet machine, and green with the other core busy. The end-to-end',
    'checks have no budget of their own; the README\'s test command and CI run both.',
    '<!-- suite:end -->',
  ].join('\n');
  console.log(`\n${section}`);
  writeResultsSection('suite', section);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
