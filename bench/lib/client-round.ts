/**
 * One contender, one measurement, in a fresh process: `npm run bench:client` (../client-throughput.ts)
 * starts one of these per contender, per round and per number of calls in flight, so no contender runs
 * on code the JIT compiled for another, and prints the JSON line this writes.
 *
 *   node --expose-gc --import tsx bench/lib/client-round.ts loopback <contender> <client module URL> <in flight> <requests> <base URL>
 *   node --expose-gc --import tsx bench/lib/client-round.ts no-io    <contender> <client module URL> <in flight> <requests>
 *   node --expose-gc --import tsx bench/lib/client-round.ts heap     <contender> <client module URL> <requests>
 *
 * loopback and no-io print `{ requestsPerSecond, wallUsPerCall, cpuUsPerCall }` (CPU of this process,
 * user and system, per call); heap prints `{ heapMb: [...] }`, the heap after full collections at every
 * tenth of the requests.
 */
import { type ContenderName, contenderNames, makeContender, sameHeadersName } from './contenders.ts';
import { platformLikeFetch } from './platform-like-fetch.ts';

const [mode, name, clientModule, ...rest] = process.argv.slice(2);
if ((mode !== 'loopback' && mode !== 'no-io' && mode !== 'heap') || ![...contenderNames, sameHeadersName].includes(name as ContenderName) || !clientModule) {
  throw new Error(`usage: client-round.ts loopback|no-io|heap <${contenderNames.join('|')}> <client module URL> ...`);
}
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

async function measure(call: () => Promise<unknown>, requests: number, inFlight: number) {
  await run(call, Math.min(requests, 1_000), inFlight); // warm-up: the JIT compiles the hot path
  await collectGarbage(2);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run(call, requests, inFlight);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requestsPerSecond: requests / (wallMs / 1000),
    wallUsPerCall: (wallMs * 1000) / requests,
    cpuUsPerCall: (cpu.user + cpu.system) / requests,
  };
}

const whole = (text: string | undefined, what: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a whole number of at least 1, not ${text}`);
  return value;
};

const contender = name as ContenderName;
let result: unknown;
if (mode === 'loopback') {
  const [inFlight, requests, baseUrl] = rest;
  if (!baseUrl) throw new Error('loopback needs <in flight> <requests> <base URL>');
  result = await measure(await makeContender(contender, baseUrl, clientModule), whole(requests, 'requests'), whole(inFlight, 'in flight'));
} else if (mode === 'no-io') {
  const [inFlight, requests] = rest;
  globalThis.fetch = platformLikeFetch;
  const call = await makeContender(contender, 'http://127.0.0.1:9', clientModule);
  result = await measure(call, whole(requests, 'requests'), whole(inFlight, 'in flight'));
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
  result = { heapMb };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
