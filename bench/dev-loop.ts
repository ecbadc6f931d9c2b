/**
 * `npm run dev` against the loop it replaces, side by side in one run, on a copy of our spec: for each
 * save (an example's text changed), the time until the reference serves it and until the mock answers
 * with it; and, after the same save, the time of `npm run lint` then `npm run bundle` (the old loop's
 * first two steps, before the page could even be refreshed). Rounds alternate, so both meet the same
 * load. Rewrites its section of bench/RESULTS.md.
 *
 *   npm run bench:dev            (SAVES=20 for more rounds; 10 by default)
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/paths.ts';
import { spawnTiedChild } from '../scripts/lib/tied-child.ts';
import { measure } from './lib/measure.ts';
import { npmScript } from './lib/pipeline-steps.ts';
import { writeResultsSection } from './lib/results-file.ts';

const saves = Number(process.env.SAVES ?? 10);
const scratch = mkdtempSync(join(tmpdir(), 'metorial-bench-dev-'));
const spec = join(scratch, 'spec');
const dirs = {
  METORIAL_SPEC_ROOT: join(spec, 'openapi.yaml'),
  METORIAL_DIST_DIR: join(scratch, 'dist'),
  METORIAL_GENERATED_DIR: join(scratch, 'generated'),
  METORIAL_CLIENT_DIR: join(scratch, 'client'),
};
const env = { ...process.env, ...dirs };
const exampleFile = join(spec, 'components', 'examples', 'SessionError.yaml');
const marker = 'Connection timed out after 30 seconds';

/** CPU seconds a process has used so far, its own and its waited-for children's (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}. npm run dev printed:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let child: ChildProcess | undefined;
let output = '';
try {
  cpSync(join(repoRoot, 'spec'), spec, { recursive: true });
  const loadBefore = loadavg()[0]!;
  child = spawnTiedChild(['--import', 'tsx', join(repoRoot, 'scripts', 'dev.ts'), '--port', '0', '--mock-port', '0', '--sandbox-port', '0', '--no-client'], 'capture', env);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [, previewUrl, mockUrl] = await until('npm run dev to start', () => /reference +(http:\/\/\S+)[\s\S]*mock +(http:\/\/\S+)/.exec(output) ?? undefined, 300_000);
  const errorUrl = `${mockUrl}/sessions/ses_4dEfGhJkLmNpQrSt/errors/ser_6fGhJkLmNpQrStUv`;
  const mockSays = async (text: string) => {
    const response = await fetch(errorUrl, { headers: { Authorization: 'Bearer metorial_sk_bench' } });
    return (await response.text()).includes(text) ? true : undefined;
  };
  // The reference serves a new bundle when its event stream announces a build; then check that it holds the save.
  const builds: number[] = [];
  const events = new AbortController();
  void fetch(`${previewUrl}/events`, { signal: events.signal }).then(async (response) => {
    for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
      for (const match of chunk.matchAll(/event: build\ndata: \{"id":(\d+)\}/g)) builds.push(Number(match[1]));
    }
  }).catch(() => undefined);
  let seenBuilds = 0;
  const previewSays = async (text: string) => {
    if (builds.length === seenBuilds) return undefined;
    seenBuilds = builds.length;
    return (await (await fetch(`${previewUrl}/openapi.json`)).text()).includes(text) ? true : undefined;
  };
  const original = readFileSync(exampleFile, 'utf8');

  const toReference: number[] = [];
  const toMock: number[] = [];
  const oldLoop: number[] = [];
  const lintInLoop: number[] = [];
  const cpuPerSave: number[] = [];
  for (let round = 1; round <= saves; round++) {
    const text = `${marker} (save ${round})`;
    const cpuBefore = cpuSecondsOf(child.pid!);
    const saved = performance.now();
    writeFileSync(exampleFile, original.replace(marker, text));
    const reference = until('the reference', () => previewSays(text)).then(() => performance.now() - saved);
    const mock = until('the mock', () => mockSays(text)).then(() => performance.now() - saved);
    const [r, m] = await Promise.all([reference, mock]);
    toReference.push(r);
    toMock.push(m);
    cpuPerSave.push(cpuSecondsOf(child.pid!) - cpuBefore);
    const lint = /lint and bundle ([\d.]+) s\)?[^\n]*$/.exec(output.trimEnd())?.[1];
    if (lint) lintInLoop.push(Number(lint) * 1000);
    // The old loop on the same edit: the CLI lint, then the CLI bundle, as `npm run build` starts.
    const lintCli = await measure(npmScript('lint'), dirs);
    const bundleCli = await measure(npmScript('bundle'), dirs);
    oldLoop.push((lintCli.seconds + bundleCli.seconds) * 1000);
    console.log(`save ${round}: reference ${(r / 1000).toFixed(2)} s, mock ${(m / 1000).toFixed(2)} s; npm run lint + bundle ${(oldLoop.at(-1)! / 1000).toFixed(2)} s`);
  }
 writeFileSync(exampleFile, original);
  events.abort();

  const s = (ms: number) => `${(ms / 1000).toFixed(2)}`;
  const section = [
    '<!-- dev:start -->',
    '## The maintainer loop (`npm run bench:dev`)',
    '',
    `Run of ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores; 1-minute load average ${loadBefore.toFixed(2)} when the run began, ${loadavg()[0]!.toFixed(2)} at its end.`,
    '',
    `${saves} saves of an example's text in a copy of spec/ (our size), \`npm run dev\` running; after each, the old loop's first steps on the same edit (\`npm run lint\`, then \`npm run bundle\`), alternating. Times from the write of the file.`,
    '',
    '| | median (s) | 90th percentile (s) |',
    '|---|---:|---:|',
    `| save → the reference serves it (\`npm run dev\`) | ${s(median(toReference))} | ${s(percentile(toReference, 90))} |`,
    `| save → the mock answers with it (\`npm run dev\`) | ${s(median(toMock))} | ${s(percentile(toMock, 90))} |`,
    ...(lintInLoop.length ? [`| lint and bundle in the loop | ${s(median(lintInLoop))} | ${s(percentile(lintInLoop, 90))} |`] : []),
    `| \`npm run lint\` + \`npm run bundle\` (the old loop, before a refresh) | ${s(median(oldLoop))} | ${s(percentile(oldLoop, 90))} |`,
    `| CPU seconds \`npm run dev\` spent on a save (a floor for its time on an idle core) | ${median(cpuPerSave).toFixed(2)} | ${percentile(cpuPerSave, 90).toFixed(2)} |`,
    '',
    `The old loop over the new, medians: ${(median(oldLoop) / median(toMock)).toFixed(1)}× to the mock. Target: each save in the reference and the mock within 2 s at our size: ` +
      `${Math.max(median(toReference), median(toMock)) <= 2000 ? '**met**' : '**not met**'} (median), ${Math.max(percentile(toReference, 90), percentile(toMock, 90)) <= 2000 ? 'met' : 'not met'} at the 90th percentile.`,
    '<!-- dev:end -->',
  ].join('\n');
  console.log(`\n${section}`);
  if (process.env.BENCH_WRITE !== '0') writeResultsSection('dev', section);
} finally {
  child?.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
