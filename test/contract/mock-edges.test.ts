import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningPrism, startPrism } from '../../scripts/lib/prism.ts';
import { type RunningSandbox, startSandbox } from '../../sandbox/start.ts';
import { documentedRequest, mockKey, type Operation, operationsOf, send, urlFor } from '../../scripts/lib/spec-requests.ts';
import { BadRequestError, createClient, type MetorialError } from '../../src/index.ts';
import { freshKey } from '../sandbox/support.ts';

/**
 * Issue 22, items 12-14: the mock at the edges of routing, derived from the spec for every path and
 * operation. HEAD is GET without a body and 405 lists the allowed methods (RFC 9110 §9.3.2,
 * §15.5.6), OPTIONS answers them; a `Prefer` naming a status or example the operation lacks is an
 * error that says so, never a real-looking 404 (that documented ones are honoured, coverage.test.ts
 * checks); a path template with a non-ASCII character routes
 * and reads its parameters like its ASCII twin.
 */
const specFile = inject('specFile');
const mockUrl = inject('mockUrl');
const document = JSON.parse(readFileSync(specFile, 'utf8'));
const operations = operationsOf(document);
const paths = [...new Set(operations.map((operation) => operation.path))];
const auth = { Authorization: `Bearer ${mockKey}` };
const methodsOf = (path: string) => operations.filter((operation) => operation.path === path).map((operation) => operation.method.toUpperCase());

/** The Allow value a path must send: its methods, HEAD where GET is, OPTIONS, in RFC 9110's order. */
function expectedAllow(path: string): string {
  const methods = new Set(methodsOf(path));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((method) => methods.has(method)).join(', ');
}

/** A concrete URL of a path template, with the documented ids. */
const concrete = (path: string) => {
  const operation = operations.find((o) => o.path === path)!;
  return urlFor(mockUrl, operation, documentedRequest(operation));
};

describe.concurrent('HEAD, 405 and OPTIONS on every path', () => {
  const gets = operations.filter((operation) => operation.method === 'get');

  it.each(gets.map((operation) => [operation.operationId, operation] as const))('HEAD for %s answers as GET, without a body', async (_, operation) => {
    const values = documentedRequest(operation);
    const [get, head] = await Promise.all([send(mockUrl, operation, values, { timeoutMs: 60_000 }), fetch(urlFor(mockUrl, operation, values), { method: 'HEAD', headers: auth })]);
    const getBody = await get.arrayBuffer();
    expect(head.status).toBe(get.status);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(Number(head.headers.get('content-length'))).toBe(getBody.byteLength);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it.each(paths)('%s: each undocumented method is 405 with Allow, and OPTIONS lists the same', async (path) => {
    const url = concrete(path);
    const undocumented = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => !methodsOf(path).includes(method));
    expect(undocumented.length).toBeGreaterThan(0);
    for (const method of undocumented) {
      const response = await fetch(url, { method, headers: { ...auth, 'Content-Type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow'), `${method} ${path}`).toBe(expectedAllow(path));
      expect(((await response.json()) as { detail: string }).detail).toContain(`does not have "${method.toLowerCase()}" method defined`);
    }
    const options = await fetch(url, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe(expectedAllow(path));
    expect(await options.text()).toBe('');
  });

  it('HEAD on a path with no GET is 405 with Allow; unknown paths stay 404 without Allow', async () => {
    const noGet = paths.find((path) => !methodsOf(path).includes('GET'));
    if (noGet) {
      const response = await fetch(concrete(noGet), { method: 'HEAD', headers: auth });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(expectedAllow(noGet));
    }
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      const response = await fetch(`${mockUrl}/no-such-resource`, { method, headers: auth });
      expect(response.status, method).toBe(404);
      expect(response.headers.get('allow')).toBeNull();
    }
  });
});

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

/** The answer to a Prefer the operation cannot honour: 400, a problem body that says so and names what there is. */
async function expectUnknownPreference(response: Response, operation: Operation, mentions: string): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as Problem;
  expect(problem).toMatchObject({ type: 'urn:metorial-api-spec:mock:unknown-prefer', title: 'Unknown Prefer value', status: 400 });
  expect(problem.detail).toContain('The mock cannot honour');
  expect(problem.detail).toContain(mentions);
  expect(problem.detail).toContain(`${operation.method.toUpperCase()} ${operation.path} documents the statuses ${operation.responses.map((r) => r.status).join(', ')}`);
  const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]') as Array<{ location: string[]; code: string }>;
  expect(violations).toEqual([expect.objectContaining({ location: ['request', 'header', 'prefer'], code: 'unknown-prefer' })]);
}

