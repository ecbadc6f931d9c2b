import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type CodeSample, samplesServer } from '../../scripts/lib/code-samples.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { operationsOf } from '../../scripts/lib/spec-requests.ts';
import { Contract } from '../support/contract.ts';
import { typeCheckSnippets } from '../support/typescript-check.ts';

/** The code samples the build puts on every operation (`x-codeSamples`) work as printed. */
const specFile = inject('specFile');
const mockUrl = inject('mockUrl');
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const contract = new Contract(specFile);
const operations = operationsOf(document);
const samplesOf = (operationId: string): CodeSample[] => {
  const op = operations.find((o) => o.operationId === operationId)!;
  return (document.paths as any)[op.path][op.method]['x-codeSamples'] ?? [];
};
const sample = (operationId: string, label: string) => samplesOf(operationId).find((s) => s.label.startsWith(label))!;

it('puts a TypeScript and a curl sample on every operation', () => {
  for (const { operationId } of operations) {
    expect(samplesOf(operationId).map((s) => s.label), operationId).toEqual(['TypeScript (@metorial/api-spec)', 'curl']);
  }
});

describe('the TypeScript samples', () => {
  it('compile under strict against the real client, as imported from the package', () => {
    const snippets = operations.map(({ operationId }) => ({ name: operationId, code: sample(operationId, 'TypeScript').source }));
    expect(typeCheckSnippets(snippets)).toEqual([]);
  });

  it('would catch a sample that calls a path the client does not have', () => {
    const broken = sample('getRun', 'TypeScript').source.replace("'/runs/{run_id}'", "'/runz/{run_id}'");
    expect(typeCheckSnippets([{ name: 'broken', code: broken }]).join('\n')).toMatch(/^broken\.ts:\d+: /);
  });
});

/**
 * Runs an operation's curl sample against the mock: the status and the parsed body it printed. Run
 * once per operation: the TypeScript sample's test compares its output with the same answer.
 */
const curlAnswers = new Map<string, Promise<{ status: string; body: any }>>();
const runCurlSample = (operationId: string) => curlAnswers.get(operationId) ?? curlAnswers.set(operationId, runCurlSampleNow(operationId)).get(operationId)!;

async function runCurlSampleNow(operationId: string): Promise<{ status: string; body: any }> {
  const command = sample(operationId, 'curl').source.replace(samplesServer, mockUrl).replace(/^curl /, `curl -sS --max-time 10 -w '\\n%{http_code}' `);
  const { stdout } = await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, METORIAL_API_KEY: 'metorial_sk_curl_sample' } });
  return { status: stdout.slice(stdout.lastIndexOf('\n') + 1), body: JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) };
}

describe.concurrent('the curl samples, run against the mock', () => {
  for (const { operationId } of operations) {
    it(`${operationId}: answers 200 with a body that matches the spec`, async () => {
      const { status, body } = await runCurlSample(operationId);
      expect(status, JSON.stringify(body)).toBe('200');
      expect(contract.problems(contract.responseValidator(operationId, 200), body)).toEqual([]);
    });
  }
});

describe.concurrent('the TypeScript samples, run against the mock', () => {
  // Inside the repository, so `import ... from '@metorial/api-spec'` resolves to this package.
  const scratch = mkdtempSync(join(repoRoot, '.samples-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  for (const { operationId } of operations) {
    it(`${operationId}: runs as printed, through the throwing methods and paginate`, async () => {
      const file = join(scratch, `${operationId}.ts`);
      writeFileSync(file, sample(operationId, 'TypeScript').source);
      // As printed: only the environment differs, which is how a user would point it at the mock.
      const env = { ...process.env, METORIAL_API_KEY: 'metorial_sk_ts_sample', METORIAL_BASE_URL: mockUrl };
      const run = promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot, env, timeout: 30_000 });
      const { stdout } = await run.catch((error: { stderr?: string }) => expect.fail(`the sample failed:\n${error.stderr}`));
      // It prints what the mock answered (the same answer its curl sample gets): each item's id of a
      // list, else the whole object as console.log shows it.
      const { body } = await runCurlSample(operationId);
      if (Array.isArray(body.items)) {
        expect(stdout.trim().split('\n')).toEqual(body.items.map((item: { id: string }) => item.id));
      } else {
        expect(stdout.trim()).toBe(inspect(body));
      }
    });
  }
});
