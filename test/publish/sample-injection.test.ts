import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { codeSamplesFor, packageName } from '../../scripts/lib/code-samples.ts';
import { operationsOf } from '../../scripts/lib/spec-requests.ts';
import { identifierFrom, tsLiteral } from '../../scripts/lib/ts-literal.ts';

/**
 * Issue 22, item 6: samples are built from the spec's data, never by pasting its text into code. A
 * document whose examples, paths and component names hold quotes, backslashes, comment and template
 * syntax, `__proto__` and line separators gives samples that (a) run, (b) pass the example's values
 * exactly, and (c) run nothing else: the code an example carries would write a marker file.
 */
const scratch = mkdtempSync(join(tmpdir(), 'metorial-sample-injection-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const marker = join(scratch, 'INJECTED');
const injected = `require('fs').writeFileSync(${JSON.stringify(marker)}, '1')`;

/** Example body keys and values that once broke out of the sample (`note "q`), or would in another quoting. */
const hostileBody: Record<string, unknown> = {
  [`note "q": 1, x: ${injected}, y: "`]: 'a',
  'size "L': 'M',
  "it's": "it's",
  'back\\slash': 'C:\\dir\\',
  'end */ comment': '/* x */ //',
  'template ${1}': '`${process.exit(3)}`',
  'line\u2028separator': 'para\u2029graph',
  'new\nline': 'tab\there',
  '</script><script>alert(1)</script>': '<!--',
  delete: 'reserved word as a key',
  '1st': 'starts with a digit',
  nested: { [`"]}); ${injected}; ({"`]: [1, -0.5, null, true, { deep: "'\"" }] },
};
// An own property named __proto__, as JSON.parse makes one from an example's `"__proto__": {...}`.
Object.defineProperty(hostileBody, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true });

const hostileDocument: OpenAPI3 = {
  openapi: '3.1.0',
  info: { title: 'hostile', version: '1.0.0' },
  paths: {
    "/runs/{run_id}/it's": {
      post: {
        operationId: 'hostilePost',
        parameters: [{ name: 'run_id', in: 'path', required: true, schema: { type: 'string' }, example: "run_'); " + injected + "; ('" }],
        requestBody: { content: { 'application/json': { schema: { type: 'object' }, examples: { hostile: { value: hostileBody } } } } },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/delete' } } } } },
      },
    },
    '/logs': {
      get: {
        operationId: 'hostileList',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/run-log.item' } }, pagination: { type: 'object' } } } } },
          },
        },
      },
    },
  },
  components: { schemas: { delete: { type: 'object' }, 'run-log.item': { type: 'object' } } },
} as unknown as OpenAPI3;

const operations = operationsOf(hostileDocument);
const samples = operations.map((operation) => ({ operation, samples: codeSamplesFor(hostileDocument, operation) }));
const sourceOf = (operationId: string, label: string) => samples.find((s) => s.operation.operationId === operationId)!.samples.find((s) => s.lang === label || s.label.startsWith(label))!.source;
const pathStyle = `TypeScript (${packageName}, path style)`;

/** A stand-in for the client package that records each call's arguments as JSON, with the resource chain it was called through. */
function writeStubPackage(root: string): string {
  const dir = join(root, 'node_modules', packageName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: packageName, type: 'module', exports: './index.js' }));
  writeFileSync(
    join(dir, 'index.js'),
    `import { appendFileSync } from 'node:fs';
const member = (chain) => new Proxy(() => {}, {
  get: (_, name) => member([...chain, name]),
  apply: (_, __, args) => {
    const method = chain.join('.');
    appendFileSync(process.env.CALLS_FILE, JSON.stringify({ method, args }) + '\\n');
    return method === 'paginate' || method.endsWith('.list') ? (async function* () {})() : Promise.resolve({ id: 'x' });
  },
});
export function createClient() {
  return member([]);
}
`,
  );
  return dir;
}

