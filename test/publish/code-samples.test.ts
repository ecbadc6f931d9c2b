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
import { Contract } from '../support/contract.ts';
import { typeCheckSnippets } from '../support/typescript-check.ts';
import { call, freshKey, walk } from '../sandbox/support.ts';

/** The code samples the build puts on every operation (`x-codeSamples`) work as printed. */
const specFile = inject('specFile');
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const contract = new Contract(specFile);
const operations = operationsOf(document);
const samplesOf = (operationId: string): CodeSample[] => {
  const op = operations.find((o) => o.operationId === operationId)!;
  return (document.paths as any)[op.path][op.method]['x-codeSamples'] ?? [];
};
const sample = (operationId: string, label: string) => samplesOf(operationId).find((s) => s.label.startsWith(label))!;

it('puts a TypeScript, a curl, a Python and a JavaScript sample on every operation', () => {
  for (const { operationId } of operations) {
    expect(samplesOf(operationId).map((s) => s.label), operationId).toEqual([`TypeScript (${packageName})`, 'curl', 'Python (http.client)', 'JavaScript (fetch)']);
    expect(sample(operationId, 'TypeScript').source).toContain(`import { createClient } from '${packageName}';`);
  }
});

describe('the TypeScript samples', () => {
  // One program: every sample, and a copy of one that calls a path the client does not have, which
  // shows the check can fail.
  const broken = sample('getRun', 'TypeScript').source.replace("'/runs/{run_id}'", "'/runz/{run_id}'");
  const diagnostics = () =>
    typeCheckSnippets([...operations.map(({ operationId }) => ({ name: operationId, code: sample(operationId, 'TypeScript').source })), { name: 'broken', code: broken }]);

  it('compile under strict against the real client, as imported from the package; a wrong path would not', async () => {
    const found = await diagnostics();
    expect(found.filter((line) => !line.startsWith('broken.ts:'))).toEqual([]);
    expect(found.join('\n')).toMatch(/^broken\.ts:\d+: /m);
  });
});

/**
 * Every sample is run as printed against the sandbox (behind Prism's validating proxy), by its own
 * language's runtime; only the server (the sandbox's address for the API's, or METORIAL_BASE_URL for
 * the client) and the key differ. Each sample runs with a key of its own, so each sees the seed's
 * data as it is, whatever the others create or delete. A read must print what the sandbox answers
 * that same request (a list's TypeScript sample, which pages through all of it, every id in order);
 * a write must succeed with a body the spec allows.
 */
const sandboxUrl = inject('sandboxUrl');
const runId = `${process.pid}_${Date.now()}`;
const keyFor = (language: string, operationId: string) => `metorial_sk_${language}_${operationId}_${runId}`;
const isRead = (operationId: string) => operations.find((o) => o.operationId === operationId)!.method === 'get';

/** The path and query a sample sends, read from its curl sample (all the samples send the same request). */
const requestPath = (operationId: string) => {
  const url = new URL(/'(https?:\/\/[^']+)'/.exec(sample(operationId, 'curl').source)![1]!);
  return { path: url.pathname, query: url.search };
};

/** What the sandbox answers the sample's request, for a fresh key: what a read sample must print. */
const answers = new Map<string, Promise<any>>();
const sandboxAnswer = (operationId: string) =>
  answers.get(operationId) ??
  answers
    .set(
      operationId,
      call(freshKey('samples'), 'GET', `${requestPath(operationId).path}${requestPath(operationId).query}`).then(({ status, body }) => {
        expect(status, `the sandbox answers ${operationId}'s request`).toBe(200);
        return body;
      }),
    )
    .get(operationId)!;

/** Every id of a list, as the TypeScript sample's paginate loop walks it (limit 10, in the default order). */
const allIds = (operationId: string) => walk(freshKey('samples'), requestPath(operationId).path, 10).then(({ ids }) => ids);

const expectWriteSucceeded = (operationId: string, body: unknown) => expect(contract.problems(contract.responseValidator(operationId, 200), body), `${operationId}: ${JSON.stringify(body)}`).toEqual([]);

describe.concurrent('the curl samples, run against the sandbox', { timeout: 120_000 }, () => {
  for (const { operationId } of operations) {
    it(`${operationId}: answers 200 with what the sandbox gives that request`, async () => {
      const command = sample(operationId, 'curl').source.replace(samplesServer, sandboxUrl).replace(/^curl /, `curl -sS --max-time 60 -w '\\n%{http_code}' `);
      const { stdout } = await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, METORIAL_API_KEY: keyFor('curl', operationId) } });
      const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
      const body = JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n')));
      expect(status, JSON.stringify(body)).toBe('200');
      if (isRead(operationId)) expect(body).toEqual(await sandboxAnswer(operationId));
      else expectWriteSucceeded(operationId, body);
    });
  }
});

/**
 * The TypeScript (compiled by esbuild, the package's name resolving to its source), Python and
 * JavaScript samples. One process per language runs every sample in turn, each as its own program
 * (Node imports each as an ES module, Python's runpy runs each as `__main__`) with its own key in
 * the environment, so a run costs three process starts, not one per sample. Node's driver keeps what
 * each sample passed to console.log as well as the text printed.
 */
