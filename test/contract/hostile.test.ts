import { describe, expect, inject, it } from 'vitest';
import { Contract } from '../support/contract.ts';
import { documentedRequest, type Operation, operationsOf, type RequestValues, resolverFor, type Schema, send, type SendOptions } from '../../scripts/lib/spec-requests.ts';

/**
 * Invalid requests made from the spec itself, for every operation: each must get a 4xx (never a
 * 5xx or a hang) whose body is the documented error, and Prism must name what was wrong in its
 * `sl-violations` header: where (`request.query.limit`) and which rule (`maximum`).
 */
const contract = new Contract(inject('specFile'));
const mockUrl = inject('mockUrl');
const resolve = resolverFor(contract.document);
const operations = operationsOf(contract.document);

interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

interface HostileCase {
  name: string;
  values: RequestValues;
  options?: SendOptions;
  /** The violation Prism must report: its location, joined with dots, and its rule. */
  expected: { location: string; code: string | number; mentions?: string };
  /** Prism answers a few problems with its own body rather than a documented response. */
  prismOwnBody?: string;
}

const wrongTypeValue = (schema: Schema): unknown => {
  const types = [schema.type ?? (schema.oneOf ? 'oneOf' : 'object')].flat();
  return types.includes('string') || types.includes('oneOf') ? 12_345 : 'not-a-number-or-object';
};

function queryCases(operation: Operation): HostileCase[] {
  const cases: HostileCase[] = [];
  const base = documentedRequest(operation);
  const withQuery = (query: Record<string, unknown>) => ({ ...base, query });
  for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
    const schema = resolve<Schema>(parameter.schema);
    const at = `request.query.${parameter.name}`;
    if (schema.type === 'integer') {
      cases.push({ name: `${parameter.name} that is not a number`, values: withQuery({ [parameter.name]: 'abc' }), expected: { location: at, code: 'type' } });
      cases.push({ name: `${parameter.name} that is not a whole number`, values: withQuery({ [parameter.name]: 1.5 }), expected: { location: at, code: 'type' } });
      if (schema.minimum !== undefined) {
        cases.push({ name: `${parameter.name} below ${schema.minimum}`, values: withQuery({ [parameter.name]: schema.minimum - 1 }), expected: { location: at, code: 'minimum' } });
      }
      if (schema.maximum !== undefined) {
        cases.push({ name: `${parameter.name} above ${schema.maximum}`, values: withQuery({ [parameter.name]: schema.maximum + 1 }), expected: { location: at, code: 'maximum' } });
      }
    }
    if (schema.enum) {
      cases.push({ name: `${parameter.name} outside its enum`, values: withQuery({ [parameter.name]: 'not_a_documented_value' }), expected: { location: at, code: 'enum' } });
    }
    if (schema.pattern) {
      cases.push({ name: `${parameter.name} not matching ${schema.pattern}`, values: withQuery({ [parameter.name]: '!' }), expected: { location: at, code: 'pattern' } });
    }
    if (parameter.style === 'deepObject') {
      for (const [key, node] of Object.entries(schema.properties ?? {})) {
        const property = resolve<Schema>(node);
        const propertyAt = `${at}.${key}`;
        if (property.format === 'date-time') {
          cases.push({ name: `${parameter.name}[${key}] that is not a date-time`, values: withQuery({ [parameter.name]: { [key]: 'yesterday' } }), expected: { location: propertyAt, code: 'format' } });
        }
        if (property.minLength) {
          cases.push({ name: `${parameter.name}[${key}] empty`, values: withQuery({ [parameter.name]: { [key]: '' } }), expected: { location: propertyAt, code: 'minLength' } });
        }
      }
    }
  }
  return cases;
}

function bodyCases(operation: Operation): HostileCase[] {
  if (!operation.body) return [];
  const schema = resolve<Schema>(operation.body.schema);
  const example = documentedRequest(operation).body as Record<string, unknown>;
  const withBody = (body: unknown) => ({ ...documentedRequest(operation), body });
  const cases: HostileCase[] = [];
  for (const field of schema.required ?? []) {
    const { [field]: _, ...missing } = example;
    cases.push({ name: `a body without its required ${field}`, values: withBody(missing), expected: { location: 'request.body', code: 'required', mentions: field } });
  }
  if (schema.additionalProperties === false) {
    cases.push({
      name: 'a body with an undocumented field',
      values: withBody({ ...example, undocumented_field: true }),
      expected: { location: 'request.body', code: 'additionalProperties', mentions: 'undocumented_field' },
    });
  }
  for (const [field, node] of Object.entries(schema.properties ?? {})) {
    const value = wrongTypeValue(resolve<Schema>(node));
    cases.push({ name: `a body whose ${field} has the wrong type`, values: withBody({ ...example, [field]: value }), expected: { location: `request.body.${field}`, code: 'type' } });
  }
  cases.push({ name: 'a body that is an array', values: withBody([example]), expected: { location: 'request.body', code: 'type' } });
  cases.push({
    name: 'a body that is not JSON',
    values: documentedRequest(operation),
    options: { rawBody: '{"agent_id": ' },
    expected: { location: 'request.body', code: 'invalid_json' },
    prismOwnBody: 'invalid_json',
  });
  cases.push({
    name: 'a body of another content type',
    values: documentedRequest(operation),
    options: { rawBody: 'agent_id=x', headers: { 'Content-Type': 'text/plain' } },
    expected: { location: 'request', code: 415 },
  });
  return cases;
}

