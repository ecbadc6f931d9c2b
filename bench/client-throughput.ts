/**
 * The client's speed against bare openapi-fetch and its peers, over loopback, as users would run it:
 * requests per second of one list call (`GET /server-runs?limit=10&order=desc`, the spec's example
 * answer) through the platform's fetch to a keep-alive HTTP server in its own process
 * (lib/loopback-server.ts), at 1 and at 32 calls in flight. Every contender runs in a fresh process
 * per round (lib/client-round.ts): in one process, the JIT's choices for one contender bias the others,
 * and two identical copies of a client differed by up to 10%. A round runs each contender once, in a
 * rotated order; each round gives each contender's ratio to bare openapi-fetch of the same round, and
 * the figure is the median ratio over rounds, with its range. The machine's load drifts from minute to
 * minute; a ratio within one round is what survives it.
 *
 * Then the client's own cost with no I/O: microseconds and CPU per call on a fetch that does the
 * platform's work around the network (lib/platform-like-fetch.ts: builds the Request, follows its
 * signal, answers a real Response), so a regression in the client shows beside openapi-fetch's; and the
 * heap over many requests on that fetch. Our client runs compiled by tsc, as it ships (lib/compiled-client.ts).
 *
 *   npm run bench:client        ROUNDS=7 LOOPBACK_REQUESTS=3000 NO_IO_REQUESTS=20000 HEAP_REQUESTS=100000 by default
 *
 * For a quick look while working, fewer rounds and requests, and PARTS=loopback,no-io,heap to run some
 * parts only; CONTENDERS='openapi-fetch,ours: get' limits the loopback part to some contenders.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../scripts/lib/paths.ts';
import { compileClient } from './lib/compiled-client.ts';
import { type ContenderName, contenderNames, sameHeadersName } from './lib/contenders.ts';
import { median } from './lib/measure.ts';

function wholeFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not ${text}`);
  return value;
}
const rounds = wholeFromEnv('ROUNDS', 7);
const loopbackRequests = wholeFromEnv('LOOPBACK_REQUESTS', 3_000);
const noIoRequests = wholeFromEnv('NO_IO_REQUESTS', 20_000);
const heapRequests = wholeFromEnv('HEAP_REQUESTS', 100_000);
if (heapRequests % 1_000 !== 0) throw new Error(`HEAP_REQUESTS must be a multiple of 1000, not ${heapRequests}`);
const inFlightLevels = [1, 32];
const ours: ContenderName[] = ['openapi-fetch', sameHeadersName, 'ours: get', 'ours: GET'];
const parts = new Set((process.env.PARTS ?? 'loopback,no-io,heap').split(','));
const loopbackContenders = process.env.CONTENDERS
  ? process.env.CONTENDERS.split(',').map((name) => {
      if (![...contenderNames, sameHeadersName].includes(name as ContenderName)) throw new Error(`CONTENDERS: no contender "${name}"; there are ${contenderNames.join(', ')}`);
      return name as ContenderName;
    })
  : contenderNames;
if (!loopbackContenders.includes('openapi-fetch')) throw new Error('CONTENDERS must include openapi-fetch, the baseline of every ratio');

interface Measurement {
  requestsPerSecond: number;
  wallUsPerCall: number;
  cpuUsPerCall: number;
}

const clientModule = compileClient();
const roundScript = join(repoRoot, 'bench', 'lib', 'client-round.ts');

/** Runs one measurement in a fresh Node process and returns the JSON it printed. */
function inFreshProcess<T>(args: string[]): T {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', roundScript, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`bench/lib/client-round.ts ${args.slice(0, 2).join(' ')} exited ${child.status ?? child.signal}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as T;
}

