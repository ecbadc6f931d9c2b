import { readFileSync } from 'node:fs';
import type { OpenAPI3 } from 'openapi-typescript';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { documentedRequest, operationsOf } from '../scripts/lib/spec-requests.ts';
import { createClient, type MetorialClient } from '../src/index.ts';
import { responseValidation } from '../src/validation.ts';
import { Contract } from './support/contract.ts';

/**
 * One call per operation of the spec, through the client's typed methods (GET, POST, PATCH, DELETE),
 * with the request the spec documents (its path examples and first body example). The list comes
 * from the spec, so a new operation is called here with no edit outside spec/; the contract suite
 * (test/contract/) covers every status, example and query parameter.
 */
const operations = operationsOf(JSON.parse(readFileSync(inject('specFile'), 'utf8')) as OpenAPI3);

type Call = (path: string, init: { params: { path: Record<string, string> }; body?: unknown }) => Promise<{ response: Response; data?: unknown }>;

describe('every operation, through the typed client, against the mock', () => {
  let contract: Contract;
  let client: MetorialClient;
  beforeAll(() => {
    contract = new Contract(inject('specFile'));
    // validateResponses: the client's own contract check runs on every answer too.
    client = createClient({ apiKey: 'metorial_sk_test', baseUrl: inject('mockUrl'), validateResponses: responseValidation() });
  });

  it('finds the operations of the spec, each with an id', () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.map((o) => o.operationId).sort()).toEqual(contract.operations().map((o) => o.operationId).sort());
  });

  it.each(operations.map((o) => [o.operationId, o] as const))('%s answers its success status with a body that matches its response schema', async (operationId, operation) => {
    const success = Number(operation.responses.find((r) => /^2\d\d$/.test(r.status))!.status);
    const { path, body } = documentedRequest(operation);
    const call = (client as unknown as Record<string, Call>)[operation.method.toUpperCase()]!;
    const { response, data } = await call(operation.path, { params: { path }, ...(body === undefined ? {} : { body }) });
    expect(response.status, `sl-violations: ${response.headers.get('sl-violations')}`).toBe(success);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(data).toBeDefined();
    expect(contract.problems(contract.responseValidator(operationId, response.status), data)).toEqual([]);
  });
});
