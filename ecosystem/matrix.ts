import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { bundleSpec } from '../scripts/lib/bundle.ts';
import { elapsed, runMain } from '../scripts/lib/cli.ts';
import { packClientPackage, stageClientPackage } from '../scripts/lib/client-package.ts';
import { PipelineError } from '../scripts/lib/run-tool.ts';
import { startSandbox, type RunningSandbox } from '../sandbox/start.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { caseNames } from './cases.mjs';
import { judge, judgeMutation, mutations, type Judged, type Mutation, type TargetOutcome } from './expectations.ts';
import { runToEnd, tail } from './processes.ts';
import { readmeTable, testedOnTable, writeReadmeTable } from './table.ts';
import { allTargets, ensureDir, harnessFiles, type Target } from './targets.ts';

/**
 * The ecosystem matrix (`npm run test:runtimes`, README.md in this folder): packs the client package
 * once, installs it into a consumer project, and runs cases.mjs on every runtime of targets.ts and the
 * type-check on every TypeScript, side by side, against one sandbox; then packs each mutation of
 * expectations.ts (a change that removes a runtime's support) and runs the smoke case everywhere, to
 * prove the matrix fails exactly on the runtimes that change breaks. Exits 1 on an unexpected failure,
 * an unexpected pass, a mutation not caught, or a package README table that does not match.
 */
const { values: flags } = parseArgs({
  options: {
    targets: { type: 'string' },
    mutations: { type: 'string' },
    'write-readme': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const concurrency = Number(process.env.ECOSYSTEM_CONCURRENCY) || Math.max(2, availableParallelism());

interface Variant {
  name: string;
  mutation?: Mutation;
}

/** Runs `tasks` with at most `limit` at a time, in order of the list. */
async function inTurns<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      for (let index = next++; index < tasks.length; index = next++) results[index] = await tasks[index]!();
    }),
  );
  return results;
}

/** The package as built, or a copy with the mutation prepended to the main entry's ES module and CommonJS builds, packed. */
async function packVariant(stageDir: string, variant: Variant, scratch: string): Promise<string> {
  let packageDir = stageDir;
  if (variant.mutation) {
    packageDir = join(scratch, variant.name, 'package');
    cpSync(stageDir, packageDir, { recursive: true });
    for (const [file, code] of [['index.js', variant.mutation.esm], ['index.cjs', variant.mutation.cjs]] as const) {
      const path = join(packageDir, 'dist', file);
      writeFileSync(path, `${code}${readFileSync(path, 'utf8')}`);
    }
  }
  return packClientPackage(packageDir, join(scratch, variant.name, 'tarball'));
}