describe.concurrent('the TypeScript, Python and JavaScript samples, run against the sandbox', { timeout: 120_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-samples-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const connection = `http.client.HTTPSConnection("${new URL(samplesServer).host}")`;
  type Printed = Record<string, { text: string; values: unknown[] }>;
  let printed: { typescript: Printed; python: Record<string, string>; javascript: Printed };

  beforeAll(async () => {
    for (const { operationId } of operations) {
      const python = sample(operationId, 'Python').source;
      const javascript = sample(operationId, 'JavaScript').source;
      expect(python, operationId).toContain(connection);
      expect(javascript, operationId).toContain(`'${samplesServer}/`);
      writeFileSync(join(scratch, `${operationId}.py`), python.replace(connection, `http.client.HTTPConnection("${new URL(sandboxUrl).host}")`));
      writeFileSync(join(scratch, `${operationId}.js.mjs`), javascript.replace(`'${samplesServer}/`, `'${sandboxUrl}/`));
      writeFileSync(join(scratch, `${operationId}.ts`), sample(operationId, 'TypeScript').source);
    }
    await build({
      entryPoints: operations.map(({ operationId }) => join(scratch, `${operationId}.ts`)),
      outdir: scratch,
      outExtension: { '.js': '.ts.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      alias: { [packageName]: join(repoRoot, 'src', 'index.ts') },
      logLevel: 'silent',
    });
    const names = JSON.stringify(operations.map((o) => o.operationId));
    const pythonDriver = `import contextlib, io, json, os, runpy, sys\nout = {}\nfor name in json.loads(sys.argv[1]):\n    os.environ["METORIAL_API_KEY"] = f"metorial_sk_python_{name}_${runId}"\n    buffer = io.StringIO()\n    with contextlib.redirect_stdout(buffer):\n        runpy.run_path(f"{sys.argv[2]}/{name}.py", run_name="__main__")\n    out[name] = buffer.getvalue()\nprint(json.dumps(out))\n`;
    const nodeDriver = `import { format } from 'node:util';\nconst [names, dir, language, suffix] = [JSON.parse(process.argv[2]), process.argv[3], process.argv[4], process.argv[5]];\nconst out = {};\nconst log = console.log;\nfor (const name of names) {\n  process.env.METORIAL_API_KEY = 'metorial_sk_' + language + '_' + name + '_${runId}';\n  const text = [];\n  const values = [];\n  console.log = (...args) => { text.push(format(...args)); values.push(...args); };\n  await import(dir + '/' + name + suffix);\n  out[name] = { text: text.join('\\n'), values };\n}\nconsole.log = log;\nconsole.log(JSON.stringify(out));\n`;
    writeFileSync(join(scratch, 'run-all.py'), pythonDriver);
    writeFileSync(join(scratch, 'run-all.mjs'), nodeDriver);
    const env = { ...process.env, METORIAL_BASE_URL: sandboxUrl };
    const run = <T>(command: string, args: string[]) =>
      promisify(execFile)(command, args, { cwd: repoRoot, env, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 }).then(
        ({ stdout }) => JSON.parse(stdout) as T,
        (error: { stderr?: string; message: string }) => expect.fail(`${command} failed:\n${error.stderr || error.message}`),
      );
    const [typescript, python, javascript] = await Promise.all([
      run<Printed>(process.execPath, [join(scratch, 'run-all.mjs'), names, scratch, 'typescript', '.ts.mjs']),
      run<Record<string, string>>('python3', [join(scratch, 'run-all.py'), names, scratch]),
      run<Printed>(process.execPath, [join(scratch, 'run-all.mjs'), names, scratch, 'javascript', '.js.mjs']),
    ]);
    printed = { typescript, python, javascript };
  }, 300_000);

  for (const { operationId } of operations) {
    it(`${operationId}: TypeScript runs as printed, through the throwing methods and paginate`, async () => {
      const { text, values } = printed.typescript[operationId]!;
      // A list's sample prints every item's id, page after page; any other prints the object it got.
      const answer = isRead(operationId) ? await sandboxAnswer(operationId) : undefined;
      if (answer && Array.isArray(answer.items)) expect(text.split('\n')).toEqual(await allIds(operationId));
      else if (answer) expect(text).toBe(inspect(answer));
      else expectWriteSucceeded(operationId, values[0]);
    });

    it(`${operationId}: Python (python3, standard library only) prints the sandbox's answer`, async () => {
      const body = JSON.parse(printed.python[operationId]!);
      if (isRead(operationId)) expect(body).toEqual(await sandboxAnswer(operationId));
      else expectWriteSucceeded(operationId, body);
    });

    it(`${operationId}: JavaScript (fetch, run by Node) prints the sandbox's answer`, async () => {
      const { text, values } = printed.javascript[operationId]!;
      if (isRead(operationId)) expect(text).toBe(inspect(await sandboxAnswer(operationId)));
      else expectWriteSucceeded(operationId, values[0]);
    });
  }
});
