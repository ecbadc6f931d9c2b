import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { bundleForBrowser } from '../scripts/lib/browser-bundle.ts';
import { installedNodeBinaries, testedNodeVersions } from '../scripts/lib/node-versions.ts';
import { repoRoot, tsgoBin } from '../scripts/lib/paths.ts';
import { findFreePort } from '../scripts/lib/prism.ts';
import { spawnTiedChild } from '../scripts/lib/tied-child.ts';
import type { CaseOutcome } from './expectations.ts';
import { lastJsonLine, runToEnd, tail } from './processes.ts';
import { pinnedTools, requireTool, toolBinary, toolRequire } from './toolchain.ts';

/** What a target is run with: one consumer project (the packed package installed, the harness beside it). */
export interface RunContext {
  /** The consumer project: package.json, node_modules with the packed package, ecosystem/harness/*, cases.mjs. */
  project: string;
  /** A folder of this target's own, for bundles and configuration. */
  outDir: string;
  /** The sandbox, behind Prism's validating proxy. */
  baseUrl: string;
  /** A key of this target's own: the sandbox keeps each key's data apart. */
  apiKey: string;
  /** The cases to run (cases.mjs). */
  only: readonly string[];
  /** The one headless Chromium of the run. */
  browser(): Promise<Browser>;
}

export interface Target {
  /** Stable id, used by expectations.ts. */
  id: string;
  /** `runtimes` run cases.mjs; `types` type-check a consumer project. */
  group: 'runtimes' | 'types';
  /** For the table: what it is, which version, and how the package is loaded. */
  name: string;
  version(): string;
  how: string;
  /** Each case's outcome. Throws when the target cannot run at all (a missing runtime, a failed bundle). */
  run(context: RunContext): Promise<Record<string, CaseOutcome>>;
}

interface Report {
  runtime: string;
  cases: Record<string, CaseOutcome>;
}

/** The environment of a runtime's process: ours without the client's own variables, so nothing reaches the client that way. */
function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { METORIAL_API_KEY: _key, METORIAL_BASE_URL: _url, ...rest } = process.env;
  return { ...rest, ...extra };
}

/** Checks a report came from the runtime it should (`identity`) and returns its cases. */
function casesOf(report: unknown, identity: RegExp, where: string): Record<string, CaseOutcome> {
  const { runtime, cases } = (report ?? {}) as Partial<Report>;
  if (typeof runtime !== 'string' || !cases) throw new Error(`${where} gave no report of the cases`);
  if (!identity.test(runtime)) throw new Error(`${where} reported running on "${runtime}", not ${identity}`);
  return cases;
}

/** Runs a program that prints the report as its last JSON line. */
async function reportFromProcess(program: string, args: string[], context: RunContext, identity: RegExp, env = childEnvironment()): Promise<Record<string, CaseOutcome>> {
  const result = await runToEnd(program, [...args, context.baseUrl, context.apiKey, context.only.join(',')], { cwd: context.project, env });
  const report = lastJsonLine(result.stdout);
  if (!report) {
    const ended = result.timedOut ? 'was killed after 120 s' : `exited ${result.code ?? result.signal}`;
    throw new Error(`${ended} without a report:\n${tail(`${result.stderr}\n${result.stdout}`)}`);
  }
  return casesOf(report, identity, program);
}

// ---- Node -----------------------------------------------------------------------------------

function nodeTargets(): Target[] {
  const versions = [process.versions.node, ...testedNodeVersions];
  const binary = (version: string) => (version === process.versions.node ? process.execPath : installedNodeBinaries().find((node) => node.version === version)!.binary);
  return versions.flatMap((version) =>
    (['esm', 'cjs'] as const).map(
      (format): Target => ({
        id: `node-${version.split('.')[0]}-${format}`,
        group: 'runtimes',
        name: 'Node.js',
        version: () => version,
        how: format === 'esm' ? '`import` (ES module)' : '`require` (CommonJS)',
        run: (context) => reportFromProcess(binary(version), [format === 'esm' ? 'main.mjs' : 'main.cjs'], context, new RegExp(`^Node ${version.replaceAll('.', '\\.')}$`)),
      }),
    ),
  );
}

// ---- Deno and Bun ---------------------------------------------------------------------------

