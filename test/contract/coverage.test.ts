import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Contract } from '../support/contract.ts';
import { CoverageRecorder, coverageReportFile } from '../support/coverage.ts';
import { documentedRequest, type DocumentedResponse, type Operation, operationsOf, resolverFor, type Schema, send } from '../../scripts/lib/spec-requests.ts';
import { arbitraryFor, sampleOf } from '../support/schema-arbitrary.ts';

/**
 * Every operation times every documented status and named example, asked of the mock with
 * `Prefer`, each body and documented header checked against the spec; then a report of what was
 * exercised, which fails the run when a documented pair was not.
 */
const contract = new Contract(inject('specFile'));
const mockUrl = inject('mockUrl');
const resolve = resolverFor(contract.document);
const operations = operationsOf(contract.document);
const coverage = new CoverageRecorder(operations);
// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
// Header values arrive as text: coerced to the schema's type. The formats are OpenAPI's (int32, int64,
// float, double, byte, binary, password) and JSON Schema's, from ajv-formats; a format ajv does not
// know fails the test rather than being ignored with a warning.
const headerAjv = new Ajv2020({
  strict: false,
  coerceTypes: true,
  logger: {
    log: console.log,
    warn: (...args: unknown[]) => {
      throw new Error(`ajv: ${args.join(' ')}`);
    },
    error: console.error,
  },
});
addFormats(headerAjv);

/** A valid value for each query parameter, the same on every run. */
function everyQueryParameter(operation: Operation): Record<string, unknown> {
  return Object.fromEntries(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, sampleOf(arbitraryFor(p.schema, resolve))]));
}

function headerProblems(documented: DocumentedResponse, response: Response): string[] {
  const problems: string[] = [];
  const contentType = response.headers.get('content-type') ?? '';
  if (documented.contentType && !contentType.startsWith(documented.contentType)) problems.push(`content-type is "${contentType}", not ${documented.contentType}`);
  for (const [name, header] of Object.entries(documented.headers)) {
    const value = response.headers.get(name);
    if (value === null) {
      problems.push(`header ${name} is missing`);
      continue;
    }
    const validate = headerAjv.compile(resolve<Schema>(header.schema));
    if (!validate(value)) problems.push(`header ${name}: "${value}" ${headerAjv.errorsText(validate.errors)}`);
  }
  return problems;
}

async function exercise(operation: Operation, documented: DocumentedResponse, example: string | undefined): Promise<void> {
  const success = documented.status.startsWith('2');
  const values = documentedRequest(operation);
  // Success answers are also asked with every query parameter, so each is sent at least once.
  if (success) values.query = everyQueryParameter(operation);
  const prefer = `code=${documented.status}${example ? `, example=${example}` : ''}`;
  const response = await send(mockUrl, operation, values, { headers: { Prefer: prefer } });
  const body = await response.json();
  const label = `${operation.operationId} with Prefer: ${prefer}`;
  expect(response.status, `${label}: ${response.headers.get('sl-violations') ?? ''}`).toBe(Number(documented.status));
  expect(contract.problems(contract.responseValidator(operation.operationId, documented.status), body), `${label}: body`).toEqual([]);
  expect(contract.undocumentedFields(operation.operationId, documented.status, body), `${label}: drift`).toEqual([]);
  expect(headerProblems(documented, response), `${label}: headers`).toEqual([]);
  coverage.record(operation.operationId, response.status, { ...(example ? { example } : {}), parameters: Object.keys(values.query) });
}

describe.concurrent.each(operations.map((op) => [op.operationId, op] as const))('%s', (_, operation) => {
  for (const documented of operation.responses) {
    const examples = documented.examples.length ? documented.examples : [undefined];
    for (const example of examples) {
      it(`answers ${documented.status}${example ? ` with example ${example}` : ''} as documented`, () => exercise(operation, documented, example));
    }
  }
});

describe('the coverage report', () => {
  afterAll(() => {
    coverage.write();
    console.log(`Contract coverage (also in ${coverageReportFile}):\n${coverage.table()}`);
  });

  it('has every documented operation, status, example and query parameter exercised', () => {
    expect(coverage.gaps()).toEqual([]);
  });

  it('would name a pair that was never exercised', () => {
    const fresh = new CoverageRecorder(operations.slice(0, 1));
    expect(fresh.gaps()).toContain(`${operations[0]!.operationId} 200: never answered`);
  });
});
