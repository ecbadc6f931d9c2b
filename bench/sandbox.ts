/**
 * The sandbox's cost, side by side in one run (`npm run bench:sandbox`):
 * 1. requests per second of one list call at 1 and 32 connections (autocannon) through the sandbox
 *    behind Prism's proxy, against the static Prism mock and against the floor of the design: the
 *    same Prism proxy in front of a trivial upstream answering the same bytes. Each target takes
 *    turns in short bursts, and each figure is the median over rounds of its rate over the mock's
 *    in the same round, so the machine's noise hits all alike;
 * 2. start-up time of the sandbox (with Prism) against the static mock's, alternating;
 * 3. what a page costs at 100 and at 100,000 objects of a resource (in process, no HTTP), and the
 *    memory those 100,000 objects take.
 * Rewrites its section of bench/RESULTS.md when run with default settings.
 */
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { bundleSpec } from '../scripts/lib/bundle.ts';
import { startPrism } from '../scripts/lib/prism.ts';
import { Engine } from '../sandbox/engine.ts';
import { readModel } from '../sandbox/model.ts';
import { generateSeed } from '../sandbox/seed.ts';
import { startSandbox } from '../sandbox/start.ts';
import { median } from './lib/measure.ts';
import { writeResultsSection } from './lib/results-file.ts';

const rounds = Number(process.env.ROUNDS ?? 5);
const burstSeconds = Number(process.env.BURST_SECONDS ?? 3);
const startups = Number(process.env.STARTUPS ?? 3);
const bigCount = Number(process.env.BIG_COUNT ?? 100_000);
const defaults = !process.env.ROUNDS && !process.env.BURST_SECONDS && !process.env.STARTUPS && !process.env.BIG_COUNT;
const path = '/server-runs?limit=20';
const key = 'metorial_sk_bench';

async function burst(url: string, connections: number, seconds: number): Promise<number> {
  const result = await autocannon({ url: `${url}${path}`, connections, duration: seconds, headers: { Authorization: `Bearer ${key}` } });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > result.requests.total / 100) throw new Error(`${url}${path}: ${failed} of ${result.requests.total} requests failed (non-2xx, errors or timeouts).`);
  return result.requests.total / seconds;
}

/** A server that answers every request with the same bytes: the upstream of the floor. */
function trivialUpstream(body: string): Promise<{ url: string; close(): void }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'metorial-req-id': 'req_bench' });
    response.end(body);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}`, close: () => server.close() });
    }),
  );
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
  const answer = await (await fetch(`${sandbox.directUrl}${path}`, { headers: { Authorization: `Bearer ${key}` } })).text();
  const upstream = await trivialUpstream(answer);
  const floor = await startPrism({ spec, mode: 'proxy', upstream: upstream.url, args: ['--errors', '--verboseLevel', 'silent'], readyTimeoutMs: 180_000 });
  const targets = { 'static Prism mock': mock.url, 'floor: Prism proxy + trivial upstream': floor.url, 'sandbox behind Prism proxy': sandbox.url, 'sandbox alone (no Prism)': sandbox.directUrl };
  const throughput: Record<string, Record<number, { rps: number[]; ratio: number[] }>> = {};
  try {
    for (const url of Object.values(targets)) await burst(url, 8, 1); // warm-up
    for (const connections of [1, 32]) {
      for (let round = 0; round < rounds; round++) {
        const rates: Record<string, number> = {};
        for (const [name, url] of Object.entries(targets)) rates[name] = await burst(url, connections, burstSeconds);
        for (const [name, rps] of Object.entries(rates)) {
          const entry = ((throughput[name] ??= {})[connections] ??= { rps: [], ratio: [] });
          entry.rps.push(rps);
          entry.ratio.push(rps / (rates['static Prism mock'] as number));
        }
        console.log(`${connections} connection(s), round ${round + 1}: ${Object.entries(rates).map(([n, r]) => `${n} ${r.toFixed(0)}/s`).join(', ')}`);
      }
    }
  } finally {
    await Promise.all([sandbox.stop(), mock.stop(), floor.stop()]);
    upstream.close();
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
  const sandboxOverFloor = (c: number) => (ratio('sandbox behind Prism proxy', c) / ratio('floor: Prism proxy + trivial upstream', c)).toFixed(2);
  const section = [
    '<!-- sandbox:start -->',
    '## The sandbox (`npm run bench:sandbox`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores, load average ${load} at the start (a shared, busy machine:`,
    'read the ratios, which were measured side by side, not the absolute rates).',
    `Command: \`npm run bench:sandbox\` (${rounds} rounds of ${burstSeconds} s bursts per target and connection count, autocannon ${JSON.parse(readFileSync(join('node_modules', 'autocannon', 'package.json'), 'utf8')).version}).`,
    '',
    `### Requests per second of \`GET ${path}\``,
    '',
    '| target | 1 connection (req/s) | over the static mock | 32 connections (req/s) | over the static mock |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `The sandbox behind Prism over the floor (Prism's proxy in front of a server that answers the same bytes at once):`,
    `**${sandboxOverFloor(1)}** at 1 connection, **${sandboxOverFloor(32)}** at 32 (goal: at least 0.9).`,
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