function authCases(operation: Operation): HostileCase[] {
  const values = documentedRequest(operation);
  const expected = { location: 'request', code: 401 };
  return [
    { name: 'no Authorization header', values, options: { withoutAuthorization: true }, expected },
    { name: 'a Basic Authorization header', values, options: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }, expected },
    { name: 'a Bearer scheme without a key', values, options: { headers: { Authorization: 'Bearer' } }, expected },
  ];
}

function pathCases(operation: Operation): HostileCase[] {
  const base = documentedRequest(operation);
  // Without a documented 400, Prism answers with its own 422 problem body.
  const body = operation.responses.some((r) => r.status === '400') ? {} : { prismOwnBody: 'problem+json' };
  return operation.parameters
    .filter((p) => p.in === 'path')
    .flatMap((p) => {
      const pattern = resolve<Schema>(p.schema).pattern;
      const withId = (id: string) => ({ ...base, path: { ...base.path, [p.name]: id } });
      return [
        { name: `an empty ${p.name}`, values: withId(''), expected: { location: 'request.path', code: 'required', mentions: p.name }, ...body },
        // An id of another kind (URL-safe, so it reaches the mock as sent).
        ...(pattern ? [{ name: `a ${p.name} not matching ${pattern}`, values: withId('other_Rm4Mnheq2bfEPhBhP7SY'), expected: { location: `request.path.${p.name}`, code: 'pattern' }, ...body }] : []),
      ];
    });
}

/** Prism's header says `request.query.limit`; its problem body says `query.limit`. */
function names(violation: Violation, expected: HostileCase['expected']): boolean {
  const location = violation.location[0] === 'request' ? violation.location : ['request', ...violation.location];
  return (
    location.join('.') === expected.location &&
    violation.code === expected.code &&
    violation.message.length > 0 &&
    (!expected.mentions || violation.message.includes(expected.mentions))
  );
}

function violationsOf(response: Response): Violation[] {
  const header = response.headers.get('sl-violations');
  return header ? (JSON.parse(header) as Violation[]) : [];
}

async function bodyProblems(operation: Operation, response: Response, hostile: HostileCase): Promise<string[]> {
  const text = await response.text();
  if (hostile.prismOwnBody === 'invalid_json') {
    // Prism rejects unparseable JSON before it reads the spec, with its own error body.
    return JSON.parse(text).error?.code === 'invalid_json' ? [] : [`expected Prism's invalid_json error, got ${text}`];
  }
  if (hostile.prismOwnBody === 'problem+json') {
    const problem = JSON.parse(text) as { validation?: Violation[] };
    const found = problem.validation?.some((v) => names(v, hostile.expected));
    return found ? [] : [`expected a ${hostile.expected.code} violation at ${hostile.expected.location}, got ${text}`];
  }
  const documented = operation.responses.some((r) => r.status === String(response.status));
  if (!documented) return [`${response.status} is not a documented answer of ${operation.operationId}`];
  return contract.problems(contract.responseValidator(operation.operationId, response.status), JSON.parse(text));
}

const casesOf = (operation: Operation) => [...authCases(operation), ...pathCases(operation), ...queryCases(operation), ...bodyCases(operation)];

describe.concurrent.each(operations.map((op) => [op.operationId, op] as const))('%s', (_, operation) => {
  it.each(casesOf(operation).map((c) => [c.name, c] as const))('rejects %s with a 4xx that says why', async (__, hostile) => {
    const response = await send(mockUrl, operation, hostile.values, hostile.options);
    await checkAnswer(operation, response, hostile);
  });
});

async function checkAnswer(operation: Operation, response: Response, hostile: HostileCase): Promise<void> {
  expect(response.status, 'a 4xx, never a 5xx').toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  if (!hostile.prismOwnBody) {
    const violations = violationsOf(response);
    const named = violations.some((v) => names(v, hostile.expected));
    expect(named, `Prism names a ${hostile.expected.code} violation at ${hostile.expected.location}; it said ${JSON.stringify(violations)}`).toBe(true);
  }
  expect(await bodyProblems(operation, response, hostile)).toEqual([]);
}

it('derives hostile cases for every operation, and more for those that take input', () => {
  for (const operation of operations) {
    const count = casesOf(operation).length;
    expect(count, operation.operationId).toBeGreaterThanOrEqual(3);
    if (operation.body || operation.parameters.some((p) => p.in === 'query')) expect(count, operation.operationId).toBeGreaterThan(6);
  }
});