/** A new consumer project with the tarball installed from it and the harness beside it. */
async function consumerProject(tarball: string, dir: string): Promise<string> {
  ensureDir(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'ecosystem-consumer', private: true, type: 'module' }, null, 2)}\n`);
  for (const { from, name } of harnessFiles()) copyFileSync(from, join(dir, name));
  // --prefer-offline: the dependencies are those `npm ci` put in the cache.
  const install = await runToEnd('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: dir });
  if (install.code !== 0) throw new PipelineError(`npm install of ${tarball} failed:\n${tail(install.stderr)}`);
  return dir;
}

const symbol = { pass: '✔', 'expected failure': '◐', FAIL: '✖', 'UNEXPECTED PASS': '✖' } as const;

function printTarget(target: Target, judged: Judged[], seconds: number): void {
  const worst = judged.find((j) => j.verdict === 'FAIL' || j.verdict === 'UNEXPECTED PASS') ?? judged.find((j) => j.verdict === 'expected failure') ?? judged[0];
  const passed = judged.filter((j) => j.verdict === 'pass').length;
  console.log(`${symbol[worst?.verdict ?? 'FAIL']} ${target.id.padEnd(24)} ${target.name} ${target.version()}, ${target.how}: ${passed}/${judged.length} passed (${seconds.toFixed(1)} s)`);
  // Cases that failed alike (a runtime that did not start fails every case with one message) are named together.
  const notPassed = judged.filter((j) => j.verdict !== 'pass');
  const groups = new Map<string, Judged[]>();
  for (const j of notPassed) groups.set(`${j.verdict}\0${j.detail}`, [...(groups.get(`${j.verdict}\0${j.detail}`) ?? []), j]);
  for (const group of groups.values()) {
    const names = group.length === judged.length && judged.length > 1 ? 'every case' : group.map((j) => j.case).join(', ');
    console.log(`    ${names}: ${group[0]!.verdict}: ${group[0]!.detail.split('\n').join('\n      ')}`);
  }
}

runMain(async () => {
  const started = performance.now();
  const selected = flags.targets?.split(',');
  const targets = allTargets().filter((target) => !selected || selected.some((id) => target.id === id || target.id.startsWith(`${id}-`)));
  if (targets.length === 0) throw new PipelineError(`No target matches --targets ${flags.targets}: the ids are ${allTargets().map((t) => t.id).join(', ')}.`);

  const table = testedOnTable(allTargets());
  if (flags['write-readme']) {
    writeReadmeTable(table);
    console.log('✔ client/README.md: the "Tested on" table is written from ecosystem/targets.ts and expectations.ts.');
    return;
  }
  const readmeProblem = readmeTable() === table ? undefined : 'client/README.md\'s "Tested on" table is not what the matrix tests: run `npm run test:runtimes -- --write-readme` and commit it.';

  const variants: Variant[] = [
    { name: 'package' },
    ...Object.entries(mutations)
      .filter(([name]) => (flags.mutations === undefined ? !selected : flags.mutations.split(',').includes(name)))
      .map(([name, mutation]) => ({ name, mutation })),
  ];

  const scratch = mkdtempSync(join(tmpdir(), 'metorial-ecosystem-'));
  const runId = Date.now().toString(36);
  let sandbox: RunningSandbox | undefined;
  let browser: Promise<Browser> | undefined;
  const cleanUp = async () => {
    await Promise.allSettled([sandbox?.stop(), browser?.then((b) => b.close())]);
    if (!flags.keep) rmSync(scratch, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

  try {
    // The spec bundled and the sandbox started, beside the package's build.
    const [sandboxStarted, staged] = await Promise.allSettled([
      // Generous: beside the package's build on a loaded machine, starting has taken over a minute (test/support/global-setup.ts).
      bundleSpec(scratch).then(() => startSandbox({ spec: join(scratch, 'openapi.json'), readyTimeoutMs: 180_000 })),
      stageClientPackage(join(scratch, 'staged')),
    ]);
    if (sandboxStarted.status === 'fulfilled') sandbox = sandboxStarted.value;
    if (sandboxStarted.status === 'rejected') throw sandboxStarted.reason;
    if (staged.status === 'rejected') throw staged.reason;
    const projects = await Promise.all(variants.map(async (variant) => consumerProject(await packVariant(staged.value, variant, scratch), join(scratch, variant.name, 'project'))));
    console.log(`Package packed and installed (${variants.map((v) => v.name).join(', ')}) in ${elapsed(started)}; running ${targets.length} targets, ${concurrency} at a time.`);

    const runningSandbox = sandbox!;
    const tasks = variants.flatMap((variant, index) =>
      targets
        .filter((target) => !variant.mutation || target.group === 'runtimes')
        .map((target) => async (): Promise<{ variant: string; target: Target; seconds: number; outcome: TargetOutcome }> => {
          const only = target.group === 'types' ? ['type-check'] : variant.mutation ? ['list'] : [...caseNames];
          const context = {
            project: projects[index]!,
            outDir: ensureDir(join(scratch, variant.name, 'out', target.id)),
            baseUrl: runningSandbox.url,
            apiKey: `metorial_sk_eco_${runId}_${variant.name}_${target.id}`.replace(/[^A-Za-z0-9_]/g, '_'),
            only,
            browser: () => (browser ??= launchChromium()),
          };
          const began = performance.now();
          try {
            const reported = await target.run(context);
            // A case the report leaves out failed: nothing shows it ran.
            const cases = Object.fromEntries(only.map((name) => [name, reported[name] ?? { ok: false, error: 'the report has no outcome for this case' }]));
            return { variant: variant.name, target, seconds: (performance.now() - began) / 1000, outcome: { target: target.id, cases } };
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            return { variant: variant.name, target, seconds: (performance.now() - began) / 1000, outcome: { target: target.id, cases: Object.fromEntries(only.map((name) => [name, { ok: false, error: message }])) } };
          }
        }),
    );
    const results = await inTurns(tasks, concurrency);

    let failed = false;
    console.log('\nThe package:');
    for (const { target, outcome, seconds } of results.filter((r) => r.variant === 'package')) {
      const judged = judge([outcome]);
      failed ||= judged.some((j) => j.verdict === 'FAIL' || j.verdict === 'UNEXPECTED PASS');
      printTarget(target, judged, seconds);
    }
    for (const variant of variants.filter((v) => v.mutation)) {
      const outcomes = results.filter((r) => r.variant === variant.name).map((r) => r.outcome);
      const mutation = { ...variant.mutation!, breaks: variant.mutation!.breaks.filter((id) => targets.some((t) => t.id === id)) };
      const problems = judgeMutation(variant.name, outcomes, mutation);
      const broken = outcomes.filter((o) => Object.values(o.cases).some((c) => !c.ok)).map((o) => o.target);
      if (problems.length === 0) console.log(`\n✔ With ${mutation.change}, the matrix fails on ${broken.join(', ')}, and on nothing else.`);
      else {
        failed = true;
        console.log(`\n✖ With ${mutation.change}:\n  ${problems.join('\n  ')}`);
      }
    }
    if (readmeProblem) {
      failed = true;
      console.log(`\n✖ ${readmeProblem}`);
    }
    console.log(`\n${failed ? '✖ The ecosystem matrix failed' : '✔ The ecosystem matrix passed'} in ${elapsed(started)}.`);
    if (failed) process.exitCode = 1;
  } finally {
    await cleanUp();
  }
});
