import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../scripts/lib/paths.ts';
import { Contract } from './support/contract.ts';
import { readPageExamples } from './support/page-examples.ts';

/** The reference pages: `../shared/seeds` beside the clone, or METORIAL_SEEDS_DIR. */
const seedsDir = process.env.METORIAL_SEEDS_DIR ?? join(repoRoot, '..', 'shared', 'seeds');

/**
 * Where each JSON example of the pages lives in the spec, and what it must validate against.
 * `corrections` are the documented departures from the page (spec/DECISIONS.md, "Examples").
 */
const expected = [
  { page: '000', index: 0, example: 'ProviderRun', schema: 'ProviderRun' },
  {
    page: '001',
    index: 0,
    example: 'Run',
    schema: 'Run',
    corrections: { created_at: '2025-03-14T14:14:46.000Z', completed_at: '2025-03-14T14:14:52.310Z' },
  },
  { page: '001', index: 1, example: 'CreateRunRequest', schema: 'CreateRunRequest' },
  { page: '002', index: 0, example: 'ServerRun', schema: 'ServerRun' },
  { page: '003', index: 0, example: 'SessionTemplateProvider', schema: 'SessionTemplateProvider' },
  { page: '003', index: 1, example: 'CreateSessionTemplateProviderRequest', schema: 'CreateSessionTemplateProviderRequest' },
  { page: '003', index: 2, example: 'UpdateSessionTemplateProviderRequest', schema: 'UpdateSessionTemplateProviderRequest' },
  { page: '004', index: 0, example: 'SessionError', schema: 'SessionError' },
];

function specExample(name: string): unknown {
  const file = join(repoRoot, 'spec', 'components', 'examples', `${name}.yaml`);
  return (parse(readFileSync(file, 'utf8')) as { value: unknown }).value;
}

describe('the JSON examples of the reference pages', () => {
  let contract: Contract;
  beforeAll(() => {
    contract = new Contract(inject('specFile'));
  });

  it('are all accounted for', () => {
    const found = readPageExamples(seedsDir).map((e) => `${e.page.slice(0, 3)}#${e.index}`);
    expect(found.sort()).toEqual(expected.map((e) => `${e.page}#${e.index}`).sort());
  });

  it.each(expected)('page $page example $index is the spec example $example and validates as $schema', (entry) => {
    const page = readPageExamples(seedsDir).find((e) => e.page.startsWith(entry.page) && e.index === entry.index);
    const fromPage = { ...(page?.value as object), ...entry.corrections };
    expect(specExample(entry.example)).toEqual(fromPage);
    expect(contract.problems(contract.schemaValidator(entry.schema), fromPage)).toEqual([]);
  });

  it('the validator rejects an example that breaks its schema', () => {
    const broken = { ...(specExample('SessionError') as object), status: 'bogus', similar_error_count: 'five' };
    const problems = contract.problems(contract.schemaValidator('SessionError'), broken);
    expect(problems.join('\n')).toMatch(/\/status must be equal to one of the allowed values/);
    expect(problems.join('\n')).toMatch(/\/similar_error_count must be integer/);
  });
});

describe('every named example of the spec', () => {
  it('validates against the schema of the body it illustrates', () => {
    const contract = new Contract(inject('specFile'));
    const checked: string[] = [];
    const failures: string[] = [];
    for (const op of contract.operations()) {
      const operation = (contract.document.paths as Record<string, Record<string, any>>)[op.path]![op.method]!;
      const bodies: Array<[string, any, () => ReturnType<Contract['schemaValidator']>]> = [];
      const requestContent = operation.requestBody?.content?.['application/json'];
      if (requestContent) bodies.push(['request', requestContent, () => contract.requestBodyValidator(op.operationId)]);
      for (const status of op.statuses) {
        let response = operation.responses[status];
        if (response.$ref) response = (contract.document.components!.responses as any)[response.$ref.split('/').pop()];
        const content = response.content?.['application/json'];
        if (content) bodies.push([status, content, () => contract.responseValidator(op.operationId, status)]);
      }
      for (const [where, content, validator] of bodies) {
        for (const [name, example] of Object.entries<any>(content.examples ?? {})) {
          const value = example.$ref
            ? (contract.document.components!.examples as any)[example.$ref.split('/').pop()].value
            : example.value;
          checked.push(`${op.operationId} ${where} ${name}`);
          for (const problem of contract.problems(validator(), value)) failures.push(`${op.operationId} ${where} ${name}: ${problem}`);
          if (where !== 'request') {
            for (const field of contract.undocumentedFields(op.operationId, where, value)) failures.push(`${op.operationId} ${where} ${name}: ${field}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // Every operation has at least a success example and its error examples (400 or 404, 401, 429, 500).
    expect(checked.length).toBeGreaterThanOrEqual(contract.operations().length * 4);
  });
});
