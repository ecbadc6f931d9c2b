import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import { build } from 'esbuild';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CodeSample, packageName, samplesServer } from '../../scripts/lib/code-samples.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { operationsOf } from '../../scripts/lib/spec-requests.ts';
import { freshKey } from '../sandbox/support.ts';
import { Contract } from '../support/contract.ts';
import { typeCheckSnippets } from '../support/typescript-check.ts';

/**
 * The code samples the build puts on every operation (`x-codeSamples`) work as printed, against the
 * sandbox (issues 19 and 24): it holds the spec's example objects under their example ids (DECISIONS
 * SB10, SB11), which are the ids the samples use. Each run of a sample has a key of its own, so it
 * starts from the seed: a delete in one language never hides the object from another's get.
 */
const specFile = inject('specFile');
const sandboxUrl = inject('sandboxUrl');
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const contract = new Contract(specFile);
const operations = operationsOf(document);
const samplesOf = (operationId: string): CodeSample[] => {
  const op = operations.find((o) => o.operationId === operationId)!;
  return (document.paths as any)[op.path][op.method]['x-codeSamples'] ?? [];
};
const sample = (operationId: string, label: string) => samplesOf(operationId).find((s) => s.label.startsWith(label))!;
/** The two TypeScript samples of each operation: the resource method, and the same call in the path style. */
const typescriptStyles = [
  { style: 'resource', label: `TypeScript (${packageName})` },
  { style: 'path', label: `TypeScript (${packageName}, path style)` },
] as const;
const typescriptSample = (operationId: string, style: 'resource' | 'path') => samplesOf(operationId).find((s) => s.label === typescriptStyles.find((t) => t.style === style)!.label)!;

it('puts two TypeScript samples (resource method first, then path style), a curl, a Python and a JavaScript sample on every operation', () => {
  for (const { operationId } of operations) {
    expect(samplesOf(operationId).map((s) => s.label), operationId).toEqual([...typescriptStyles.map((t) => t.label), 'curl', 'Python (http.client)', 'JavaScript (fetch)']);
    for (const { style } of typescriptStyles) expect(typescriptSample(operationId, style).source).toContain(`import { createClient } from '${packageName}';`);
    expect(typescriptSample(operationId, 'resource').source).not.toMatch(/metorial\.(get|post|patch|delete|paginate)\(/);
    expect(typescriptSample(operationId, 'path').source).toMatch(/metorial\.(get|post|patch|delete|paginate)\('\//);
  }
});

describe('the TypeScript samples', () => {
  // One program: every sample of both styles, and copies of two that call what the client does not
  // have (a path, a resource method), which show the check can fail.
  const brokenPath = typescriptSample('getRun', 'path').source.replace("'/runs/{run_id}'", "'/runz/{run_id}'");
  const brokenResource = typescriptSample('getRun', 'resource').source.replace('metorial.runs.get(', 'metorial.runs.retrieve(');
  const diagnostics = () =>
    typeCheckSnippets([
      ...operations.flatMap(({ operationId }) => typescriptStyles.map(({ style }) => ({ name: `${operationId}-${style}`, code: typescriptSample(operationId, style).source }))),
      { name: 'brokenPath', code: brokenPath },
      { name: 'brokenResource', code: brokenResource },
    ]);

  it('compile under strict against the real client, as imported from the package; a wrong path or method would not', async () => {
    const found = await diagnostics();
    expect(found.filter((line) => !line.startsWith('broken'))).toEqual([]);
    expect(found.join('\n')).toMatch(/^brokenPath\.ts:\d+: .*"\/runs" \| "\/runs\/\{run_id\}"/m);
    expect(found.join('\n')).toMatch(/^brokenResource\.ts:\d+: Property 'retrieve' does not exist/m);
  });
});

/**
 * Runs an operation's curl sample against the sandbox: the status and the parsed body it printed. Run
 * once per operation: the other languages' tests compare their output with the same answer.
 */
const curlAnswers = new Map<string, Promise<{ status: string; body: any }>>();
const runCurlSample = (operationId: string) => curlAnswers.get(operationId) ?? curlAnswers.set(operationId, runCurlSampleNow(operationId)).get(operationId)!;

async function runCurlSampleNow(operationId: string): Promise<{ status: string; body: any }> {
  const command = sample(operationId, 'curl').source.replace(samplesServer, sandboxUrl).replace(/^curl /, `curl -sS --max-time 60 -w '\\n%{http_code}' `);
  const { stdout } = await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, METORIAL_API_KEY: freshKey('curl_sample') } });
  return { status: stdout.slice(stdout.lastIndexOf('\n') + 1), body: JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) };
}

