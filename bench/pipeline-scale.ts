/**
 * The pipeline at 1x, 10x and 60x the size of our spec: wall time and peak memory of each step, by
 * our scripts and by the bare tool commands side by side in one run; the contract suite's wall time
 * and the share of it spent starting mocks; Prism's throughput and latency at 10 connections.
 * Rewrites its own section of bench/RESULTS.md.
 *
 *   npm run bench:scale            (SCALES=1,10 for a quicker run)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../scripts/lib/atomic-write.ts';
import { repoRoot, toolBins } from '../scripts/lib/paths.ts';
import { startPrism } from '../scripts/lib/prism.ts';
import { writeSyntheticSpec } from './lib/synthetic-spec.ts';

interface Measure {
  seconds: number;
  peakMiB: number;
}

const scales = (process.env.SCALES ?? '1,10,60').split(',').map(Number);
const scratch = mkdtempSync(join(tmpdir(), 'metorial-scale-'));
const node = process.execPath;
const tsxScript = (name: string) => [node, '--import', 'tsx', join(repoRoot, 'scripts', `${name}.ts`)];
const redocly = (...args: string[]) => [node, toolBins.redocly, ...args];
const openapiTs = join(repoRoot, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** Wall time, and the largest resident set of the process or any of its children (GNU time). */
function measure(command: string[], env: Record<string, string> = {}): Measure {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', ...command], { cwd: repoRoot, env: { ...process.env, ...env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' }, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const kib = Number(result.stderr.trim().split('\n').at(-1));
  return { seconds, peakMiB: kib / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Alternates the two commands `rounds` times so noise hits both; keeps the median of each. */
function sideBySide(ours: () => Measure, bare: () => Measure, rounds: number): { ours: Measure; bare: Measure } {
  const runs = { ours: [] as Measure[], bare: [] as Measure[] };
  for (let i = 0; i < rounds; i++) {
    runs.ours.push(ours());
    runs.bare.push(bare());
  }
  const pick = (list: Measure[]) => ({ seconds: median(list.map((m) => m.seconds)), peakMiB: Math.max(...list.map((m) => m.peakMiB)) });
  return { ours: pick(runs.ours), bare: pick(runs.bare) };
}

const consumer = (typesFile: string) => `import createClient from 'openapi-fetch';
import type { paths } from '${typesFile}';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:4010', headers: { Authorization: 'Bearer metorial_sk_x' } });
const { data } = await client.GET('/runs', { params: { query: { limit: 5, order: 'desc' } } });
for (const run of data?.items ?? []) console.log(run.id, run.status);
const { data: provider } = await client.POST('/session-template-providers', { body: { session_template_id: 'stm_1', provider_deployment_id: 'pde_1' } });
console.log(provider?.tool_filter.type);
`;

type Row = { scale: number; operations: number; step: string; ours: Measure; bare: Measure | undefined };

function benchScale(scale: number): Row[] {
  const dir = join(scratch, `x${scale}`);
  const { root, operations } = writeSyntheticSpec(scale, join(dir, 'spec'));
  const ours = { METORIAL_SPEC_ROOT: root, METORIAL_DIST_DIR: join(dir, 'dist'), METORIAL_GENERATED_DIR: join(dir, 'generated') };
  const bare = join(dir, 'bare');
  mkdirSync(bare, { recursive: true });
  const rounds = scale >= 60 ? 1 : scale >= 10 ? 2 : 3;
  const rows: Row[] = [];
  const row = (step: string, result: { ours: Measure; bare: Measure | undefined }) => {
    rows.push({ scale, operations, step, ...result });
    console.log(`  ${scale}x ${step}: ours ${result.ours.seconds.toFixed(2)} s${result.bare ? `, bare ${result.bare.seconds.toFixed(2)} s` : ''}`);
  };
  // Each step of ours reads the spec and writes where the variables say; the bare commands do the same work by hand.
  row('lint', sideBySide(() => measure(tsxScript('lint'), ours), () => measure(redocly('lint', root)), rounds));
  row('bundle', sideBySide(() => measure(tsxScript('bundle'), ours), () => measure(redocly('bundle', root, '--output', join(bare, 'openapi.yaml'))), rounds));
  row('docs (bundle + render)', sideBySide(
    () => measure(tsxScript('docs'), ours),
    () => measure(['sh', '-c', `${redocly('bundle', root, '--output', join(bare, 'openapi.yaml')).join(' ')} && ${redocly('build-docs', join(bare, 'openapi.yaml'), '--inlineBundle', '--output', join(bare, 'index.html')).join(' ')}`]),
    rounds,
  ));
  row('types (bundle + generate)', sideBySide(
    () => measure(tsxScript('generate'), ours),
    () => measure(['sh', '-c', `${redocly('bundle', root, '--output', join(bare, 'openapi.yaml')).join(' ')} && ${node} ${openapiTs} ${join(bare, 'openapi.yaml')} --root-types --root-types-no-schema-prefix -o ${join(bare, 'schema.d.ts')}`]),
    rounds,
  ));
  // Type generation alone, from one bundle: the build's own way (in process, from the parsed JSON) against the CLI.
  execFileSync(node, [toolBins.redocly, 'bundle', root, '--output', join(bare, 'openapi.json'), '--ext', 'json'], { cwd: repoRoot, stdio: 'ignore' });
  row('type generation alone', sideBySide(
    () => measure([node, '--import', 'tsx', join(repoRoot, 'bench', 'lib', 'render-types.ts'), join(bare, 'openapi.json'), join(dir, 'types-ours.d.ts')]),
    () => measure([node, openapiTs, join(bare, 'openapi.json'), '--root-types', '--root-types-no-schema-prefix', '-o', join(bare, 'types-bare.d.ts')]),
    rounds,
  ));
  row('whole build', sideBySide(
    () => measure(tsxScript('build'), ours),
    () =>
      measure(['sh', '-c', [
        redocly('lint', root).join(' '),
        redocly('bundle', root, '--output', join(bare, 'openapi.yaml')).join(' '),
        redocly('build-docs', join(bare, 'openapi.yaml'), '--inlineBundle', '--output', join(bare, 'index.html')).join(' '),
        `${node} ${openapiTs} ${join(bare, 'openapi.yaml')} --root-types --root-types-no-schema-prefix -o ${join(bare, 'schema.d.ts')}`,
      ].join(' && ')]),
    rounds,
  ));
  const consumerFile = join(dir, 'consumer.mts');
  writeFileSync(consumerFile, consumer(join(dir, 'generated', 'schema.d.ts')));
  const tscArgs = [node, tsc, '--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--allowImportingTsExtensions', '--typeRoots', join(repoRoot, 'node_modules', '@types'), consumerFile];
  // The consumer resolves openapi-fetch from the repository.
  execFileSync('ln', ['-sfn', join(repoRoot, 'node_modules'), join(dir, 'node_modules')]);
  const checks = Array.from({ length: rounds }, () => measure(tscArgs));
  row('consumer type-check', { ours: { seconds: median(checks.map((m) => m.seconds)), peakMiB: Math.max(...checks.map((m) => m.peakMiB)) }, bare: undefined });
  return rows;
}

async function suiteShare(): Promise<{ wall: number; starts: number[] }> {
  const timings = join(scratch, 'prism-starts.txt');
  writeFileSync(timings, '');
  const started = performance.now();
  const result = spawnSync(node, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: repoRoot, env: { ...process.env, METORIAL_PRISM_TIMINGS: timings }, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`The suite failed:\n${result.stdout.slice(-3000)}`);
  return { wall, starts: readFileSync(timings, 'utf8').trim().split('\n').filter(Boolean).map(Number) };
}

/** Requests per second and latency of one list call, 10 requests in flight, for a few seconds. */
async function prismLoad(verboseLevel: string): Promise<{ rps: number; p50: number; p99: number }> {
  const prism = await startPrism({ spec: join(repoRoot, 'generated', 'openapi.json'), args: ['--verboseLevel', verboseLevel] });
  try {
    const url = `${prism.url}/provider-runs?limit=10`;
    const call = async () => (await fetch(url, { headers: { Authorization: 'Bearer metorial_sk_bench' } })).arrayBuffer();
    for (let i = 0; i < 200; i++) await call();
    const latencies: number[] = [];
    const until = performance.now() + 4_000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < until) {
          const t = performance.now();
          await call();
          latencies.push(performance.now() - t);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return { rps: latencies.length / ((performance.now() - started) / 1000), p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
  } finally {
    await prism.stop();
  }
}

const f = (n: number, digits = 2) => n.toFixed(digits);

function versions(): string {
  const pkg = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  return `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB; @redocly/cli ${pkg('@redocly/cli')}, openapi-typescript ${pkg('openapi-typescript')}, typescript ${pkg('typescript')}, @stoplight/prism-cli ${pkg('@stoplight/prism-cli')}, vitest ${pkg('vitest')}`;
}

try {
  const rows: Row[] = [];
  for (const scale of scales) {
    console.log(`Scale ${scale}x…`);
    rows.push(...benchScale(scale));
  }
  console.log('The contract suite…');
  const suite = await suiteShare();
  console.log('Prism under load…');
  const load = { warn: await prismLoad('warn'), silent: await prismLoad('silent'), info: await prismLoad('info') };

  const lines = ['<!-- scale:start -->', '## Pipeline at scale (`npm run bench:scale`)', '', `Measured ${new Date().toISOString().slice(0, 10)}: ${versions()}.`, ''];
  lines.push(
    'Synthetic specs are our spec copied k times (paths, schemas, parameters, responses and examples, each copy renamed), split into files like ours and lint-clean: the bench lints each one.',
    '"Ours" is the npm script; "bare" is the same work by the tool commands run one after another. Peak memory is the largest resident set of any process of the step (GNU time). Times are medians of alternated runs (3 at 1x, 2 at 10x, 1 at 60x).',
    '',
    '| scale | operations | step | ours (s) | bare (s) | ours / bare | peak MiB (ours) | growth from the previous scale (time) |',
    '|---:|---:|---|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    const previous = rows.find((p) => p.step === r.step && p.scale === scales[scales.indexOf(r.scale) - 1]);
    const growth = previous ? `${f(r.ours.seconds / previous.ours.seconds)}× for ${f(r.scale / previous.scale, 0)}× the size` : '';
    lines.push(`| ${r.scale}x | ${r.operations} | ${r.step} | ${f(r.ours.seconds)} | ${r.bare ? f(r.bare.seconds) : ''} | ${r.bare ? f(r.ours.seconds / r.bare.seconds) : ''} | ${Math.round(r.ours.peakMiB)} | ${growth} |`);
  }
  const startTotal = suite.starts.reduce((a, b) => a + b, 0) / 1000;
  lines.push(
    '',
    `**Contract suite** (\`vitest run\`, the whole suite of the real spec): ${f(suite.wall, 1)} s wall. It started Prism ${suite.starts.length} times (the suite's mock, the dynamic mock, proxies of the live-mode tests and the workflow script), ${f(startTotal, 1)} s of starting in all (median ${median(suite.starts)} ms each); vitest runs files in parallel, so that is at most ${f((100 * startTotal) / suite.wall, 0)}% of the wall time.`,
    '',
    '**Prism** serving `GET /provider-runs?limit=10` from the static mock, 10 requests in flight for 4 s (the load loop runs on the same 2 cores):',
    '',
    '| log level | requests/s | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...Object.entries(load).map(([level, l]) => `| ${level}${level === 'warn' ? ' (the suite)' : ''} | ${Math.round(l.rps)} | ${f(l.p50, 1)} | ${f(l.p99, 1)} |`),
    '<!-- scale:end -->',
  );
  const section = lines.join('\n');
  console.log(`\n${section}`);
  const resultsFile = join(repoRoot, 'bench', 'RESULTS.md');
  const current = readFileSync(resultsFile, 'utf8');
  const updated = /<!-- scale:start -->[\s\S]*<!-- scale:end -->/.test(current)
    ? current.replace(/<!-- scale:start -->[\s\S]*<!-- scale:end -->/, section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileAtomic(resultsFile, updated);
  console.log('\nbench/RESULTS.md updated.');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
