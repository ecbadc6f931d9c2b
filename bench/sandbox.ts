/**
 * The sandbox's cost, side by side in one run (`npm run bench:sandbox`):
 * 1. requests per second of one list call at 1 and 32 connections (autocannon) through the sandbox
 *    behind Prism's proxy, against the static Prism mock and against the floor of the design: the
 *    same Prism proxy (same flags) in front of a trivial upstream in a process of its own, as the
 *    sandbox is, answering the sandbox's own answer (status, headers, body bytes) prepared once; the
 *    bench checks that both reach the caller the same. Each target takes turns in short bursts (the
 *    floor and the sandbox in A B B A pairs), and each figure is the median over rounds of its rate
 *    over the mock's (or the floor's) in the same round, so the machine's noise hits all alike;
 * 2. start-up time of the sandbox (with Prism) against the static mock's, alternating;
 * 3. what a page costs at 100 and at 100,000 objects of a resource (in process, no HTTP), and the
 *    memory those 100,000 objects take.
 * Rewrites its section of bench/RESULTS.md when run with default settings.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { bundleSpec } from '../scripts/lib/bundle.ts';
import { startPrism } from '../scripts/lib/prism.ts';
import { Engine } from '../sandbox/engine.ts';
import { readModel } from '../sandbox/model.ts';
import { generateSeed } from '../sandbox/seed.ts';
import { startSandbox } from '../sandbox/start.ts';
import { startLoopbackServer } from './lib/loopback-process.ts';
import type { FixedAnswer } from './lib/loopback-server.ts';
import { median } from './lib/measure.ts';
import { writeResultsSection } from './lib/results-file.ts';

const rounds = Number(process.env.ROUNDS ?? 8);
const burstSeconds = Number(process.env.BURST_SECONDS ?? 2);
const warmSeconds = Number(process.env.WARM_SECONDS ?? 4);
const startups = Number(process.env.STARTUPS ?? 3);
const bigCount = Number(process.env.BIG_COUNT ?? 100_000);
const defaults = !process.env.ROUNDS && !process.env.BURST_SECONDS && !process.env.WARM_SECONDS && !process.env.STARTUPS && !process.env.BIG_COUNT;
const path = '/server-runs?limit=20';
const key = 'metorial_sk_bench';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Requests a second of a burst, and the CPU seconds `pids` spent in it with the requests made. */
async function burst(url: string, connections: number, seconds: number, pids: (number | undefined)[] = []): Promise<{ requests: number; cpu: (number | undefined)[] }> {
  const before = pids.map(cpuSeconds);
  const result = await autocannon({ url: `${url}${path}`, connections, duration: seconds, headers: { Authorization: `Bearer ${key}` } });
  const cpu = pids.map((pid, i) => {
    const [start, end] = [before[i], cpuSeconds(pid)];
    return start === undefined || end === undefined ? undefined : end - start;
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > result.requests.total / 100) throw new Error(`${url}${path}: ${failed} of ${result.requests.total} requests failed (non-2xx, errors or timeouts).`);
  return { requests: result.requests.total, cpu };
}

/** Headers that belong to one connection or one moment, not to the answer: Node sets its own. */
const connectionHeaders = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** The sandbox's answer to the benchmarked call, to be served as it is by the floor's upstream. */
async function answerOf(url: string): Promise<FixedAnswer> {
  const response = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`${url}${path} answered ${response.status}, not 200.`);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!connectionHeaders.has(name)) headers[name] = value;
  });
  return { headers, body: await response.text() };
}

/** What a caller gets from `url`, but for the values that differ by request (`date`, `metorial-req-id`). */
async function seenByCaller(url: string): Promise<string> {
  const { headers, body } = await answerOf(url);
  const names = Object.keys(headers).sort().filter((name) => name !== 'metorial-req-id');
  return JSON.stringify({ headers: names.map((name) => [name, headers[name]]), idLength: headers['metorial-req-id']?.length, body });
}

