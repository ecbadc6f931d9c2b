import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningPrism, startPrism } from '../../scripts/lib/prism.ts';
import { Contract } from '../support/contract.ts';
import { type Operation, operationsOf, resolverFor, send } from '../../scripts/lib/spec-requests.ts';
import { requestArbitrary } from '../support/schema-arbitrary.ts';

/**
 * Property-based: requests generated from the parameter and body schemas are all valid, so every
 * answer must be a 2xx whose body validates. Against the static mock, then against a second Prism
 * that makes bodies up from the schemas (`--dynamic`, fixed seed). Replay a failure with the seed
 * printed: `CONTRACT_SEED=<seed> npx vitest run test/contract/properties.test.ts`.
 */
const contract = new Contract(inject('specFile'));
const resolve = resolverFor(contract.document);
const operations = operationsOf(contract.document);
const seed = Number(process.env.CONTRACT_SEED ?? Date.now() % 2 ** 31);
const runsPerOperation = Number(process.env.CONTRACT_RUNS ?? 15);
console.log(`Property tests: seed ${seed}, ${runsPerOperation} requests per operation (replay with CONTRACT_SEED=${seed})`);

async function answersValidly(baseUrl: string, operation: Operation, values: Parameters<typeof send>[2]): Promise<void> {
  const response = await send(baseUrl, operation, values);
  const status = String(response.status);
  const body = await response.json();
  expect(status.startsWith('2'), `${operation.operationId} answered ${status} to a valid request: ${response.headers.get('sl-violations')}`).toBe(true);
  expect(contract.problems(contract.responseValidator(operation.operationId, status), body), `${operation.operationId} body`).toEqual([]);
  expect(contract.undocumentedFields(operation.operationId, status, body), `${operation.operationId} drift`).toEqual([]);
}

function checkProperty(baseUrl: () => string, operation: Operation, numRuns: number) {
  return fc.assert(
    fc.asyncProperty(requestArbitrary(operation, resolve), (values) => answersValidly(baseUrl(), operation, values)),
    { seed, numRuns, interruptAfterTimeLimit: 10_000, markInterruptAsFailure: false, includeErrorInReport: true },
  );
}

describe.concurrent('valid requests generated from the schemas, against the static mock', () => {
  const mockUrl = inject('mockUrl');
  for (const operation of operations) {
    it(`${operation.operationId} answers each with a 2xx and a valid body`, () => checkProperty(() => mockUrl, operation, runsPerOperation));
  }
});

describe.concurrent('against a mock that makes bodies up from the schemas (--dynamic)', () => {
  let dynamic: RunningPrism;
  beforeAll(async () => {
    dynamic = await startPrism({
      spec: inject('specFile'),
      args: ['--dynamic', '--seed', String(seed), '--json-schema-faker-fillProperties=false', '--verboseLevel', 'warn'],
    });
  });
  afterAll(() => dynamic?.stop());

  for (const operation of operations) {
    it(`${operation.operationId} makes up bodies that validate`, () => checkProperty(() => dynamic.url, operation, Math.ceil(runsPerOperation / 3)));
  }
});
