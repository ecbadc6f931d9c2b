import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { Contract } from '../support/contract.ts';
import { type RunningPrism, startPrism } from '../../scripts/lib/prism.ts';
import {
  documentedRequest,
  mockKey,
  type Operation,
  operationsOf,
  type RequestValues,
  resolverFor,
  type Schema,
  send,
  type SendOptions,
} from '../../scripts/lib/spec-requests.ts';

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
  prismOwnBody?: 'problem+json';
}

/** Whether the empty string is a valid value of a query parameter's schema (a string with no minLength, enum, pattern or format). */
const acceptsEmpty = (schema: Schema): boolean =>
  schema.type === 'string' && !schema.minLength && !schema.enum && !schema.pattern && !schema.format;

/** The rule an empty value breaks first, as Prism names it. */
const ruleBrokenByEmpty = (schema: Schema): string =>
  schema.oneOf ? 'oneOf' : schema.type === 'integer' ? 'type' : schema.enum ? 'enum' : schema.minLength ? 'minLength' : 'pattern';

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
    if (parameter.style !== 'deepObject' && !acceptsEmpty(schema)) {
      cases.push({ name: `${parameter.name} given once, empty`, values: withQuery({ [parameter.name]: '' }), expected: { location: at, code: ruleBrokenByEmpty(schema) } });
    }
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
      if (schema.additionalProperties === false) {
        for (const unknownKey of ['zz', 'typo', '名']) {
          cases.push({
            name: `${parameter.name}[${unknownKey}], a key the filter does not have`,
            values: withQuery({ [parameter.name]: { [unknownKey]: '2025-01-01T00:00:00Z' } }),
            expected: { location: at, code: 'additionalProperties', mentions: unknownKey },
          });
        }
      }
      for (const [key, node] of Object.entries(schema.properties ?? {})) {
        const property = resolve<Schema>(node);
        const propertyAt = `${at}.${key}`;
        if (property.type === 'string') {
          // The key `gt][x` is written into the query as `created_at[gt][x]`.
          cases.push({
            name: `${parameter.name}[${key}][x], a key nested under a string`,
            values: withQuery({ [parameter.name]: { [`${key}][x`]: '2025-01-01T00:00:00Z' } }),
            expected: { location: propertyAt, code: 'type' },
          });
        }
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
    // Prism's message quotes the field: a name above U+00FF (名, an emoji) once crashed Prism, as the
    // message went into a header.
    for (const field of ['undocumented_field', '名', 'Ā', '😀']) {
      cases.push({
        name: `a body with an undocumented field ${field}`,
        values: withBody({ ...example, [field]: true }),
        expected: { location: 'request.body', code: 'additionalProperties', mentions: field },
      });
    }
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
    expected: { location: 'request.body', code: 'invalid_json', mentions: 'not valid JSON' },
  });
  for (const [shape, open, close] of [['arrays', '[', ']'], ['objects', '{"a":', '}']] as const) {
    cases.push({
      name: `a body of ${shape} nested 10,000 levels deep`,
      values: documentedRequest(operation),
      options: { rawBody: `${open.repeat(10_000)}1${close.repeat(10_000)}` },
      expected: { location: 'request.body', code: 'maxDepth', mentions: '128 levels' },
    });
  }
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
  const body: Pick<HostileCase, 'prismOwnBody'> = operation.responses.some((r) => r.status === '400') ? {} : { prismOwnBody: 'problem+json' };
  return operation.parameters
    .filter((p) => p.in === 'path')
    .flatMap((p): HostileCase[] => {
      const { minLength, pattern } = resolve<Schema>(p.schema);
      const withId = (id: string) => ({ ...base, path: { ...base.path, [p.name]: id } });
      return [
        {
          name: `an empty ${p.name}`,
          values: withId(''),
          // An empty value is a value (Prism used to drop it, and reported the parameter missing).
          expected: minLength
            ? { location: `request.path.${p.name}`, code: 'minLength' }
            : pattern
              ? { location: `request.path.${p.name}`, code: 'pattern' }
              : { location: 'request.path', code: 'required', mentions: p.name },
          ...body,
        },
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
  if (hostile.prismOwnBody === 'problem+json') {
    const problem = JSON.parse(text) as { validation?: Violation[] };
    const found = problem.validation?.some((v) => names(v, hostile.expected));
    return found ? [] : [`expected a ${hostile.expected.code} violation at ${hostile.expected.location}, got ${text}`];
  }
  const documented = operation.responses.some((r) => r.status === String(response.status));
  if (!documented) return [`${response.status} is not a documented answer of ${operation.operationId}`];
  const body = JSON.parse(text) as { message?: string };
  const problems = contract.problems(contract.responseValidator(operation.operationId, response.status), body);
  // The body's message says what was wrong, not what the response's first example says.
  const named = hostile.expected.mentions ?? hostile.expected.location.split('.').at(-1)!;
  if (response.status === 400 && !body.message?.includes(named)) problems.push(`the 400 body's message does not name ${named}: ${body.message}`);
  return problems;
}

const casesOf = (operation: Operation) => [...authCases(operation), ...pathCases(operation), ...queryCases(operation), ...bodyCases(operation)];

// Each request also goes through the sandbox, behind Prism's validating proxy (issue 19): it must get
// the mock's 4xx, saying why as the mock does.
const sandboxUrl = inject('sandboxUrl');
describe.concurrent.each(operations.map((op) => [op.operationId, op] as const))('%s', (_, operation) => {
  it.each(casesOf(operation).map((c) => [c.name, c] as const))('rejects %s with a 4xx that says why, on the mock and through the sandbox', async (__, hostile) => {
    const response = await send(mockUrl, operation, hostile.values, hostile.options);
    await checkAnswer(operation, response, hostile);
    const viaSandbox = await send(sandboxUrl, operation, hostile.values, { ...hostile.options, timeoutMs: 30_000 });
    expect(viaSandbox.status, 'the sandbox answers as the mock does').toBe(response.status);
    await checkAnswer(operation, viaSandbox, hostile);
  });
});

it('the sandbox still serves after every hostile request', async () => {
  const response = await fetch(`${sandboxUrl}/server-runs?limit=1`, { headers: { Authorization: `Bearer ${mockKey}` }, signal: AbortSignal.timeout(30_000) });
  expect(response.status).toBe(200);
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

/** The mock still serves a plain request: a hostile one must not have taken it down. */
async function expectMockStillAnswers(): Promise<void> {
  const response = await fetch(`${mockUrl}/server-runs`, { headers: { Authorization: `Bearer ${mockKey}` }, signal: AbortSignal.timeout(10_000) });
  expect(response.status, 'the mock still answers after the hostile request').toBe(200);
}

/** The violations of an answer, from `sl-violations` or, when Prism answers with its own problem body, from that body. */
async function allViolations(response: Response): Promise<Violation[]> {
  const text = await response.text();
  const inBody = response.headers.get('content-type')?.includes('problem+json') ? ((JSON.parse(text) as { validation?: Violation[] }).validation ?? []) : [];
  return [...violationsOf(response), ...inBody];
}

const errorBody = contract.schemaValidator('ErrorBody');

describe('requests that used to break the mock (issue 12)', () => {
  const withPathIds = operations.filter((op) => op.parameters.some((p) => p.in === 'path'));
  const invalidUtf8 = ['%ff', '%C0%AF', '%E0%80', '%ED%A0%80', 'run_%fe%ff'];

  describe.each(withPathIds.map((op) => [op.operationId, op] as const))('%s', (_, operation) => {
    it.each(invalidUtf8)('answers a path id of invalid UTF-8, %s, with a 4xx naming request.path, and keeps serving', async (raw) => {
      const first = operation.parameters.find((p) => p.in === 'path')!.name;
      const values = documentedRequest(operation);
      const path = operation.path.replace(/\{([^}]+)\}/g, (__, name: string) => (name === first ? raw : encodeURIComponent(values.path[name]!)));
      const response = await fetch(`${mockUrl}${path}`, {
        method: operation.method.toUpperCase(),
        headers: { Authorization: `Bearer ${mockKey}`, ...(operation.body ? { 'Content-Type': 'application/json' } : {}) },
        ...(operation.body ? { body: JSON.stringify(values.body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const violations = await allViolations(response);
      expect(violations.some((v) => v.location.at(-1) === 'path' && v.code === 'encoding'), JSON.stringify(violations)).toBe(true);
      await expectMockStillAnswers();
    });
  });

  it('answers four 10 MB bodies at once with 413 in the API error body, still serves meanwhile, and its memory stays flat', async () => {
    const createRun = operations.find((op) => op.path === '/runs' && op.method === 'post')!;
    const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${inject('mockPid')}/status`, 'utf8'))?.[1]);
    const before = rssKb();
    const huge = JSON.stringify({ agent_id: 'agent_1', content: 'x'.repeat(10_000_000) });
    const [answers] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => send(mockUrl, createRun, documentedRequest(createRun), { rawBody: huge, timeoutMs: 60_000 }))),
      expectMockStillAnswers(),
    ]);
    for (const response of answers) {
      expect(response.status).toBe(413);
      expect(violationsOf(response)).toEqual([expect.objectContaining({ location: ['request', 'body'], code: 413 })]);
      const body = await response.json();
      expect(contract.problems(errorBody, body)).toEqual([]);
      expect(body).toMatchObject({ status: 413, message: 'The request body is larger than this mock accepts (1 MB).' });
    }
    // Before the fix each such body grew Prism by hundreds of megabytes; refused unread, it costs next to nothing.
    expect(rssKb() - before, 'growth of the mock in kB').toBeLessThan(100_000);
    await expectMockStillAnswers();
  });

  it('accepts metadata nested 100 levels deep, and refuses 129 levels with a 400 naming the limit', async () => {
    const createRun = operations.find((op) => op.path === '/runs' && op.method === 'post')!;
    const nested = (levels: number) => `{"agent_id":"agent_1","content":"Hi","metadata":${'{"a":'.repeat(levels - 1)}1${'}'.repeat(levels - 1)}}`;
    expect((await send(mockUrl, createRun, documentedRequest(createRun), { rawBody: nested(100) })).status).toBe(200);
    const refused = await send(mockUrl, createRun, documentedRequest(createRun), { rawBody: nested(129) });
    expect(refused.status).toBe(400);
    expect(violationsOf(refused)).toEqual([expect.objectContaining({ location: ['request', 'body'], code: 'maxDepth' })]);
    await expectMockStillAnswers();
  });
});

describe('the mock as `npm run mock` runs it, logging every request (info level)', () => {
  let prism: RunningPrism;
  beforeAll(async () => {
    prism = await startPrism({ spec: inject('specFile') });
  });
  afterAll(async () => {
    await prism?.stop();
  });

  it('logs a request line but not its body, refuses 10 MB, and keeps serving', async () => {
    const createRun = operations.find((op) => op.path === '/runs' && op.method === 'post')!;
    const marker = 'BODY_MARKER_'.repeat(50_000);
    const accepted = await send(prism.url, createRun, documentedRequest(createRun), { rawBody: JSON.stringify({ agent_id: 'agent_1', content: marker }) });
    expect(accepted.status).toBe(200);
    const refused = await send(prism.url, createRun, documentedRequest(createRun), {
      rawBody: JSON.stringify({ agent_id: 'agent_1', content: 'x'.repeat(10_000_000) }),
      timeoutMs: 60_000,
    });
    expect(refused.status).toBe(413);
    const deep = await send(prism.url, createRun, documentedRequest(createRun), { rawBody: `${'['.repeat(10_000)}${']'.repeat(10_000)}` });
    expect(deep.status).toBe(400);
    await vi.waitFor(() => expect(prism.log()).toContain('Request received'));
    expect(prism.log()).not.toContain('BODY_MARKER_');
    const stillServing = await fetch(`${prism.url}/server-runs`, { headers: { Authorization: `Bearer ${mockKey}` } });
    expect(stillServing.status).toBe(200);
  });
});