const scratch = mkdtempSync(join(tmpdir(), 'metorial-bench-sandbox-'));
try {
  await bundleSpec(scratch);
  const spec = join(scratch, 'openapi.json');
  const document = JSON.parse(readFileSync(spec, 'utf8'));
  const load = loadavg()[0]?.toFixed(1);

  // 1. Throughput.
  const sandbox = await startSandbox({ spec, prismArgs: ['--verboseLevel', 'silent'], readyTimeoutMs: 180_000 });
  const mock = await startPrism({ spec, args: ['--verboseLevel', 'silent'], readyTimeoutMs: 180_000 });
  const answerFile = join(scratch, 'answer.json');
  writeFileSync(answerFile, JSON.stringify(await answerOf(sandbox.directUrl)));
  const upstream = await startLoopbackServer(answerFile);
  const floor = await startPrism({ spec, mode: 'proxy', upstream: upstream.baseUrl, args: ['--errors', '--verboseLevel', 'silent'], readyTimeoutMs: 180_000 });
  const targets = { 'static Prism mock': mock.url, 'floor: Prism proxy + trivial upstream': floor.url, 'sandbox behind Prism proxy': sandbox.url, 'sandbox alone (no Prism)': sandbox.directUrl };
  // The processes behind each proxied target, [Prism, upstream]: their CPU per request says where a difference comes from.
  const processes: Record<string, [number | undefined, number | undefined]> = {
    'floor: Prism proxy + trivial upstream': [floor.pid, upstream.pid],
    'sandbox behind Prism proxy': [sandbox.prismPid, sandbox.pid],
  };
  const cpuUse: Record<string, Record<number, { requests: number; prism: number; upstream: number }>> = {};
  // Fair only if the caller gets the same from both: same headers and the same bytes.
  if ((await seenByCaller(floor.url)) !== (await seenByCaller(sandbox.url))) {
    throw new Error(`The floor and the sandbox behind Prism answer ${path} differently:\n${await seenByCaller(floor.url)}\n${await seenByCaller(sandbox.url)}`);
  }
  const throughput: Record<string, Record<number, { rps: number[]; ratio: number[] }>> = {};
  const overFloor: Record<number, number[]> = { 1: [], 32: [] };
  try {
    // Warm-up: Prism's rate still climbs after a second of calls (its code is not yet optimised).
    for (const url of Object.values(targets)) await burst(url, 8, warmSeconds);
    const [mockName, floorName, sandboxName, aloneName] = Object.keys(targets) as [keyof typeof targets, keyof typeof targets, keyof typeof targets, keyof typeof targets];
    for (const connections of [1, 32]) {
      for (let round = 0; round < rounds; round++) {
        // The floor and the sandbox behind Prism, whose ratio is the goal, go in pairs A B B A (or
        // B A A B), so that a load that rises or falls through the round hits both alike; the mock
        // and the sandbox alone open and close the round, swapping places from round to round.
        const sequence =
          round % 2 === 0
            ? [mockName, floorName, sandboxName, sandboxName, floorName, aloneName]
            : [aloneName, sandboxName, floorName, floorName, sandboxName, mockName];
        const made: Record<string, { requests: number; seconds: number }> = {};
        for (const name of sequence) {
          const measured = await burst(targets[name], connections, burstSeconds, processes[name] ?? []);
          const sum = (made[name] ??= { requests: 0, seconds: 0 });
          sum.requests += measured.requests;
          sum.seconds += burstSeconds;
          const [prismCpu, upstreamCpu] = measured.cpu;
          if (prismCpu !== undefined && upstreamCpu !== undefined) {
            const use = ((cpuUse[name] ??= {})[connections] ??= { requests: 0, prism: 0, upstream: 0 });
            use.requests += measured.requests;
            use.prism += prismCpu;
            use.upstream += upstreamCpu;
          }
        }
        const rates: Record<string, number> = Object.fromEntries(Object.entries(made).map(([name, sum]) => [name, sum.requests / sum.seconds]));
        (overFloor[connections] ??= []).push((rates[sandboxName] as number) / (rates[floorName] as number));
        for (const [name, rps] of Object.entries(rates)) {
          const entry = ((throughput[name] ??= {})[connections] ??= { rps: [], ratio: [] });
          entry.rps.push(rps);
          entry.ratio.push(rps / (rates[mockName] as number));
        }
        console.log(`${connections} connection(s), round ${round + 1} (load ${loadavg()[0]?.toFixed(1)}): ${Object.entries(targets).map(([n]) => `${n} ${rates[n]?.toFixed(0)}/s`).join(', ')}`);
      }
    }
  } finally {
    await Promise.all([sandbox.stop(), mock.stop(), floor.stop()]);
    await upstream.stop();
  }

  // 2. Start-up, alternating.
  const startupMs = { sandbox: [] as number[], mock: [] as number[] };
  for (let i = 0; i < startups; i++) {
    let t = performance.now();
    const s = await startSandbox({ spec, prismArgs: ['--verboseLevel', 'silent'], readyTimeoutMs: 180_000 });
    startupMs.sandbox.push(performance.now() - t);
    await s.stop();
    t = performance.now();
    const m = await startPrism({ spec, args: ['--verboseLevel', 'silent'], readyTimeoutMs: 180_000 });
    startupMs.mock.push(performance.now() - t);
    await m.stop();
  }

  // 3. Page cost at 100 and at bigCount objects, and memory.
  const model = readModel(document);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const big = generateSeed(model, { count: 100, counts: { ServerRun: bigCount } });
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const small = generateSeed(model, { count: 100 });
  const route = model.routes.find((r) => r.operationId === 'listServerRuns');
  if (!route) throw new Error('listServerRuns is not in the spec');
  const pageCost = (seed: ReturnType<typeof generateSeed>) => {
    const engine = new Engine(model, seed);
    const ids = seed.collections.get('ServerRun')?.items.map((i) => String(i.body.id)) ?? [];
    const anchors = [undefined, ids[Math.floor(ids.length / 2)], ids[ids.length - 25]];
    const call = (after: string | undefined) => engine.handle({ route, apiKey: key, pathValues: {}, query: after ? { limit: '20', after } : { limit: '20' }, body: undefined });
    for (let i = 0; i < 2_000; i++) call(anchors[i % 3]);
    const times: number[] = [];
    for (let r = 0; r < 7; r++) {
      const t = performance.now();
      for (let i = 0; i < 3_000; i++) call(anchors[i % 3]);
      times.push(((performance.now() - t) * 1000) / 3_000);
    }
    return median(times);
  };
  const smallPage = [] as number[];
  const bigPage = [] as number[];
  for (let r = 0; r < 3; r++) {
    smallPage.push(pageCost(small));
    bigPage.push(pageCost(big));
  }
  const perPageSmall = median(smallPage);
  const perPageBig = median(bigPage);
  const heapPerBig = heapAfter - heapBefore;

  const ratio = (name: string, c: number) => median(throughput[name]?.[c]?.ratio ?? []);
  const rps = (name: string, c: number) => median(throughput[name]?.[c]?.rps ?? []);
  const rows = Object.keys(targets).map(
    (name) => `| ${name} | ${rps(name, 1).toFixed(0)} | ${ratio(name, 1).toFixed(2)} | ${rps(name, 32).toFixed(0)} | ${ratio(name, 32).toFixed(2)} |`,
  );
  const sandboxOverFloor = (c: number) => median(overFloor[c] ?? []).toFixed(2);
  const loadAtEnd = loadavg()[0]?.toFixed(1);
  const section = [
    '<!-- sandbox:start -->',
    '## The sandbox (`npm run bench:sandbox`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores, load average ${load} at the start and ${loadAtEnd} at the end (a shared machine:`,
    'read the ratios, which were measured side by side, not the absolute rates).',
    `Command: \`npm run bench:sandbox\` (${warmSeconds} s of warm-up per target, then ${rounds} rounds per connection count of ${burstSeconds} s bursts: the mock and the sandbox alone one each, the floor and the sandbox behind Prism two each, paired A B B A; autocannon ${JSON.parse(readFileSync(join('node_modules', 'autocannon', 'package.json'), 'utf8')).version}).`,
    '',
    `### Requests per second of \`GET ${path}\``,
    '',
    '| target | 1 connection (req/s) | over the static mock | 32 connections (req/s) | over the static mock |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `The sandbox behind Prism over the floor (the same Prism proxy in front of a process that answers the sandbox's headers and bytes at once), median of the rounds' ratios:`,
    `**${sandboxOverFloor(1)}** at 1 connection, **${sandboxOverFloor(32)}** at 32 (goal: at least 0.9).`,
    `Each round's ratio: ${[1, 32].map((c) => `${c} connection${c > 1 ? 's' : ''}: ${(overFloor[c] ?? []).map((r) => r.toFixed(2)).join(', ')}`).join('; ')}.`,
    '',
    'CPU time per request of the processes behind each proxied target (user + system, all rounds, from /proc):',
    '',
    '| target | connections | Prism (µs) | upstream (µs) |',
    '|---|---|---|---|',
    ...Object.entries(cpuUse).flatMap(([name, byConnections]) =>
      Object.entries(byConnections).map(([c, use]) => `| ${name} | ${c} | ${((use.prism / use.requests) * 1e6).toFixed(0)} | ${((use.upstream / use.requests) * 1e6).toFixed(0)} |`),
    ),
    '',
    `CPU per request of Prism and upstream together, floor over sandbox (what the sandbox costs beyond the trivial upstream, whatever the load): ${[1, 32]
      .map((c) => {
        const [floorUse, sandboxUse] = [cpuUse['floor: Prism proxy + trivial upstream']?.[c], cpuUse['sandbox behind Prism proxy']?.[c]];
        if (!floorUse || !sandboxUse) return `${c}: not measured`;
        return `**${((floorUse.prism + floorUse.upstream) / floorUse.requests / ((sandboxUse.prism + sandboxUse.upstream) / sandboxUse.requests)).toFixed(2)}** at ${c}`;
      })
      .join(', ')}.`,
    '',
    '### Start-up',
    '',
    `Sandbox with Prism in front: median ${median(startupMs.sandbox).toFixed(0)} ms; static Prism mock: ${median(startupMs.mock).toFixed(0)} ms;`,
    `ratio **${(median(startupMs.sandbox) / median(startupMs.mock)).toFixed(2)}** (goal: at most 1.5; ${startups} starts each, alternating).`,
    '',
    '### A page at 100 and at 100,000 objects',
    '',
    `\`listServerRuns\`, 20 items, first page, a middle page (\`after\`) and the last: ${perPageSmall.toFixed(1)} µs a page at 100 server runs,`,
    `${perPageBig.toFixed(1)} µs at ${bigCount.toLocaleString('en')}; ratio **${(perPageBig / perPageSmall).toFixed(2)}** (goal: at most 1.5: no scan per page).`,
    `Memory of ${bigCount.toLocaleString('en')} seeded server runs: ${(heapPerBig / 1024 / 1024).toFixed(0)} MiB of heap (${(heapPerBig / bigCount).toFixed(0)} bytes each${gc ? '' : ', without --expose-gc: approximate'}).`,
    'A key\u2019s own copy of them is one array of pointers (0.8 MB per 100,000), not the objects.',
    '<!-- sandbox:end -->',
  ].join('\n');
  console.log(`\n${section}`);
  if (defaults) writeResultsSection('sandbox', section);
  else console.log('\nNot written to bench/RESULTS.md: run with default settings for that.');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
