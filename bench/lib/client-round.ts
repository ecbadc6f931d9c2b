/**
 * One contender in a process of its own: `npm run bench:client` (../client-throughput.ts) starts one
 * of these per contender, so no contender runs on code the JIT compiled for another.
 *
 *   node --expose-gc --import tsx bench/lib/client-round.ts loopback <contender> <client module URL> <in flight> <base URL>
 *   node --expose-gc --import tsx bench/lib/client-round.ts no-io    <contender> <client module URL> <in flight>
 *   node --expose-gc --import tsx bench/lib/client-round.ts heap     <contender> <client module URL> <requests>
 *
 * loopback and no-io serve bursts: after a warm-up (3 s, at least 2,000 calls) they print `{"ready":true}`, then
 * for each line `<milliseconds>` on stdin they make calls for that long and print one line
 * `{ requests, wallUs, cpuUs }` (wall time of the burst and CPU of this process, user and system, in
 * microseconds); they exit when stdin ends. The coordinator alternates short bursts of every
 * contender, so a change in the machine's load hits all of them alike. heap prints `{ heapMb: [...] }`,
 * the heap after full collections at every tenth of the requests.
 */
import { createInterface } from 'node:readline';
import { type ContenderName, makeContender, measuredContenders } from './contenders.ts';
import { platformLikeFetch } from './platform-like-fetch.ts';

export interface Burst {
  requests: number;
  wallUs: number;
  cpuUs: number;
}

const [mode, name, clientModule, ...rest] = process.argv.slice(2);
if ((mode !== 'loopback' && mode !== 'no-io' && mode !== 'heap') || !measuredContenders.includes(name as ContenderName) || !clientModule) {
  throw new Error(`usage: client-round.ts loopback|no-io|heap <${measuredContenders.join('|')}> <client module URL> ...`);
}
const warmUpMs = 3_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** Full collections with a turn of the event loop after each, so finalizers (undici's, per Request) run too. */
async function collectGarbage(passes: number): Promise<void> {
  for (let i = 0; i < passes; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function run(call: () => Promise<unknown>, requests: number, inFlight: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < requests) await call();
    }),
  );
}

/** Calls for `ms` milliseconds, `inFlight` at a time; counts the calls and measures the whole. */
async function burst(call: () => Promise<unknown>, ms: number, inFlight: number): Promise<Burst> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const until = started + ms;
  let requests = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        await call();
        requests++;
      }
    }),
  );
  const wallUs = (performance.now() - started) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { requests, wallUs, cpuUs: cpu.user + cpu.system };
}

const whole = (text: string | undefined, what: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a whole number of at least 1, not ${text}`);
  return value;
};

/**
 * Warms up, says so, then runs one burst per line of stdin until stdin ends. No forced collection
 * after the warm-up: the burst after one took up to twice the CPU of later ones, the heap growing
 * back. The coordinator also discards each process's first burst.
 */
async function serveBursts(call: () => Promise<unknown>, inFlight: number): Promise<void> {
  const warmUpUntil = performance.now() + warmUpMs;
  let warmUpCalls = 0;
  while (warmUpCalls < 2_000 || performance.now() < warmUpUntil) {
    await run(call, 500, inFlight);
    warmUpCalls += 500;
  }
  process.stdout.write('{"ready":true}\n');
  for await (const line of createInterface({ input: process.stdin })) {
    process.stdout.write(`${JSON.stringify(await burst(call, whole(line, 'a burst\'s milliseconds'), inFlight))}\n`);
  }
}

const contender = name as ContenderName;
if (mode === 'loopback') {
  const [inFlight, baseUrl] = rest;
  if (!baseUrl) throw new Error('loopback needs <in flight> <base URL>');
  await serveBursts(await makeContender(contender, baseUrl, clientModule), whole(inFlight, 'in flight'));
} else if (mode === 'no-io') {
  globalThis.fetch = platformLikeFetch;
  await serveBursts(await makeContender(contender, 'http://127.0.0.1:9', clientModule), whole(rest[0], 'in flight'));
} else {
  const total = whole(rest[0], 'requests');
  globalThis.fetch = platformLikeFetch;
  const call = await makeContender(contender, 'http://127.0.0.1:9', clientModule);
  const heapMb: number[] = [];
  for (let done = 0; done < total; ) {
    await run(call, 100, 10);
    done += 100;
    if (done % (total / 10) === 0) {
      await collectGarbage(4);
      heapMb.push(process.memoryUsage().heapUsed / 1024 / 1024);
    }
  }
  process.stdout.write(`${JSON.stringify({ heapMb })}\n`);
}
