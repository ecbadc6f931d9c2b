import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleForBrowser, type BrowserBundle } from '../../scripts/lib/browser-bundle.ts';
import { packClientPackage } from '../../scripts/lib/client-package.ts';
import type { OpenApiDocument } from '../../scripts/lib/bundle.ts';
import { installedNodeBinaries, testedNodeVersions } from '../../scripts/lib/node-versions.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { bothWaysCalls, bothWaysTypes, writeBothWaysScript } from '../support/both-ways.ts';
import { launchChromium } from '../support/chromium.ts';
import { quickInfoAt } from '../support/quick-info.ts';
import { createConsumerProject, runCommand, typeCheckConsumer, type CommandResult } from '../support/consumer-project.ts';
import { suiteBuild } from '../support/suite-build.ts';

/**
 * The client package as a user gets it: built from the current sources, packed, installed from the
 * tarball into a new project, and used from there by ESM and CommonJS on each supported Node, by
 * TypeScript under several consumer configurations, and by a browser bundle in Chromium. Packing
 * and installing happen once; the checks then run side by side, each test awaiting its own.
 */
const mockUrl = inject('mockUrl');
// Each test awaits checks that run side by side in child processes (npm, tsc, Node, Chromium): on a
// loaded machine the first to be awaited waits for most of them. The timeout catches a hang only.
const waitsOnChildProcesses = { timeout: 240_000 };
const spec = JSON.parse(readFileSync(inject('specFile'), 'utf8')) as OpenApiDocument & { info: { version: string } };
const operationCalls = bothWaysCalls(spec);
const clientPackageJson = JSON.parse(readFileSync(join(repoRoot, 'client', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};
const rootPackageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { private?: boolean; dependencies: Record<string, string> };

const scratch = mkdtempSync(join(tmpdir(), 'metorial-client-package-'));
const consumerDir = join(scratch, 'consumer');

interface CallReport {
  moduleSystem: 'esm' | 'commonjs';
  node: string;
  runIds: string[];
  notFound: Record<string, unknown>;
}

/** A check started in beforeAll and awaited by its test; a failure is that test's, not an unhandled rejection. */
function started<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}

let tarball: string;
let tarballFiles: Promise<string[]>;
let publintMessages: Promise<string[]>;
let attwReport: Promise<{ problems: unknown }>;
let publishDryRun: Promise<CommandResult>;
let expected: Promise<{ runIds: string[]; notFoundCode: string; requestId: string | null }>;
const calls = new Map<string, Promise<CallReport>>();
const typeChecks = new Map<string, Promise<string>>();
let browserBundle: Promise<BrowserBundle>;
let browserRun: Promise<unknown>;
let resourceBundle: Promise<BrowserBundle>;
let resourceBrowserRun: Promise<unknown>;
let bothWaysRun: Promise<Record<string, Record<string, { byResource: unknown; byPath: unknown }>>>;
let hover: Promise<{ resource: string; path: string }>;
let browser: Promise<Browser>;

const typeCheckRuns = [
  ['nodenext', 'TypeScript 5', true],
  ['bundler', 'TypeScript 7', false],
  ['strictest', 'TypeScript 7', false],
] as const;

const runtimes = [{ version: process.versions.node, label: "the machine's Node" }, ...testedNodeVersions.map((version) => ({ version, label: `Node ${version.split('.')[0]}` }))];
const binaryOf = (version: string): string =>
  version === process.versions.node ? process.execPath : installedNodeBinaries().find((node) => node.version === version)!.binary;

async function callFromConsumer(version: string, script: string): Promise<CallReport> {
  const result = await runCommand(binaryOf(version), [script, mockUrl], { cwd: consumerDir });
  if (result.code !== 0) throw new Error(`node ${script} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as CallReport;
}

beforeAll(async () => {
  browser = started(Promise.resolve().then(launchChromium));
  expected = started(
    (async () => {
      const headers = { Authorization: 'Bearer metorial_sk_consumerTest' };
      const list = (await (await fetch(`${mockUrl}/runs`, { headers })).json()) as { items: Array<{ id: string }> };
      const missing = await fetch(`${mockUrl}/runs/run_missing`, { headers: { ...headers, Prefer: 'code=404' } });
      return { runIds: list.items.map((run) => run.id), notFoundCode: ((await missing.json()) as { code: string }).code, requestId: missing.headers.get('metorial-req-id') };
    })(),
  );
  // The package as `npm run build` leaves it (the suite's build), packed as `npm publish` would.
  const stageDir = (await suiteBuild()).client;
  tarball = await packClientPackage(stageDir, scratch);
  const tarballData = readFileSync(tarball);

  tarballFiles = started(runCommand('tar', ['-tzf', tarball], { cwd: scratch }).then((r) => r.stdout.trim().split('\n').sort()));
  publintMessages = started(
    publint({ pack: { tarball: tarballData.buffer.slice(tarballData.byteOffset, tarballData.byteOffset + tarballData.byteLength) }, level: 'suggestion', strict: true }).then(
      ({ messages, pkg }) => messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`),
    ),
  );
  attwReport = started(
    runCommand(process.execPath, [join(repoRoot, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), '--format', 'json', tarball], { cwd: scratch }).then(
      (result) => JSON.parse(result.stdout) as { problems: unknown },
    ),
  );
  publishDryRun = started(runCommand('npm', ['publish', '--dry-run', '--ignore-scripts'], { cwd: stageDir }));

  const installed = started(
    createConsumerProject(consumerDir, tarball, join(repoRoot, 'client', 'README.md')).then((project) => {
      writeFileSync(join(consumerDir, 'both-ways.ts'), bothWaysTypes(operationCalls));
      writeBothWaysScript(consumerDir, operationCalls);
      return project;
    }),
  );
  bothWaysRun = started(
    installed.then(async () => {
      const result = await runCommand(process.execPath, ['both-ways.mjs', mockUrl], { cwd: consumerDir });
      if (result.code !== 0) throw new Error(`node both-ways.mjs exited ${result.code}:\n${result.stderr}`);
      return JSON.parse(result.stdout);
    }),
  );
  // What an editor shows on hover at a resource call and at a path call, from the installed declarations.
  hover = started(
    installed.then(() => {
      const code = "import { createClient } from 'metorial-api-client';\nconst metorial = createClient();\nvoid metorial.runs.get('run_1');\nvoid metorial.get('/runs/{run_id}', { params: { path: { run_id: 'run_1' } } });\n";
      writeFileSync(join(consumerDir, 'hover.ts'), code);
      const at = (needle: string) => quickInfoAt(consumerDir, 'hover.ts', code.indexOf(needle) + needle.length - 1);
      return { resource: at('runs.get'), path: at('metorial.get') };
    }),
  );
  for (const { version } of runtimes) {
    for (const script of ['call.mjs', 'call.cjs']) calls.set(`${version} ${script}`, started(installed.then(() => callFromConsumer(version, script))));
  }
  const esmFiles = (examples: string[]) => ['typed.ts', 'both-ways.ts', ...examples];
  // TypeScript 5 (what most consumers run today) for the common Node setup; TypeScript 7, the native
  // port (several times faster), for the others, so both compilers are covered.
  for (const [name, compiler, withCommonJs] of typeCheckRuns) {
    typeChecks.set(
      name,
      started(installed.then(({ readmeExamples }) => typeCheckConsumer(consumerDir, name, [...esmFiles(readmeExamples), ...(withCommonJs ? ['typed.cts'] : [])], compiler))),
    );
  }
  browserBundle = started(installed.then(() => bundleForBrowser(join(consumerDir, 'browser.ts'), { globalName: 'consumer' })));
  resourceBundle = started(installed.then(() => bundleForBrowser(join(consumerDir, 'browser-resources.ts'), { globalName: 'consumer' })));
  const runInChromium = (bundle: Promise<BrowserBundle>) =>
    started(
      Promise.all([browser, bundle]).then(async ([chromium, { code }]) => {
        const page = await chromium.newPage();
        try {
          await page.addScriptTag({ content: code });
          return await page.evaluate((url) => (globalThis as unknown as { consumer: { callTheMock(url: string): Promise<unknown> } }).consumer.callTheMock(url), mockUrl);
        } finally {
          await page.close();
        }
      }),
    );
  browserRun = runInChromium(browserBundle);
  resourceBrowserRun = runInChromium(resourceBundle);
}, 240_000);