/** Starts the loopback server in its own process; resolves its base URL and a function that stops it. */
async function startServer(): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'lib', 'loopback-server.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(server, 'exit');
  const [line] = (await Promise.race([once(createInterface({ input: server.stdout! }), 'line'), exited.then(() => {
    throw new Error('bench/lib/loopback-server.ts exited before it listened');
  })])) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.stdin!.end();
      const timer = setTimeout(() => server.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Each round runs every contender once, in an order rotated by the round, so each runs in every position alike. */
function inRounds(contenders: readonly ContenderName[], measureOne: (name: ContenderName) => Measurement): Array<Map<ContenderName, Measurement>> {
  const all: Array<Map<ContenderName, Measurement>> = [];
  for (let round = 0; round < rounds; round++) {
    const results = new Map<ContenderName, Measurement>();
    for (let i = 0; i < contenders.length; i++) {
      const name = contenders[(round + i) % contenders.length]!;
      results.set(name, measureOne(name));
    }
    all.push(results);
  }
  return all;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
const spread = (values: number[], digits: number) =>
  `${fixed(median(values), digits)} (${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)})`;

/** The figures of one contender over rounds, each against bare openapi-fetch of the same round. */
function summarise(results: Array<Map<ContenderName, Measurement>>, name: ContenderName) {
  const mine = results.map((round) => round.get(name)!);
  const bare = results.map((round) => round.get('openapi-fetch')!);
  return {
    requestsPerSecond: median(mine.map((m) => m.requestsPerSecond)),
    ratios: mine.map((m, i) => m.requestsPerSecond / bare[i]!.requestsPerSecond),
    wallUs: mine.map((m) => m.wallUsPerCall),
    extraWallUs: mine.map((m, i) => m.wallUsPerCall - bare[i]!.wallUsPerCall),
    cpuUs: mine.map((m) => m.cpuUsPerCall),
    cpuRatios: mine.map((m, i) => m.cpuUsPerCall / bare[i]!.cpuUsPerCall),
  };
}

const goals: Array<{ goal: string; met: boolean; measured: string }> = [];

console.log(`node ${process.version}, ${process.platform} ${process.arch}; ${rounds} rounds, each contender in a fresh process per round`);

const server = parts.has('loopback') ? await startServer() : undefined;
try {
  for (const inFlight of server ? inFlightLevels : []) {
    const results = inRounds(loopbackContenders, (name) =>
      inFreshProcess<Measurement>(['loopback', name, clientModule, String(inFlight), String(loopbackRequests), server!.baseUrl]),
    );
    console.log(`\nOver loopback, ${inFlight} in flight (${loopbackRequests} requests a process after 1,000 of warm-up)\n`);
    console.log('| contender | requests/s | vs openapi-fetch, same round | µs per call | CPU µs per call | CPU vs openapi-fetch |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const ratioOf = new Map<ContenderName, number>();
    for (const name of loopbackContenders) {
      const s = summarise(results, name);
      ratioOf.set(name, median(s.ratios));
      console.log(`| ${name} | ${Math.round(s.requestsPerSecond)} | ${spread(s.ratios, 3)} | ${spread(s.wallUs, 0)} | ${spread(s.cpuUs, 0)} | ${spread(s.cpuRatios, 2)} |`);
    }
    for (const style of ['ours: get', 'ours: GET'] as const) {
      const ratio = ratioOf.get(style);
      if (ratio === undefined) continue;
      goals.push({ goal: `${style} ≥ 0.95 of openapi-fetch, ${inFlight} in flight`, met: ratio >= 0.95, measured: fixed(ratio, 3) });
      for (const peer of ['vendor SDK', 'ofetch'] as const) {
        const peerRatio = ratioOf.get(peer);
        if (peerRatio === undefined) continue;
        goals.push({ goal: `${style} ahead of ${peer}, ${inFlight} in flight`, met: ratio > peerRatio, measured: `${fixed(ratio, 3)} against ${fixed(peerRatio, 3)}` });
      }
    }
  }
} finally {
  await server?.stop();
}

for (const inFlight of parts.has('no-io') ? inFlightLevels : []) {
  const results = inRounds(ours, (name) => inFreshProcess<Measurement>(['no-io', name, clientModule, String(inFlight), String(noIoRequests)]));
  console.log(`\nNo I/O, on a fetch that does the platform's work around the network, ${inFlight} in flight (${noIoRequests} requests a process)\n`);
  console.log('| contender | µs per call | over openapi-fetch, µs | CPU µs per call | CPU vs openapi-fetch |\n|---|---:|---:|---:|---:|');
  for (const name of ours) {
    const s = summarise(results, name);
    console.log(`| ${name} | ${spread(s.wallUs, 1)} | ${spread(s.extraWallUs, 1)} | ${spread(s.cpuUs, 1)} | ${spread(s.cpuRatios, 2)} |`);
  }
}

if (parts.has('heap')) {
  console.log(`\nHeap after full collections, every ${heapRequests / 10} of ${heapRequests} requests on that fetch (MB)\n`);
  console.log('| contender | heap curve | growth from the first tenth to the end |\n|---|---|---:|');
}
for (const name of parts.has('heap') ? ours.filter((name) => name !== sameHeadersName) : []) {
  const { heapMb } = inFreshProcess<{ heapMb: number[] }>(['heap', name, clientModule, String(heapRequests)]);
  const growth = heapMb.at(-1)! - heapMb[0]!;
  console.log(`| ${name} | ${heapMb.map((mb) => fixed(mb, 2)).join(', ')} | ${fixed(growth, 2)} MB |`);
  if (name !== 'openapi-fetch') goals.push({ goal: `${name}: no heap growth (under 1 MB)`, met: growth < 1, measured: `${fixed(growth, 2)} MB` });
}

console.log('\n| goal | measured | |\n|---|---|---|');
for (const { goal, met, measured } of goals) console.log(`| ${goal} | ${measured} | ${met ? 'met' : 'NOT met'} |`);
