/**
 * The pipeline at 1x, 10x, 60x and 120x the size of our spec: wall time and peak memory of each step (lint and the whole build included), by
 * our npm scripts and by the bare tool commands side by side in one run; the type-check of a consumer
 * of our client against one of bare openapi-fetch; the contract suite's wall time and the share of it
 * spent starting mocks; Prism's throughput and latency at 10 connections for three log levels.
 * Rewrites its own section of bench/RESULTS.md.
 *
 *   npm run bench:scale            (SCALES=1,10 for a quicker run; STEPS=lint,whole build for those steps only, written to a section of its own)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/paths.ts';
import { writeResultsSection } from './lib/results-file.ts';
import { writeConsumers } from './lib/consumer.ts';
import { type Measure, measure, sideBySide } from './lib/measure.ts';
import { pipelineSteps } from './lib/pipeline-steps.ts';
import { prismUnderLoad } from './lib/prism-load.ts';
import { renderSection, renderStepsSection, type Row } from './lib/scale-report.ts';
import { timeSuite } from './lib/suite-timing.ts';
import { copyPrefix, writeSyntheticSpec } from './lib/synthetic-spec.ts';

const scales = (process.env.SCALES ?? '1,10,60,120').split(',').map(Number);
const roundsAt = (scale: number) => (scale >= 60 ? 2 : 3);
// STEPS=lint,whole build measures only those steps (and skips the suite and Prism): a look, not written to RESULTS.md.
const onlySteps = process.env.STEPS ? new Set(process.env.STEPS.split(',').map((s) => s.trim())) : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'metorial-scale-'));
const node = process.execPath;

/** Busy CPU seconds of the whole machine so far (/proc/stat, in clock ticks of 1/100 s). */
function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

function operationCount(bundledJson: string): number {
  const document = JSON.parse(readFileSync(bundledJson, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  return Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).filter((key) => methods.has(key)).length, 0);
}

async function benchScale(scale: number, spentByUs: Measure[]): Promise<Row[]> {
  const dir = join(scratch, `x${scale}`);
  const { root, ruleset, operations: expected } = writeSyntheticSpec(scale, join(dir, 'spec'));
  const env = {
    METORIAL_SPEC_ROOT: root,
    METORIAL_SPECTRAL_RULESET: ruleset,
    METORIAL_DIST_DIR: join(dir, 'dist'),
    METORIAL_GENERATED_DIR: join(dir, 'generated'),
    METORIAL_CLIENT_DIR: join(dir, 'client'),
  };
  const bareDir = join(dir, 'bare');
  mkdirSync(bareDir, { recursive: true });
  const rounds = roundsAt(scale);
  const rows: Row[] = [];
  const record = (step: string, result: { ours: Measure; bare: Measure }) => {
    for (const m of [result.ours, result.bare]) spentByUs.push(m);
    rows.push({ scale, operations: expected, step, ours: result.ours, bare: result.bare });
    console.log(`  ${step}: ours ${result.ours.seconds.toFixed(2)} s ${Math.round(result.ours.treeMiB)} MiB, bare ${result.bare.seconds.toFixed(2)} s ${Math.round(result.bare.treeMiB)} MiB`);
  };
  const timed = (command: string[], withEnv = env) => () => measure(command, withEnv);
  /** Both sides of a step, alternated; a failing command stops the benchmark at once, naming the step. */
  const run = (step: string, ours: string[], bare: string[]) =>
    sideBySide(timed(ours), timed(bare), rounds).catch((error: Error) => {
      throw new Error(`${step} at ${scale}x failed, so the benchmark stops here (bench/RESULTS.md is unchanged):\n${error.message}`);
    });

  for (const step of pipelineSteps(root, bareDir, ruleset)) {
    if (onlySteps && !onlySteps.has(step.name)) continue;
    const result = await run(step.name, step.ours, step.bare);
    record(step.name, result);
    if (step.name === 'lint') {
      // The synthetic spec must pass our lint rules like the real one: both runs above would have failed otherwise.
      const verdict = result.bare.output.split('\n').find((l) => /Woohoo|problems?|errors?\b/i.test(l) && !l.includes('║'))?.trim();
      console.log(`  lint of the ${scale}x spec: ${verdict ?? '(no summary line)'} / ours: ${result.ours.output.split('\n').find((l) => l.includes('lint'))?.trim()}`);
    }
    if (step.name === 'whole build' && scale > 1) {
      // The whole build includes the client package, built from the types of this spec, not of ours:
      // its paths in the generated types beside the declarations, its resources in the client's.
      const expected = { 'schema.d.ts': `"${copyPrefix(scale)}/`, 'index.d.ts': `readonly ${copyPrefix(scale).slice(1)}: ` };
      for (const [esm, text] of Object.entries(expected)) {
        for (const declarations of [esm, esm.replace(/ts$/, 'cts')]) {
          if (!readFileSync(join(env.METORIAL_CLIENT_DIR, 'dist', declarations), 'utf8').includes(text)) {
            throw new Error(`The ${scale}x build's client package does not have the ${scale}x spec's last copy (${text.trim()}) in ${declarations}.`);
          }
        }
      }
    }
  }
  if (onlySteps) return rows;
  const bundled = join(env.METORIAL_DIST_DIR, 'openapi.json');
  const operations = operationCount(bundled);
  if (operations !== expected) throw new Error(`The ${scale}x bundle has ${operations} operations, expected ${expected}.`);
  console.log(`  the ${scale}x bundle has ${operations} operations`);

  // Type generation alone, from the one bundle: the build's own way (in process) against the CLI.
  const renderTypes = [node, '--import', 'tsx', join(repoRoot, 'bench', 'lib', 'render-types.ts'), bundled, join(dir, 'types-ours.d.ts')];
  const cli = [node, join(repoRoot, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), bundled, '--root-types', '--root-types-no-schema-prefix', '--output', join(bareDir, 'types-alone.d.ts')];
  record('type generation alone', await run('type generation alone', renderTypes, cli));

  const consumers = writeConsumers(dir, scale);
  record('consumer type-check', await run('consumer type-check', consumers.ours, consumers.bare));
  record('consumer type-check, resource methods', await run('consumer type-check, resource methods', consumers.oursResources, consumers.bare));
  return rows;
}