afterAll(async () => {
  // Let every check finish before its files go.
  await Promise.allSettled([tarballFiles, publintMessages, attwReport, publishDryRun, ...calls.values(), ...typeChecks.values(), browserRun, resourceBrowserRun, bothWaysRun, hover]);
  await (await browser?.catch(() => undefined))?.close();
  rmSync(scratch, { recursive: true, force: true });
}, 240_000);

describe('the client package', waitsOnChildProcesses, () => {
  it('is named outside the API vendor\'s scope, versioned as the spec, while the repository root stays private', () => {
    expect(clientPackageJson.name).not.toMatch(/^@metorial\//);
    expect(clientPackageJson.version).toBe(spec.info.version);
    expect(rootPackageJson.private).toBe(true);
  });

  it('depends on the versions the repository tests with', () => {
    for (const [name, range] of Object.entries(clientPackageJson.dependencies)) {
      expect(range, name).toBe(`^${rootPackageJson.dependencies[name]}`);
    }
  });

  it('packs only what runs: the ESM and CommonJS builds with their declarations, package.json and README', async () => {
    const files = await tarballFiles;
    expect(files.filter((file) => !/^package\/(?:dist\/[\w-]+\.(?:js|cjs|d\.ts|d\.cts)|package\.json|README\.md|validation\/package\.json)$/.test(file))).toEqual([]);
    for (const entry of ['index', 'validation']) {
      expect(files).toEqual(expect.arrayContaining([`package/dist/${entry}.js`, `package/dist/${entry}.cjs`, `package/dist/${entry}.d.ts`, `package/dist/${entry}.d.cts`]));
    }
  });

  it('has no problem publint finds in the tarball, suggestions included', async () => {
    expect(await publintMessages).toEqual([]);
  });

  it('has no problem @arethetypeswrong/cli finds in the tarball, under every module resolution', async () => {
    expect((await attwReport).problems).toEqual({});
  });

  it('passes npm publish --dry-run', async () => {
    const result = await publishDryRun;
    expect(result.code, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain(`${clientPackageJson.name}@${spec.info.version}`);
  });
});

describe('the installed package, called against the mock', waitsOnChildProcesses, () => {
  describe.each(runtimes)('on $label ($version)', ({ version }) => {
    it.each(['call.mjs', 'call.cjs'])('%s lists runs and gets a typed NotFoundError for a missing one', async (script) => {
      const report = await calls.get(`${version} ${script}`)!;
      const { runIds, notFoundCode, requestId } = await expected;
      expect(report).toEqual({
        moduleSystem: script === 'call.mjs' ? 'esm' : 'commonjs',
        node: `v${version}`,
        runIds,
        notFound: { isNotFoundError: true, isMetorialError: true, name: 'NotFoundError', status: 404, code: notFoundCode, requestId },
      });
      expect(runIds.length).toBeGreaterThan(0);
    });
  });
});

describe('every operation, called both ways from the installed package', waitsOnChildProcesses, () => {
  it('resolves the same body and throws the same error (class, status, code, operation) by its resource method and by its path', async () => {
    const report = await bothWaysRun;
    expect(Object.keys(report).sort()).toEqual(operationCalls.map((call) => call.operationId).sort());
    for (const [operationId, outcomes] of Object.entries(report)) {
      for (const [label, { byResource, byPath }] of Object.entries(outcomes)) expect(byResource, `${operationId}, ${label}`).toEqual(byPath);
      expect(outcomes.documented!.byResource, operationId).toHaveProperty('resolved');
      expect(outcomes['404']!.byResource, operationId).toHaveProperty('threw');
    }
  });
});

describe('the declarations, in a consumer project without skipLibCheck', waitsOnChildProcesses, () => {
  it.each(typeCheckRuns)(
    'type-check under strict with %s options (%s): the typed calls in both styles, every operation resolving the same type both ways, the README examples, and each @ts-expect-error (a wrong path, a missing path parameter, a wrong resource method or argument) is an error',
    async (name) => {
      expect(await typeChecks.get(name)!).toBe('');
    },
  );

  it("show an editor the operation's summary, description and reference link on hover at a resource method, and its signature at a path call", async () => {
    const { resource, path } = await hover;
    const getRun = operationCalls.find((call) => call.chain.join('.') === 'runs.get')!;
    const operation = (spec.paths as any)[getRun.path][getRun.method];
    console.log(`Hover at metorial.runs.get:\n${resource}\n\nHover at metorial.get:\n${path}`);
    expect(resource).toMatch(/^\(method\) RunsResource\.get\(runId: string, options\?: RequestOptions\): Promise<Run>$/m);
    expect(resource).toContain(operation.summary);
    expect(resource).toContain(operation.description.trim());
    expect(resource).toMatch(/@see .*#\/runs\/getrun/);
    expect(resource).toContain('@param runId');
    expect(path).toMatch(/MetorialClient\.get: <"\/runs\/\{run_id\}">\(path: "\/runs\/\{run_id\}"/);
  });
});

describe('a browser bundle of the package', waitsOnChildProcesses, () => {
  it('of one path-style call is one file of at most 10 KiB gzipped: response validation (ajv and the spec) is not in it', async () => {
    const bundle = await browserBundle;
    console.log(`Browser bundle of one path-style call: ${bundle.minifiedBytes} bytes minified, ${bundle.gzippedBytes} bytes gzipped.`);
    // Issue 25's budget (bench/RESULTS.md, bundle section; spec/DECISIONS.md SDK10).
    expect(bundle.gzippedBytes).toBeLessThanOrEqual(10 * 1024);
    expect(bundle.code).not.toContain('x-codeSamples');
  });

  it('of one resource call is at most 11 KiB gzipped', async () => {
    const bundle = await resourceBundle;
    console.log(`Browser bundle of one resource call: ${bundle.minifiedBytes} bytes minified, ${bundle.gzippedBytes} bytes gzipped.`);
    expect(bundle.gzippedBytes).toBeLessThanOrEqual(11 * 1024);
  });

  it.each([
    ['path', () => browserRun],
    ['resource', () => resourceBrowserRun],
  ] as const)('runs in headless Chromium in the %s style: lists runs and gets a typed NotFoundError from the mock', async (_style, run) => {
    const { runIds, notFoundCode } = await expected;
    expect(await run()).toEqual({ runIds, notFound: { isNotFoundError: true, status: 404, code: notFoundCode } });
  });
});
