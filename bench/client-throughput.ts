/**
 * Requests per second of raw fetch, bare openapi-fetch and our client, side by side, against a local
 * keep-alive HTTP server and against a stub fetch (no network: the client's own overhead); then the
 * heap of our client over 100,000 requests. Our client runs compiled by tsc, as it would ship (see
 * lib/compiled-client.ts).
 *
 * The rounds run in several fresh processes (lib/client-rounds.ts), each with all contenders in
 * alternated rounds. In one process, two identical copies of a client differed by up to 10%: how the
 * JIT happens to compile each function differs from process to process. So each process gives a ratio
 * per contender, and the median of those ratios is the figure, printed with its range.
 *
 *   npm run bench:client            (PROCESSES=5 by default; node --expose-gc for the heap figures)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/paths.ts';
import { compileClient } from './lib/compiled-client.ts';
import type { Medians } from './lib/client-rounds.ts';
import { median } from './lib/measure.ts';

const processes = Number(process.env.PROCESSES ?? 5);
if (!Number.isInteger(processes) || processes < 1) throw new Error(`PROCESSES must be a whole number of at least 1, not ${process.env.PROCESSES}`);

const clientModule = compileClient();

/** Runs one share of the benchmark in a fresh Node process and returns what it printed. */
function runRounds(mode: 'throughput' | 'heap'): string {
  const rounds = join(repoRoot, 'bench', 'lib', 'client-rounds.ts');
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', rounds, mode, clientModule], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`bench/lib/client-rounds.ts ${mode} exited ${child.status ?? child.signal}`);
  return child.stdout.trim();
}

const runs: Array<{ network: Medians; stub: Medians }> = [];
for (let i = 1; i <= processes; i++) {
  process.stdout.write(`process ${i} of ${processes}...\n`);
  runs.push(JSON.parse(runRounds('throughput')) as { network: Medians; stub: Medians });
}

const ratioColumn = (ratios: number[]) =>
  `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`;

/** One table: each contender's median rate, and its ratios to the two baselines, median (range) over processes. */
function report(label: string, pick: (run: { network: Medians; stub: Medians }) => Medians): { bare: number; sameHeaders: number } {
  const perProcess = runs.map(pick);
  console.log(`\n${label}; ${processes} processes, the median over processes of each one's median round`);
  console.log('| contender | requests/s | vs openapi-fetch | vs openapi-fetch, our headers |\n|---|---:|---:|---:|');
  const ratiosOf = (name: string, baseline: string) => perProcess.map((medians) => medians[name]! / medians[baseline]!);
  for (const name of Object.keys(perProcess[0]!)) {
    const rate = median(perProcess.map((medians) => medians[name]!));
    console.log(`| ${name} | ${Math.round(rate)} | ${ratioColumn(ratiosOf(name, 'openapi-fetch'))} | ${ratioColumn(ratiosOf(name, 'openapi-fetch, our headers'))} |`);
  }
  return { bare: median(ratiosOf('our client', 'openapi-fetch')), sameHeaders: median(ratiosOf('our client', 'openapi-fetch, our headers')) };
}

console.log(`\nnode ${process.version}, ${process.platform} ${process.arch}`);
const network = report('local keep-alive server: 1,000 requests × 7 rounds a process, 10 in flight', (run) => run.network);
const stub = report('stub fetch, no I/O: 4,000 requests × 13 rounds a process, 10 in flight', (run) => run.stub);
console.log(`\nour client / openapi-fetch: ${network.bare.toFixed(3)} over the network, ${stub.bare.toFixed(3)} on a stub`);
console.log(`our client / openapi-fetch with our headers: ${network.sameHeaders.toFixed(3)} over the network, ${stub.sameHeaders.toFixed(3)} on a stub`);

console.log('\nheap after a full GC, every 10000 requests on a stub fetch (MB)');
console.log('| contender | heap curve | growth after the first tenth |\n|---|---|---:|');
console.log(runRounds('heap'));