/**
 * What a write answers that no two runs share: the times the server sets (`created_at`, `updated_at`,
 * ...), and for a create every id (`run_H2mxKNPKfQH82g23kxys`: the sandbox makes new ids for the object
 * and the parts it makes with it, wherever they are referred to). Everything else two runs of a sample
 * must answer alike. For a parsed body (JSON), and for one printed by console.log (`util.inspect`), as
 * the TypeScript and JavaScript samples print it.
 */
const isoTime = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)$/;
const madeId = /^[a-z]+_[A-Za-z0-9]{8,}$/;
function comparable(operationId: string, body: unknown): unknown {
  const { method } = operations.find((o) => o.operationId === operationId)!;
  const mask = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(mask);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, mask(v)]));
    if (typeof value !== 'string') return value;
    return isoTime.test(value) ? '<time>' : method === 'post' && madeId.test(value) ? '<id>' : value;
  };
  return method === 'get' ? body : mask(body);
}
function comparableText(operationId: string, printed: string): string {
  const { method } = operations.find((o) => o.operationId === operationId)!;
  if (method === 'get') return printed;
  return printed.replace(/'([^'\n]*)'/g, (quoted, value: string) => {
    const masked = comparable(operationId, value);
    return masked === value ? quoted : `'${String(masked)}'`;
  });
}

describe.concurrent('the curl samples, run against the sandbox', { timeout: 120_000 }, () => {
  for (const { operationId } of operations) {
    it(`${operationId}: answers 200 with a body that matches the spec`, async () => {
      const { status, body } = await runCurlSample(operationId);
      expect(status, JSON.stringify(body)).toBe('200');
      expect(contract.problems(contract.responseValidator(operationId, 200), body)).toEqual([]);
    });
  }
});

describe.concurrent('the TypeScript samples, run against the sandbox', { timeout: 120_000 }, () => {
  // Each sample compiled as printed, the package's name resolving to its source, into one JavaScript
  // file of its own (one esbuild call for all), then run by plain Node in its own process: as tsx
  // would run it, without starting a TypeScript loader per sample.
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-samples-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  beforeAll(async () => {
    for (const { operationId } of operations) {
      for (const { style } of typescriptStyles) writeFileSync(join(scratch, `${operationId}-${style}.ts`), typescriptSample(operationId, style).source);
    }
    await build({
      entryPoints: operations.flatMap(({ operationId }) => typescriptStyles.map(({ style }) => join(scratch, `${operationId}-${style}.ts`))),
      outdir: scratch,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      alias: { [packageName]: join(repoRoot, 'src', 'index.ts') },
      logLevel: 'silent',
    });
  });

  for (const { operationId } of operations) {
    it.each(typescriptStyles.map((t) => t.style))(`${operationId}: the %s style runs as printed and prints the sandbox's answer`, async (style) => {
      // As printed: only the environment differs, which is how a user would point it at the sandbox.
      const env = { ...process.env, METORIAL_API_KEY: freshKey(`ts_${style}_sample`), METORIAL_BASE_URL: sandboxUrl };
      const run = promisify(execFile)(process.execPath, [join(scratch, `${operationId}-${style}.mjs`)], { cwd: repoRoot, env, timeout: 90_000 });
      const { stdout } = await run.catch((error: { stderr?: string }) => expect.fail(`the sample failed:\n${error.stderr}`));
      // It prints what the sandbox answered (what its curl sample gets): a list sample walks every page
      // (paginate), so it prints the curl sample's page first, then the rest, each item once; any other
      // prints the whole object as console.log shows it.
      const { body } = await runCurlSample(operationId);
      if (Array.isArray(body.items)) {
        const ids = stdout.trim().split('\n').filter(Boolean);
        expect(ids.slice(0, body.items.length)).toEqual(body.items.map((item: { id: string }) => item.id));
        expect(new Set(ids).size, 'each item once').toBe(ids.length);
        if (body.pagination.has_more_after) expect(ids.length, 'more pages than the first').toBeGreaterThan(body.items.length);
        else expect(ids.length).toBe(body.items.length);
      } else {
        expect(comparableText(operationId, stdout.trim())).toBe(comparableText(operationId, inspect(body)));
      }
    });
  }
});

