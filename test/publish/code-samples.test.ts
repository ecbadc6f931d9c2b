import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { OpenAPI3 } from 'openapi-typescript';
import { describe, expect, inject, it } from 'vitest';
import { type CodeSample, samplesServer } from '../../scripts/lib/code-samples.ts';
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

describe.concurrent('the curl samples, run against the mock', () => {
  for (const { operationId } of operations) {
    it(`${operationId}: answers 200 with a body that matches the spec`, async () => {
      const command = sample(operationId, 'curl').source.replace(samplesServer, mockUrl).replace(/^curl /, `curl -sS --max-time 10 -w '\\n%{http_code}' `);
      const { stdout } = await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, METORIAL_API_KEY: 'metorial_sk_curl_sample' } });
      const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
      const body = JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n')));
      expect(status, JSON.stringify(body)).toBe('200');
      expect(contract.problems(contract.responseValidator(operationId, 200), body)).toEqual([]);
    });
  }
});
