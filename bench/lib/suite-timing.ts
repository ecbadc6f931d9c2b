import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.ts';

export interface SuiteTiming {
  wallSeconds: number;
  /** User and system CPU seconds of vitest and every process it waited for (GNU time). */
  cpuSeconds: number;
  files: number;
  tests: { passed: number; failed: number; skipped: number };
  /** Seconds from the start until the first test file started: vitest's start-up and the global setup. */
  beforeFirstFile: number;
  /** Each Prism start: seconds from the suite's start to when it began and to when it answered. */
  starts: Array<{ from: number; to: number }>;
  /** Seconds of the wall time during which at least one Prism was starting. */
  startingSeconds: number;
  /** The slowest test files, with their own duration. */
  slowest: Array<{ file: string; seconds: number }>;
}

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ name: string; startTime: number; endTime: number }>;
}

/** The length of the union of intervals. */
function covered(intervals: Array<{ from: number; to: number }>): number {
  let total = 0;
  let reach = -Infinity;
  for (const { from, to } of [...intervals].sort((a, b) => a.from - b.from)) {
    if (to > reach) {
      total += to - Math.max(from, reach);
      reach = to;
    }
  }
  return total;
}

/**
 * Runs one vitest project (`vitest run --project <project>`: `suite` is `npm test`'s, `e2e` is
 * `npm run test:e2e`'s; see vitest.config.ts) with its JSON reporter, and Prism's start times recorded by
 * startPrism. A failing test does not stop the benchmark: the counts say so in the results.
 */
export function timeSuite(scratch: string, project: 'suite' | 'e2e'): Promise<SuiteTiming> {
  const timings = join(scratch, 'prism-starts.txt');
  const report = join(scratch, 'vitest.json');
  writeFileSync(timings, '');
  const startedAt = Date.now();
  const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const child = spawn('/usr/bin/time', ['-f', '%U %S', process.execPath, vitest, 'run', '--project', project, '--reporter=json', `--outputFile=${report}`], {
    cwd: repoRoot,
    env: { ...process.env, METORIAL_PRISM_TIMINGS: timings },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      const wallSeconds = (Date.now() - startedAt) / 1000;
      const [user, system] = stderr.trimEnd().split('\n').at(-1)!.split(' ').map(Number);
      let json: JsonReport;
      try {
        json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
      } catch (error) {
        return reject(new Error(`vitest wrote no JSON report (${(error as Error).message}); run \`npx vitest run\` to see why.`));
      }
      const since = (epochMs: number) => (epochMs - startedAt) / 1000;
      const starts = readFileSync(timings, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((entry) => entry.split(' ').map(Number))
        .map(([from, to]) => ({ from: since(from!), to: since(to!) }));
      resolve({
        wallSeconds,
        cpuSeconds: user! + system!,
        files: json.testResults.length,
        tests: { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests },
        beforeFirstFile: Math.min(...json.testResults.map((file) => since(file.startTime))),
        starts,
        startingSeconds: covered(starts),
        slowest: json.testResults
          .map((file) => ({ file: file.name.replace(`${repoRoot}/`, ''), seconds: (file.endTime - file.startTime) / 1000 }))
          .sort((a, b) => b.seconds - a.seconds)
          .slice(0, 3),
      });
    });
  });
}