function versions(): string {
  const pkg = (name: string) => (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const tools = ['@redocly/cli', 'openapi-typescript', 'typescript', 'openapi-fetch', '@stoplight/prism-cli', 'vitest', 'tsx'];
  return `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB; ${tools.map((t) => `${t} ${pkg(t)}`).join(', ')}`;
}

try {
  const loadBefore = loadavg()[0]!;
  const busyBefore = machineBusySeconds();
  const ourCpuBefore = process.cpuUsage();
  const pipelineStarted = performance.now();
  const spentByUs: Measure[] = [];
  const rows: Row[] = [];
  for (const scale of scales) {
    console.log(`Scale ${scale}x…`);
    rows.push(...(await benchScale(scale, spentByUs)));
  }
  const pipelineSeconds = (performance.now() - pipelineStarted) / 1000;
  if (onlySteps) {
    // A partial run has its own section, so that a look at some steps never passes for the full run.
    const command = `SCALES=${scales.join(',')} STEPS='${[...onlySteps].join(',')}' npm run bench:scale`;
    writeResultsSection('scale-steps', renderStepsSection({ command, date: new Date().toISOString().slice(0, 16).replace('T', ' '), versions: versions(), loadBefore, loadAfter: loadavg()[0]!, rows }));
    console.log(`\nSTEPS=${process.env.STEPS}: a partial run, written to its own section of bench/RESULTS.md. Pipeline measurements took ${pipelineSeconds.toFixed(0)} s.`);
    process.exit(0);
  }
  const ourCpu = process.cpuUsage(ourCpuBefore);
  const othersCpu = machineBusySeconds() - busyBefore - spentByUs.reduce((sum, m) => sum + m.cpuSeconds, 0) - (ourCpu.user + ourCpu.system) / 1e6;

  console.log('The contract suite (`npm test`\'s vitest project)…');
  const suite = await timeSuite(scratch, 'suite');
  console.log(`  ${suite.wallSeconds.toFixed(1)} s, ${suite.tests.passed} passed, ${suite.tests.failed} failed`);
  // Figures from a run with a failing step are not results: stop here, before RESULTS.md is touched.
  if (suite.tests.failed > 0 || suite.tests.passed === 0) {
    throw new Error(`The suite had ${suite.tests.failed} failing tests (and ${suite.tests.passed} passing); run \`npm test\` to see them. bench/RESULTS.md is unchanged.`);
  }
  console.log('Prism under load…');
  const load = await prismUnderLoad(join(repoRoot, 'generated', 'openapi.json'), '/provider-runs?limit=10', ['warn', 'silent', 'info'], 3, 2_000);

  // The measurements themselves, kept before they are rendered, so a report can be made again from them.
  const report = {
    date: new Date().toISOString().slice(0, 10),
    versions: versions(),
    rounds: scales.map((s) => `${roundsAt(s)} at ${s}x`).join(', '),
    noise: { loadBefore, othersCores: Math.max(0, othersCpu) / pipelineSeconds, pipelineSeconds },
    scales,
    rows,
    suite,
    load,
    notes: [] as string[],
  };
  const measurements = join(tmpdir(), 'metorial-bench-scale.json');
  writeFileSync(measurements, JSON.stringify(report));
  console.log(`Measurements kept in ${measurements}.`);
  const section = renderSection(report);
  console.log(`\n${section}`);
  writeResultsSection('scale', section);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