// Not concurrent: the shared mock serves the other contract files at the same time.
describe('Prefer naming what the operation lacks', () => {
  const undocumentedStatus = (operation: Operation) => ['404', '409', '418', '503'].find((status) => !operation.responses.some((r) => r.status === status))!;

  describe.each(operations.map((operation) => [operation.operationId, operation] as const))('%s', (_, operation) => {
    const values = documentedRequest(operation);

    it.each([
      ['an example it does not have', () => 'example=typo', 'exampleKey: typo does not exist'],
      ['an undocumented status', () => `code=${undocumentedStatus(operation)}`, `status code ${undocumentedStatus(operation)} is not defined`],
      ['a status that is not three digits', () => 'code=abc', 'not well-formed'],
      ['dynamic that is not a boolean', () => 'dynamic=maybe', 'not well-formed'],
    ])('Prefer with %s is a 400 that says so', async (__, prefer, mentions) => {
      await expectUnknownPreference(await send(mockUrl, operation, values, { headers: { Prefer: prefer() }, timeoutMs: 60_000 }), operation, mentions);
    });

    it('the same through the __example query parameter', async () => {
      await expectUnknownPreference(await send(mockUrl, operation, { ...values, query: { ...values.query, __example: 'typo' } }, { timeoutMs: 60_000 }), operation, 'exampleKey: typo does not exist');
    });
  });

  it('through the client, an unknown example is a BadRequestError that names it, not a NotFoundError', async () => {
    const client = createClient({ apiKey: mockKey, baseUrl: mockUrl });
    const error = (await client.get('/runs', { headers: { Prefer: 'example=typo' } }).catch((caught: unknown) => caught)) as MetorialError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('The mock cannot honour Prefer: example=typo');
  });
});

