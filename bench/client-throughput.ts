/**
 * The client's speed against bare openapi-fetch and its peers, as users would run it: one list call
 * (`GET /server-runs?limit=10&order=desc`, the spec's example answer) through the platform's fetch to
 * a keep-alive HTTP server in its own process (lib/loopback-server.ts), at 1 and at 32 calls in flight.
 * Our client is the package as built for npm (lib/client-package-build.ts).
 *
 * How, on a shared and noisy machine: every contender runs in a process of its own (lib/client-round.ts;
 * in one process, the JIT's choices for one contender bias the others), warmed up, and the processes
 * take turns running short bursts of calls, every contender once per cycle in an order rotated from
 * cycle to cycle. A contender's figure is the median over cycles of its speed against bare
 * openapi-fetch's in the same cycle, with the interquartile range: the bursts of one cycle all fall
 * within about three seconds (nine contenders of 300 ms), so a change in the machine's load that lasts
 * longer hits them alike. The whole is repeated with
 * fresh processes (process sets), since one process's JIT can be luckier than another's: two processes
 * of the same contender differed by 3-10% over 30 cycles (Node 24, 32 in flight), more than most
 * differences between contenders, so many short-lived sets measure better than a few long ones.
 *
 * Then the client's own cost with no I/O, the same way: microseconds and CPU per call on a fetch that
 * does the platform's work around the network (lib/platform-like-fetch.ts: builds the Request, follows
 * its signal, answers a real Response); and the heap over many requests on that fetch.
 *
 *   npm run bench:client
 *   BENCH_NODE=24 npm run bench:client  on a Node from `npm run setup:node` (22 or 24) instead of this one
 *
 * Defaults: PROCESS_SETS=8 BURSTS=8 BURST_MS=300 HEAP_REQUESTS=100000.
 * PARTS=loopback,no-io,heap runs some parts only; CONTENDERS='openapi-fetch,ours: get' limits the
 * loopback part to some contenders.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { nodeBinary, testedNodeVersions } from '../scripts/lib/node-versions.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import { BurstProcess } from './lib/burst-process.ts';
import type { Burst } from './lib/client-round.ts';
import { buildClientForBench } from './lib/client-package-build.ts';
import { type ContenderName, contenderNames, measuredContenders, sameHeadersName } from './lib/contenders.ts';
import { startLoopbackServer } from './lib/loopback-process.ts';
import { median } from './lib/measure.ts';
import { writeResultsSection } from './lib/results-file.ts';
import { runInFreshProcess } from './lib/one-shot-process.ts';

function wholeFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not ${text}`);
  return value;
}

/** The Node binary to measure on: this one, or one that `npm run setup:node` installed (BENCH_NODE=22 or 24). */
function nodeFromEnv(): { node: string; version: string } {
  const wanted = process.env.BENCH_NODE;
  if (!wanted) return { node: process.execPath, version: process.version };
  const version = testedNodeVersions.find((v) => v === wanted || v.split('.')[0] === wanted);
  if (!version) throw new Error(`BENCH_NODE must be one of ${testedNodeVersions.join(', ')} (or its major version), not ${wanted}.`);
  const node = nodeBinary(version);
  if (!existsSync(node)) throw new Error(`Node ${version} is not installed: run \`npm run setup:node\`, which installs it into .node-versions/.`);
  return { node, version: `v${version}` };
}

const processSets = wholeFromEnv('PROCESS_SETS', 8);
const bursts = wholeFromEnv('BURSTS', 8);
const burstMs = wholeFromEnv('BURST_MS', 300);
const heapRequests = wholeFromEnv('HEAP_REQUESTS', 100_000);
if (heapRequests % 1_000 !== 0) throw new Error(`HEAP_REQUESTS must be a multiple of 1000, not ${heapRequests}`);
const { node, version } = nodeFromEnv();
const inFlightLevels = [1, 32];
const ours: ContenderName[] = ['openapi-fetch', sameHeadersName, 'ours: get', 'ours: GET'];
const parts = new Set((process.env.PARTS ?? 'loopback,no-io,heap').split(','));
const loopbackContenders = process.env.CONTENDERS
  ? process.env.CONTENDERS.split(',').map((name) => {
      if (!measuredContenders.includes(name as ContenderName)) throw new Error(`CONTENDERS: no contender "${name}"; there are ${measuredContenders.join(', ')}`);
      return name as ContenderName;
    })
  : [...contenderNames];
if (!loopbackContenders.includes('openapi-fetch')) throw new Error('CONTENDERS must include openapi-fetch, the baseline of every ratio');

type Cycle = Map<ContenderName, Burst>;

/**
 * Every contender in a warmed-up process of its own, taking turns: `bursts` cycles per process set,
 * each running every contender once for `burstMs` milliseconds, in an order rotated by the cycle.
 */