/**
 * The samples httpsnippet writes, each run by its own language's runtime as printed, but for the
 * server (the sandbox's address in place of the API's) and a key of its own: they must print what the
 * sandbox answered, the same answer the curl sample gets. One process per language runs every sample in turn, each as its
 * own program (Python's runpy as `__main__`, Node's import of an ES module), so a run costs two
 * process starts, not one per sample.
 */
describe.concurrent('the Python and JavaScript samples, run against the sandbox', { timeout: 120_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-http-samples-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  // A key per sample and language, given to each sample as its environment's METORIAL_API_KEY.
  const keysFor = (language: string) => JSON.stringify(Object.fromEntries(operations.map((o) => [o.operationId, freshKey(`${language}_sample`)])));
  const connection = `http.client.HTTPSConnection("${new URL(samplesServer).host}")`;
  let printed: { python: Record<string, string>; javascript: Record<string, string> };

  beforeAll(async () => {
    for (const { operationId } of operations) {
      const python = sample(operationId, 'Python').source;
      const javascript = sample(operationId, 'JavaScript').source;
      expect(python, operationId).toContain(connection);
      expect(javascript, operationId).toContain(`'${samplesServer}/`);
      writeFileSync(join(scratch, `${operationId}.py`), python.replace(connection, `http.client.HTTPConnection("${new URL(sandboxUrl).host}")`));
      writeFileSync(join(scratch, `${operationId}.mjs`), javascript.replace(`'${samplesServer}/`, `'${sandboxUrl}/`));
    }
    const pythonDriver = `import contextlib, io, json, os, runpy, sys\nout = {}\nfor name, key in json.loads(sys.argv[1]).items():\n    os.environ['METORIAL_API_KEY'] = key\n    buffer = io.StringIO()\n    with contextlib.redirect_stdout(buffer):\n        runpy.run_path(f"{sys.argv[2]}/{name}.py", run_name="__main__")\n    out[name] = buffer.getvalue()\nprint(json.dumps(out))\n`;
    const nodeDriver = `import { format } from 'node:util';\nconst out = {};\nconst log = console.log;\nfor (const [name, key] of Object.entries(JSON.parse(process.argv[2]))) {\n  process.env.METORIAL_API_KEY = key;\n  const lines = [];\n  console.log = (...args) => lines.push(format(...args));\n  await import(process.argv[3] + '/' + name + '.mjs');\n  out[name] = lines.join('\\n');\n}\nconsole.log = log;\nconsole.log(JSON.stringify(out));\n`;
    writeFileSync(join(scratch, 'run-all.py'), pythonDriver);
    writeFileSync(join(scratch, 'run-all.mjs'), nodeDriver);
    const run = (command: string, args: string[]) =>
      promisify(execFile)(command, args, { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }).then(
        ({ stdout }) => JSON.parse(stdout) as Record<string, string>,
        (error: { stderr?: string; message: string }) => expect.fail(`${command} failed:\n${error.stderr || error.message}`),
      );
    const [python, javascript] = await Promise.all([run('python3', [join(scratch, 'run-all.py'), keysFor('python'), scratch]), run(process.execPath, [join(scratch, 'run-all.mjs'), keysFor('javascript'), scratch])]);
    printed = { python, javascript };
  }, 180_000);

  for (const { operationId } of operations) {
    it(`${operationId}: Python (python3, standard library only) prints the sandbox's answer`, async () => {
      const { body } = await runCurlSample(operationId);
      expect(comparable(operationId, JSON.parse(printed.python[operationId]!))).toEqual(comparable(operationId, body));
    });

    it(`${operationId}: JavaScript (fetch, run by Node) prints the sandbox's answer`, async () => {
      const { body } = await runCurlSample(operationId);
      expect(comparableText(operationId, printed.javascript[operationId]!)).toBe(comparableText(operationId, inspect(body)));
    });
  }
});