/** Deno's own environment: its cache in the run's scratch folder, no update check, no prompt. */
const denoEnvironment = (context: RunContext) => childEnvironment({ DENO_DIR: join(context.outDir, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' });
/** Network to this machine only and reading the project: no environment, no writes, no other hosts. */
const denoPermissions = (context: RunContext) => ['--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${context.project}`];
const denoIdentity = new RegExp(`^Deno ${pinnedTools.deno.version.replaceAll('.', '\\.')}$`);

/**
 * An import map as a Deno user writes one for a vendored copy: each bare name to an ES module file.
 * The package's own entries and openapi-fetch's come from their package.json `exports` (`import`).
 */
function writeImportMap(context: RunContext): string {
  const importEntry = (packageName: string, subpath: string): string => {
    const manifest = JSON.parse(readFileSync(join(context.project, 'node_modules', packageName, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const entry = manifest.exports[subpath] as { import?: string | { default?: string }; default?: string };
    const file = typeof entry.import === 'string' ? entry.import : (entry.import?.default ?? entry.default);
    return `./node_modules/${packageName}/${file!.replace(/^\.\//, '')}`;
  };
  const imports = {
    'metorial-api-client': importEntry('metorial-api-client', '.'),
    'metorial-api-client/validation': importEntry('metorial-api-client', './validation'),
    'openapi-fetch': importEntry('openapi-fetch', '.'),
    'ajv/dist/2020.js': './node_modules/ajv/dist/2020.js',
    'ajv-formats': './node_modules/ajv-formats/dist/index.js',
  };
  const file = join(context.project, 'deno-import-map.json');
  writeFileSync(file, `${JSON.stringify({ imports }, null, 2)}\n`);
  return file;
}

function denoAndBunTargets(): Target[] {
  return [
    {
      id: 'deno-npm',
      group: 'runtimes',
      name: 'Deno',
      version: () => pinnedTools.deno.version,
      how: '`npm:` specifier (node_modules), `--allow-net=127.0.0.1` and read access only',
      run: (context) =>
        reportFromProcess(toolBinary('deno'), ['run', '--node-modules-dir=manual', ...denoPermissions(context), 'main-deno-npm.mjs'], context, denoIdentity, denoEnvironment(context)),
    },
    {
      id: 'deno-import-map',
      group: 'runtimes',
      name: 'Deno',
      version: () => pinnedTools.deno.version,
      how: 'plain import map to the ES module files, no npm, same permissions',
      run: (context) =>
        reportFromProcess(
          toolBinary('deno'),
          ['run', '--no-config', '--no-npm', '--node-modules-dir=none', `--import-map=${writeImportMap(context)}`, ...denoPermissions(context), 'main.mjs'],
          context,
          denoIdentity,
          denoEnvironment(context),
        ),
    },
    {
      id: 'bun',
      group: 'runtimes',
      name: 'Bun',
      version: () => pinnedTools.bun.version,
      how: '`import` from node_modules',
      run: (context) =>
        reportFromProcess(
          toolBinary('bun'),
          ['--no-install', 'main.mjs'],
          context,
          new RegExp(`^Bun ${pinnedTools.bun.version.replaceAll('.', '\\.')}$`),
          // No transpiler cache written under the home folder.
          childEnvironment({ BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' }),
        ),
    },
  ];
}

// ---- workerd and the edge runtime -----------------------------------------------------------

/** Bundles an entry of the project with esbuild, as wrangler (Workers) and Next.js (edge) do; throws the bundler's first error. */
async function bundleForServerless(context: RunContext, entry: string, options: { format: 'esm' | 'iife'; conditions: string[]; platform: 'neutral' | 'browser' }): Promise<string> {
  const outfile = join(context.outDir, entry.replace(/\.mjs$/, '.js'));
  try {
    await build({
      entryPoints: [join(context.project, entry)],
      bundle: true,
      outfile,
      format: options.format,
      platform: options.platform,
      conditions: options.conditions,
      mainFields: ['browser', 'module', 'main'],
      target: 'es2022',
      logLevel: 'silent',
    });
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { file: string } }> }).errors?.[0];
    throw new Error(`bundling ${entry} failed: ${first ? `${first.location?.file ?? ''}: ${first.text}` : String(error)}`);
  }
  return outfile;
}

/** The newest compatibility date this workerd knows, as wrangler would set for a new Worker. */
const workerdCompatibilityDate = () => (toolRequire('workerd')('workerd') as { compatibilityDate: string }).compatibilityDate;

/**
 * A workerd configuration: the Worker (one ES module, no nodejs_compat flag) on 127.0.0.1:port, with
 * an outbound network that may reach this machine (workerd's default internet service refuses private
 * and local addresses).
 */
function workerdConfig(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "${workerdCompatibilityDate()}",
  globalOutbound = "internet",
);
`;
}

async function runWorkerd(context: RunContext): Promise<Record<string, CaseOutcome>> {
  const binary = toolBinary('workerd');
  await bundleForServerless(context, 'worker.mjs', { format: 'esm', conditions: ['workerd', 'worker', 'browser'], platform: 'neutral' });
  const port = await findFreePort();
  const config = join(context.outDir, 'workerd.capnp');
  writeFileSync(config, workerdConfig(port));
  const child = spawnTiedChild(['serve', config], 'capture', childEnvironment(), { node: binary, cwd: context.outDir });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`workerd exited (${child.exitCode ?? child.signalCode}) before it listened:\n${tail(output)}`);
      const ready = await fetch(`${url}/ready`).then((answer) => answer.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`workerd did not answer on ${url} within 60 s:\n${tail(output)}`);
      await sleep(100);
    }
    const query = new URLSearchParams({ base: context.baseUrl, key: context.apiKey, only: context.only.join(',') });
    const answer = await fetch(`${url}/?${query}`, { signal: AbortSignal.timeout(120_000) });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`the Worker answered ${answer.status}: ${tail(text)}\n${tail(output)}`);
    return casesOf(JSON.parse(text), /^Cloudflare-Workers$/, 'workerd');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function serverlessTargets(): Target[] {
  return [
    {
      id: 'workerd',
      group: 'runtimes',
      name: "workerd (Cloudflare Workers' runtime)",
      version: () => pinnedTools.workerd.version,
      how: 'a module Worker bundled by esbuild as wrangler does, no `nodejs_compat`',
      run: runWorkerd,
    },
    {
      id: 'edge-runtime',
      group: 'runtimes',
      name: "Vercel's edge runtime (`edge-runtime`)",
      version: () => pinnedTools['edge-runtime'].version,
      how: 'an edge function bundled by esbuild (`edge-light` condition)',
      run: async (context) => {
        const toolDir = requireTool('edge-runtime');
        const bundle = await bundleForServerless(context, 'edge.mjs', { format: 'iife', conditions: ['edge-light', 'worker', 'browser'], platform: 'browser' });
        return reportFromProcess(process.execPath, [join(repoRoot, 'ecosystem', 'edge-host.mjs'), toolDir, bundle], context, /^edge-runtime/);
      },
    },
  ];
}

// ---- Chromium ---------------------------------------------------------------------------------

async function bundleWith(bundler: 'vite' | 'webpack', context: RunContext): Promise<string> {
  const toolDir = requireTool(bundler);
  const outDir = join(context.outDir, bundler);
  const result = await runToEnd(process.execPath, [join(repoRoot, 'ecosystem', 'bundle-with.mjs'), bundler, toolDir, join(context.project, 'browser.mjs'), outDir], {
    cwd: context.project,
    env: childEnvironment(),
  });
  const bundle = join(outDir, 'bundle.js');
  if (result.code !== 0 || !existsSync(bundle)) throw new Error(`bundling browser.mjs with ${bundler} failed (${result.code ?? result.signal}):\n${tail(`${result.stderr}\n${result.stdout}`)}`);
  return readFileSync(bundle, 'utf8');
}

let chromiumVersion = '';

function browserTargets(): Target[] {
  const bundlers = {
    esbuild: { version: () => JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version as string },
    vite: { version: () => pinnedTools.vite.version },
    webpack: { version: () => pinnedTools.webpack.version },
  } as const;
  return (Object.keys(bundlers) as Array<keyof typeof bundlers>).map(
    (bundler): Target => ({
      id: `chromium-${bundler}`,
      group: 'runtimes',
      name: 'Chromium (headless, Debian)',
      version: () => chromiumVersion || 'not run',
      how: `a page's script bundled by ${bundler} ${bundlers[bundler].version()}`,
      run: async (context) => {
        const code =
          bundler === 'esbuild'
            ? await bundleForBrowser(join(context.project, 'browser.mjs'), { globalName: 'ecosystemPage' }).then(
                (bundle) => bundle.code,
                (error: { errors?: Array<{ text: string }> }) => Promise.reject(new Error(`bundling browser.mjs with esbuild failed: ${error.errors?.[0]?.text ?? String(error)}`)),
              )
            : await bundleWith(bundler, context);
        const browser = await context.browser();
        chromiumVersion = browser.version();
        const page = await browser.newPage();
        try {
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          await page.addScriptTag({ content: code });
          const report = await page.evaluate(
            ({ baseUrl, apiKey, only }) => {
              const ecosystem = (globalThis as { ecosystem?: { run(baseUrl: string, apiKey: string, only: string[]): Promise<unknown> } }).ecosystem;
              return ecosystem ? ecosystem.run(baseUrl, apiKey, only) : undefined;
            },
            { baseUrl: context.baseUrl, apiKey: context.apiKey, only: [...context.only] },
          );
          if (!report) throw new Error(`the page's script did not start${errors.length ? `: ${errors.join('; ')}` : ''}`);
          return casesOf(report, /HeadlessChrome\/|Chrome\//, `Chromium (${bundler})`);
        } finally {
          await page.close();
        }
      },
    }),
  );
}

// ---- TypeScript -------------------------------------------------------------------------------

/** The compilers by release; typeScriptTargets lists them oldest first (as object keys, `7` would sort first). */
const compilers = {
  '5.3': { version: () => pinnedTools['typescript-too-old'].version, command: () => [process.execPath, join(requireTool('typescript-too-old'), 'node_modules', 'typescript', 'bin', 'tsc')] },
  '5.4': { version: () => pinnedTools['typescript-oldest'].version, command: () => [process.execPath, join(requireTool('typescript-oldest'), 'node_modules', 'typescript', 'bin', 'tsc')] },
  '5.9': {
    version: () => (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }).version,
    command: () => [process.execPath, join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')],
  },
  '7': {
    version: () => (JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@typescript', 'native-preview', 'package.json'), 'utf8')) as { version: string }).version,
    command: () => [tsgoBin],
  },
} as const;

/** The consumer's compiler options: strict, no skipLibCheck, one module resolution each. */
const resolutions = {
  node16: { module: 'node16', moduleResolution: 'node16', files: ['typed.ts', 'typed.cts'] },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['typed.ts', 'typed.cts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['typed.ts'] },
} as const;

function typeScriptTargets(): Target[] {
  const all = Object.keys(resolutions) as Array<keyof typeof resolutions>;
  // 5.3 is there to fail (the lower bound): one resolution shows it, at a third of the CPU.
  return (['5.3', '5.4', '5.9', '7'] as const satisfies Array<keyof typeof compilers>).flatMap((release) =>
    (release === '5.3' ? (['bundler'] as const) : all).map(
      (resolution): Target => ({
        id: `typescript-${release}-${resolution}`,
        group: 'types',
        name: release === '7' ? 'TypeScript 7 (`tsgo`)' : 'TypeScript',
        version: compilers[release].version,
        how: `\`strict\`, \`moduleResolution: ${resolution}\`, no \`skipLibCheck\``,
        run: async (context) => {
          const { files, ...options } = resolutions[resolution];
          const config = join(context.project, `tsconfig.${release}-${resolution}.json`);
          writeFileSync(config, JSON.stringify({ compilerOptions: { ...options, strict: true, target: 'es2022', types: [], noEmit: true }, files }, null, 2));
          const [program, ...args] = compilers[release].command();
          const result = await runToEnd(program!, [...args, '-p', config, '--pretty', 'false'], { cwd: context.project });
          const diagnostics = `${result.stdout}${result.stderr}`.trim();
          if (result.code !== 0 && !diagnostics) throw new Error(`the compiler exited ${result.code ?? result.signal} without a diagnostic`);
          return { 'type-check': diagnostics ? { ok: false, error: diagnostics } : { ok: true } };
        },
      }),
    ),
  );
}

/** Every target of the matrix, runtimes first. */
export function allTargets(): Target[] {
  return [...nodeTargets(), ...denoAndBunTargets(), ...serverlessTargets(), ...browserTargets(), ...typeScriptTargets()];
}

/** The harness files every consumer project gets: the entries, the cases, and the typed consumer of the package's tests. */
export function harnessFiles(): Array<{ from: string; name: string }> {
  const harness = join(repoRoot, 'ecosystem', 'harness');
  const consumer = join(repoRoot, 'test', 'fixtures', 'consumer');
  return [
    ...['main.mjs', 'main.cjs', 'main-deno-npm.mjs', 'worker.mjs', 'edge.mjs', 'browser.mjs'].map((name) => ({ from: join(harness, name), name })),
    { from: join(repoRoot, 'ecosystem', 'cases.mjs'), name: 'cases.mjs' },
    { from: join(consumer, 'typed.ts'), name: 'typed.ts' },
    { from: join(consumer, 'typed.cts'), name: 'typed.cts' },
  ];
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