describe('TypeScript samples from a hostile document', () => {
  it('run, pass the example exactly (own __proto__ key included), and run nothing else', { timeout: 180_000 }, async () => {
    writeStubPackage(scratch);
    const calls = join(scratch, 'calls.jsonl');
    for (const label of [`TypeScript (${packageName})`, pathStyle]) {
      for (const { operation } of samples) {
        writeFileSync(join(scratch, `${operation.operationId}.mjs`), sourceOf(operation.operationId, label));
        await promisify(execFile)(process.execPath, [join(scratch, `${operation.operationId}.mjs`)], {
          cwd: scratch,
          env: { ...process.env, CALLS_FILE: calls, METORIAL_API_KEY: 'metorial_sk_x' },
        });
      }
    }
    const recorded = readFileSync(calls, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { method: string; args: unknown[] });
    expect(existsSync(marker), 'the code an example carries ran').toBe(false);
    expect(recorded).toEqual([
      // The resource style: names from the resource model (letters and digits only), values as arguments.
      { method: 'runs.itS', args: ["run_'); " + injected + "; ('", hostileBody] },
      { method: 'logs.list', args: [{ limit: 10 }] },
      { method: 'post', args: ["/runs/{run_id}/it's", { params: { path: { run_id: "run_'); " + injected + "; ('" } }, body: hostileBody }] },
      { method: 'paginate', args: ['/logs', { params: { query: { limit: 10 } } }] },
    ]);
    for (const call of [recorded[0]!.args[1], (recorded[2]!.args[1] as { body: unknown }).body] as Array<Record<string, unknown>>) {
      expect(Object.getPrototypeOf(call)).toBe(Object.prototype);
      expect(Object.hasOwn(call, '__proto__')).toBe(true);
    }
  });

  it('name result variables from component names only when they make an identifier', () => {
    expect(sourceOf('hostilePost', pathStyle)).toContain('const result = await metorial.post(');
    expect(sourceOf('hostileList', pathStyle)).toContain('for await (const runLogItem of metorial.paginate(');
    expect(sourceOf('hostileList', 'TypeScript')).toContain('for await (const runLogItem of metorial.logs.list(');
    expect(identifierFrom('SessionTemplateProvider', 'x')).toBe('sessionTemplateProvider');
    expect(identifierFrom('class', 'x')).toBe('x');
    expect(identifierFrom('9lives', 'x')).toBe('x');
    expect(identifierFrom('a"); b("', 'x')).toBe('aB');
  });

  it('tsLiteral writes what JSON can hold and refuses the rest', () => {
    expect(tsLiteral({ a: 1, 'b-c': [true, null], __proto__x: "it's" })).toBe("{\n  a: 1,\n  'b-c': [\n    true,\n    null\n  ],\n  __proto__x: 'it\\'s'\n}");
    expect(() => tsLiteral({ n: Number.NaN })).toThrow(/NaN has no JSON form/);
    expect(() => tsLiteral({ f: () => 1 })).toThrow(/function has no JSON form/);
  });
});

describe('curl samples from a hostile document', () => {
  it('give curl the example body and URL as single arguments, whatever they hold', async () => {
    // A curl that prints its arguments, NUL-separated: what the shell handed it.
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'curl'), '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\n');
    chmodSync(join(bin, 'curl'), 0o755);
    const { stdout } = await promisify(execFile)('sh', ['-c', sourceOf('hostilePost', 'Shell')], {
      cwd: scratch,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, METORIAL_API_KEY: 'metorial_sk_x' },
    });
    const args = stdout.split('\0').slice(0, -1);
    expect(existsSync(marker)).toBe(false);
    expect(JSON.parse(args[args.indexOf('-d') + 1]!)).toEqual(hostileBody);
    const url = new URL(args[2]!);
    expect(decodeURIComponent(url.pathname)).toBe(`/runs/run_'); ${injected}; ('/it's`);
  });
});