async function sideBySide(contenders: readonly ContenderName[], processArgs: (name: ContenderName) => string[]): Promise<Cycle[][]> {
  const sets: Cycle[][] = [];
  for (let set = 0; set < processSets; set++) {
    const processes = new Map<ContenderName, BurstProcess>();
    try {
      // Warmed up side by side: the warm-up is not measured, and it lasts until each process has made its calls.
      const starts = await Promise.allSettled(contenders.map(async (name) => processes.set(name, await BurstProcess.start(node, processArgs(name)))));
      const failed = starts.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      for (const warm of processes.values()) await warm.run(burstMs); // settles each process; not counted
      const cycles: Cycle[] = [];
      for (let cycle = 0; cycle < bursts; cycle++) {
        const results: Cycle = new Map();
        for (let i = 0; i < contenders.length; i++) {
          const name = contenders[(set + cycle + i) % contenders.length]!;
          results.set(name, await processes.get(name)!.run(burstMs));
        }
        cycles.push(results);
      }
      sets.push(cycles);
    } finally {
      await Promise.all([...processes.values()].map((p) => p.stop()));
    }
  }
  return sets;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}
/** `median (first quartile–third quartile)`. */
const spread = (values: number[], digits: number) =>
  `${fixed(median(values), digits)} (${fixed(quantile(values, 0.25), digits)}–${fixed(quantile(values, 0.75), digits)})`;

const wallUsPerCall = (burst: Burst) => burst.wallUs / burst.requests;
const cpuUsPerCall = (burst: Burst) => burst.cpuUs / burst.requests;

/** Per cycle, `name`'s figure against `baseline`'s in the same cycle. */
function pairedRatios(sets: Cycle[][], name: ContenderName, baseline: ContenderName, of: (burst: Burst) => number): number[] {
  return sets.flat().map((cycle) => of(cycle.get(name)!) / of(cycle.get(baseline)!));
}
/** Requests per second of `name` over `baseline`'s, per cycle. */
const speedRatios = (sets: Cycle[][], name: ContenderName, baseline: ContenderName) => pairedRatios(sets, baseline, name, wallUsPerCall);

function summarise(sets: Cycle[][], name: ContenderName) {
  const mine = sets.flat().map((cycle) => cycle.get(name)!);
  return {
    requestsPerSecond: median(mine.map((burst) => 1e6 / wallUsPerCall(burst))),
    ratios: speedRatios(sets, name, 'openapi-fetch'),
    perSet: sets.map((cycles) => median(speedRatios([cycles], name, 'openapi-fetch'))),
    wallUs: mine.map(wallUsPerCall),
    extraWallUs: sets.flat().map((cycle) => wallUsPerCall(cycle.get(name)!) - wallUsPerCall(cycle.get('openapi-fetch')!)),
    cpuUs: mine.map(cpuUsPerCall),
    cpuRatios: pairedRatios(sets, name, 'openapi-fetch', cpuUsPerCall),
  };
}

const goals: Array<{ goal: string; met: boolean; measured: string }> = [];
const reportLines: string[] = [];
/** Prints a line of the report and keeps it for bench/RESULTS.md. */
function report(line: string): void {
  console.log(line);
  reportLines.push(line);
}