describe.concurrent('the sandbox, through Prism (sandboxUrl): the same edges', () => {
  const sandboxUrl = inject('sandboxUrl');
  const at = (path: string) => {
    const operation = operations.find((o) => o.path === path)!;
    return urlFor(sandboxUrl, operation, documentedRequest(operation));
  };

  it.each(paths)('%s: HEAD answers as GET without a body, undocumented methods 405 with Allow, OPTIONS lists them', async (path) => {
    const headers = { Authorization: `Bearer ${freshKey('edges')}` };
    const url = at(path);
    if (methodsOf(path).includes('GET')) {
      const get = await fetch(url, { headers });
      const getBody = await get.arrayBuffer();
      const head = await fetch(url, { method: 'HEAD', headers });
      expect(head.status).toBe(get.status);
      expect(Number(head.headers.get('content-length'))).toBe(getBody.byteLength);
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !methodsOf(path).includes(m))) {
      const response = await fetch(url, { method, headers: { ...headers, 'Content-Type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow'), `${method} ${path}`).toBe(expectedAllow(path));
    }
    const options = await fetch(url, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe(expectedAllow(path));
  });

  const listRuns = operations.find((operation) => operation.operationId === 'listRuns')!;
  const getRun = operations.find((operation) => operation.operationId === 'getRun')!;
  it.each([
    ['an example it does not have', listRuns, 'example=typo', 'exampleKey: typo does not exist'],
    ['an undocumented status', listRuns, 'code=404', 'status code 404 is not defined'],
    ['an example of another status', getRun, 'code=200, example=NotFoundError', 'exampleKey: NotFoundError does not exist'],
    ['a status that is not three digits', listRuns, 'code=abc', 'not well-formed'],
  ])('Prefer with %s is the same 400, not an answer that ignores it', async (_, operation, prefer, mentions) => {
    const response = await send(sandboxUrl, operation, documentedRequest(operation), { apiKey: freshKey('prefer'), headers: { Prefer: prefer }, timeoutMs: 60_000 });
    await expectUnknownPreference(response, operation, mentions);
  });

  it('a documented Prefer is passed on to the sandbox, which answers as the API would', async () => {
    const response = await send(sandboxUrl, listRuns, documentedRequest(listRuns), { apiKey: freshKey('prefer'), headers: { Prefer: 'code=200' }, timeoutMs: 60_000 });
    expect(response.status).toBe(200);
  });
});

describe('a path template with non-ASCII characters', () => {
  let prism: RunningPrism;
  let sandbox: RunningSandbox;
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-mock-edges-'));
  // Copies of GET /runs/{run_id} under templates whose literal text needs percent-encoding, and an ASCII twin.
  const templates = ['/runs/{run_id}/étiquette', '/runs/{run_id}/etiquette', '/données/{run_id}', '/runs/{run_id}/名前', '/a b/{run_id}'];

  beforeAll(async () => {
    const derived = structuredClone(document);
    templates.forEach((template, index) => {
      const { parameters, get } = structuredClone(document.paths['/runs/{run_id}']);
      derived.paths[template] = { parameters, get: { ...get, operationId: `getRunCopy${index}` } };
    });
    const spec = join(scratch, 'openapi.json');
    writeFileSync(spec, JSON.stringify(derived));
    [prism, sandbox] = await Promise.all([startPrism({ spec, args: ['--verboseLevel', 'warn'] }), startSandbox({ spec, count: 5, readyTimeoutMs: 180_000 })]);
  }, 240_000);
  afterAll(async () => {
    await Promise.all([prism?.stop(), sandbox?.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  const runId = String(operations.find((operation) => operation.path === '/runs/{run_id}')!.parameters.find((p) => p.name === 'run_id')!.example);
  const url = (template: string, id: string) => `${prism.url}${encodeURI(template.replace('{run_id}', id))}`;

  it.each(templates)('%s answers a valid request 200, like /runs/{run_id}', async (template) => {
    const response = await fetch(url(template, runId), { headers: auth });
    expect(response.status, response.headers.get('sl-violations') ?? '').toBe(200);
  });

  it.each(templates)('%s reads its run_id: a malformed one is named in the violation', async (template) => {
    const response = await fetch(url(template, 'not-a-run-id'), { headers: auth });
    expect(response.status).toBe(400);
    const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]') as Array<{ location: string[]; code: string }>;
    expect(violations).toEqual(expect.arrayContaining([expect.objectContaining({ location: ['request', 'path', 'run_id'], code: 'pattern' })]));
  });

  it.each(templates)('the sandbox through Prism: %s reads its run_id, and answers a run that exists', async (template) => {
    const key = freshKey('non_ascii');
    const list = await fetch(`${sandbox.url}/runs?limit=1`, { headers: { Authorization: `Bearer ${key}` } });
    const existing = ((await list.json()) as { items: Array<{ id: string }> }).items[0]!.id;
    const found = await fetch(`${sandbox.url}${encodeURI(template.replace('{run_id}', existing))}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(found.status, `${found.headers.get('sl-violations') ?? ''} ${await found.clone().text()}`).toBe(200);
    expect(((await found.json()) as { id: string }).id).toBe(existing);
    const malformed = await fetch(`${sandbox.url}${encodeURI(template.replace('{run_id}', 'not-a-run-id'))}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(malformed.status).toBe(400);
    const violations = JSON.parse(malformed.headers.get('sl-violations') ?? '[]') as Array<{ location: string[]; code: string }>;
    expect(violations).toEqual(expect.arrayContaining([expect.objectContaining({ location: ['request', 'path', 'run_id'], code: 'pattern' })]));
  });

  it('HEAD, OPTIONS and 405 work there too', async () => {
    const head = await fetch(url(templates[0]!, runId), { method: 'HEAD', headers: auth });
    expect(head.status).toBe(200);
    const options = await fetch(url(templates[0]!, runId), { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const post = await fetch(url(templates[0]!, runId), { method: 'POST', headers: auth });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