const settingNames = ['PROCESS_SETS', 'BURSTS', 'BURST_MS', 'HEAP_REQUESTS', 'PARTS', 'CONTENDERS'];
// The pipeline's METORIAL_* variables would build the client from other sources than the repository's.
const changedSettings = [...settingNames, ...Object.keys(process.env).filter((name) => name.startsWith('METORIAL_'))].filter(
  (name) => process.env[name] !== undefined,
);
const command = `${process.env.BENCH_NODE ? `BENCH_NODE=${process.env.BENCH_NODE} ` : ''}${changedSettings.map((name) => `${name}='${process.env[name]}' `).join('')}npm run bench:client`;
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench', 'client', 'scripts', 'spec', 'generated', 'package-lock.json', ':!bench/RESULTS.md'], { encoding: 'utf8' }).trim() !== '';
report(
  `\`${command}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit \`${commit}\`${dirty ? ' (with uncommitted changes)' : ''}, ` +
    `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start.`,
);
const versionOf = (name: string) => (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
report(
  `\nNode ${version}, ${process.platform} ${process.arch}; ${processSets} process sets of ${bursts} cycles, bursts of ${burstMs} ms; ` +
    ['openapi-fetch', '@metorial/sdk', 'ofetch', 'ky'].map((name) => `${name} ${versionOf(name)}`).join(', ') + '.',
);
const clientModule = await buildClientForBench();

const server = parts.has('loopback') ? await startLoopbackServer() : undefined;
try {
  for (const inFlight of server ? inFlightLevels : []) {
    const sets = await sideBySide(loopbackContenders, (name) => ['loopback', name, clientModule, String(inFlight), server!.baseUrl]);
    report(`\nOver loopback, ${inFlight} in flight\n`);
    report('| contender | requests/s | vs openapi-fetch, same cycle | process sets\' medians, lowest–highest | µs per call | CPU µs per call | CPU vs openapi-fetch |');
    report('|---|---:|---:|---|---:|---:|---:|');
    for (const name of loopbackContenders) {
      const s = summarise(sets, name);
      report(
        `| ${name} | ${Math.round(s.requestsPerSecond)} | ${spread(s.ratios, 3)} | ${fixed(Math.min(...s.perSet), 3)}–${fixed(Math.max(...s.perSet), 3)} | ` +
          `${spread(s.wallUs, 0)} | ${spread(s.cpuUs, 0)} | ${spread(s.cpuRatios, 2)} |`,
      );
    }
    const styles = (['ours: get', 'ours: GET'] as const).filter((style) => loopbackContenders.includes(style));
    const others = loopbackContenders.filter((name) => !name.startsWith('ours'));
    report(`\nOur speed over each contender's, same cycle (median over cycles), ${inFlight} in flight\n`);
    report(`| | ${others.join(' | ')} |\n|---|${others.map(() => '---:').join('|')}|`);
    for (const style of styles) report(`| ${style} | ${others.map((other) => fixed(median(speedRatios(sets, style, other)), 3)).join(' | ')} |`);
    for (const style of styles) {
      const ratio = median(speedRatios(sets, style, 'openapi-fetch'));
      goals.push({ goal: `${style} ≥ 0.95 of openapi-fetch, ${inFlight} in flight`, met: ratio >= 0.95, measured: fixed(ratio, 3) });
      for (const peer of ['vendor SDK', 'ofetch'] as const) {
        if (!loopbackContenders.includes(peer)) continue;
        const againstPeer = median(speedRatios(sets, style, peer));
        goals.push({ goal: `${style} ahead of ${peer}, ${inFlight} in flight`, met: againstPeer > 1, measured: `${fixed(againstPeer, 3)} of its speed` });
      }
    }
  }
} finally {
  await server?.stop();
}

for (const inFlight of parts.has('no-io') ? inFlightLevels : []) {
  const sets = await sideBySide(ours, (name) => ['no-io', name, clientModule, String(inFlight)]);
  report(`\nNo I/O, on a fetch that does the platform's work around the network, ${inFlight} in flight\n`);
  report('| contender | µs per call | over openapi-fetch, µs | CPU µs per call | CPU vs openapi-fetch |\n|---|---:|---:|---:|---:|');
  for (const name of ours) {
    const s = summarise(sets, name);
    report(`| ${name} | ${spread(s.wallUs, 1)} | ${spread(s.extraWallUs, 1)} | ${spread(s.cpuUs, 1)} | ${spread(s.cpuRatios, 2)} |`);
  }
}

if (parts.has('heap')) {
  report(`\nHeap after full collections, every ${heapRequests / 10} of ${heapRequests} requests on that fetch (MB)\n`);
  report('| contender | heap curve | growth from the first tenth to the end |\n|---|---|---:|');
}
for (const name of parts.has('heap') ? ours.filter((name) => name !== sameHeadersName) : []) {
  const { heapMb } = await runInFreshProcess<{ heapMb: number[] }>(node, ['heap', name, clientModule, String(heapRequests)]);
  const growth = heapMb.at(-1)! - heapMb[0]!;
  report(`| ${name} | ${heapMb.map((mb) => fixed(mb, 2)).join(', ')} | ${fixed(growth, 2)} MB |`);
  if (name !== 'openapi-fetch') goals.push({ goal: `${name}: no heap growth (under 1 MB)`, met: growth < 1, measured: `${fixed(growth, 2)} MB` });
}

report('\n| goal | measured | |\n|---|---|---|');
for (const { goal, met, measured } of goals) report(`| ${goal} | ${measured} | ${met ? 'met' : 'NOT met'} |`);

// Only a full run with the default settings replaces its section: a partial or shortened run would
// make the file claim what was not measured.
const sectionName = `client-${version.split('.')[0]}`;
if (changedSettings.length === 0 && !dirty) {
  writeResultsSection(sectionName, `<!-- ${sectionName}:start -->\n${reportLines.join('\n')}\n<!-- ${sectionName}:end -->\n`);
} else {
  console.log(`\nNot written to bench/RESULTS.md: ${dirty ? 'what the bench builds or runs (src/, client/, generated/, spec/, scripts/, bench/, package-lock.json) has uncommitted changes' : `a run with ${changedSettings.join(', ')} set`}.`);
}
