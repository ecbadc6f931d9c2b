import { getEventListeners } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  AuthenticationError,
  createClient,
  InternalServerError,
  MalformedResponseError,
  MetorialConfigurationError,
  MetorialError,
  type MetorialClientOptions,
  PermissionDeniedError,
  ResponseValidationError,
} from '../../src/index.ts';
import { parseHttpDate } from '../../src/retry-policy.ts';
import { responseValidation } from '../../src/validation.ts';
import { trackClientTimers } from '../support/client-timers.ts';
import { everythingShown, FaultServer, json } from '../support/fault-server.ts';

/**
 * The faults of issue 12 that users of openapi-fetch and generated SDKs have met, each with its
 * siblings, against a real local server: ids that would change the path, requests that cannot be
 * built, a server echoing the key, bodies of the wrong shape, bad Retry-After values, huge timeouts,
 * a 204 to DELETE, and one signal shared by many calls.
 */
const key = 'metorial_sk_HOSTILEsecret123';
let server: FaultServer;
let logLines: string[];
let clientTimers: ReturnType<typeof trackClientTimers>;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

function client(options: Partial<MetorialClientOptions> = {}) {
  return createClient({ apiKey: key, baseUrl: server.url, retryDelays: { initialMs: 40, maxMs: 2_000 }, logger: (line) => logLines.push(line), ...options });
}

const failure = (promise: Promise<unknown>) => promise.then(
  (value) => {
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  },
  (error: unknown) => error as MetorialError,
);

beforeAll(async () => {
  server = await FaultServer.start();
  process.on('warning', onWarning);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await server.stop();
});
beforeEach(() => {
  logLines = [];
  warnings.length = 0;
  clientTimers = trackClientTimers();
});
afterEach(async () => {
  clientTimers.stop();
  await vi.waitFor(() => expect(server.pendingTimers).toBe(0));
  expect(clientTimers.held(), 'timers left behind by the client').toBe(0);
});

describe('1. a path id cannot retarget the request', () => {
  const logsPath = '/sessions/{session_id}/provider-runs/{provider_run_id}/logs' as const;
  const retargeting = ['', '.', '..', '%2e', '%2e%2e', '%2E.', '.%2E', '%252e%252e', 'a/b', '../runs', 'a\\b', 'a?b', 'a#b', '%2F', '%3F', '%23', 'run_\uD800'];

  it.each(retargeting)('refuses session_id %j before sending, naming the parameter', async (id) => {
    server.plan([]);
    const error = await failure(client().get(logsPath, { params: { path: { session_id: id, provider_run_id: 'prun_x' } } }));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error).toBeInstanceOf(MetorialError);
    expect(error.message).toContain('path parameter session_id');
    expect(error.operation).toBe(`GET ${logsPath}`);
    expect(server.requests).toHaveLength(0);
  });

  it.each(['', '.', '..', '%2e%2e'])('refuses provider_run_id %j, in the result style too', async (id) => {
    server.plan([]);
    const error = await failure(client().GET(logsPath, { params: { path: { session_id: 'ses_1', provider_run_id: id } } }));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message).toContain('path parameter provider_run_id');
    expect(server.requests).toHaveLength(0);
  });

  it.each(['', '.', '..'])('refuses to delete %j, which would send DELETE to another path', async (id) => {
    server.plan([]);
    const error = await failure(client().delete('/session-template-providers/{session_template_provider_id}', { params: { path: { session_template_provider_id: id } } }));
    expect(error.message).toContain('path parameter session_template_provider_id');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a missing id rather than sending the template braces', async () => {
    server.plan([]);
    const error = await failure(client().get('/runs/{run_id}', { params: { path: {} as { run_id: string } } }));
    expect(error.message).toBe('GET /runs/{run_id}: the path parameter run_id is missing: pass the id of an existing object. Nothing was sent.');
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['run_1.2', '/runs/run_1.2'],
    ['a..b', '/runs/a..b'],
    ['...', '/runs/...'],
    ['run é+%', '/runs/run%20%C3%A9%2B%25'],
  ])('sends an id that only looks odd, %j, as one segment', async (id, sentPath) => {
    server.plan([], json(200, { id }));
    await expect(client().get('/runs/{run_id}', { params: { path: { run_id: id } } })).resolves.toEqual({ id });
    expect(server.requests.map((request) => request.url)).toEqual([sentPath]);
  });
});

describe('2. a request that cannot be built is a configuration error at once, never echoed', () => {
  it('refuses a metorialVersion with a line break when the client is made', () => {
    const make = () => client({ metorialVersion: '2026-01-01\nmagnetar' });
    expect(make).toThrow(MetorialConfigurationError);
    expect(make).toThrow(/header Metorial-Version in metorialVersion has a value that holds a line break/);
    expect(make).not.toThrow(/magnetar/);
  });

  it.each([
    ['a line break', 'tok_SECRET123\nx'],
    ['a carriage return', 'tok_SECRET123\rx'],
    ['a NUL', 'tok_SECRET123\0x'],
    ['a character above U+00FF', 'tok_SECRET123 ☕'],
  ])('refuses a client header holding %s, without printing its value', (_, value) => {
    let error: unknown;
    try {
      client({ headers: { 'X-Custom-Token': value } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect((error as Error).message).toContain('header X-Custom-Token');
    expect(everythingShown(error)).not.toContain('SECRET123');
  });

  it.each([
    ['a per-call header above U+00FF', { headers: { 'X-Note': 'café ☕' } }, 'header X-Note'],
    ['a per-call header with a line break', { headers: { 'X-Note': 'tok_SECRET123\nx' } }, 'header X-Note'],
    ['a header name with a space', { headers: { 'X Note': 'ok' } }, 'not a valid header name'],
    ['a path id with a lone surrogate', { params: { path: { run_id: 'run_\uD800' } } }, 'path parameter run_id holds a lone UTF-16 surrogate'],
    ['a query value with a lone surrogate', { params: { path: { run_id: 'run_1' }, query: { q: 'x\uDC00' } } }, 'query parameter q holds a lone UTF-16 surrogate'],
  ])('rejects %s with no retry and nothing sent', async (_, init, named) => {
    server.plan([]);
    const error = await failure(client().get('/runs/{run_id}', { params: { path: { run_id: 'run_1' } }, ...(init as object) } as never));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message).toContain(named);
    expect(everythingShown(error)).not.toContain('SECRET123');
    expect(server.requests).toHaveLength(0);
    expect(logLines).toEqual([]);
  });

  it('rejects a body JSON cannot serialize at once, as a configuration error', async () => {
    server.plan([]);
    const error = await failure(client().post('/runs', { body: { agent_id: 'agent_1', content: 'Hi', metadata: { n: 1n } } as never }));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message).toMatch(/^POST \/runs: the request could not be built \(.*BigInt.*\)\. Nothing was sent\.$/);
    expect(server.requests).toHaveLength(0);
    expect(logLines).toEqual([]);
  });
});

describe('3. the key is redacted from all an error carries of the server', () => {
  it('a 401 whose message echoes the key', async () => {
    server.plan([], json(401, { object: 'error', status: 401, code: 'unauthorized', message: `The key ${key} is revoked.`, hint: `Replace ${key}.` }));
    const error = await failure(client().get('/server-runs'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(everythingShown(error)).not.toContain(key);
    expect(error.message).toContain('The key [redacted API key] is revoked.');
    expect(error.hint).toBe('Replace [redacted API key].');
  });

  it('a 500 HTML page that echoes the request headers', async () => {
    const page = `<!doctype html><h1>Error</h1><pre>Authorization: Bearer ${key}</pre>`;
    server.plan([], { kind: 'answer', status: 500, headers: { 'content-type': 'text/html' }, body: page });
    const error = await failure(client({ maxRetries: 0 }).get('/server-runs'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.body).toContain('Authorization: Bearer [redacted API key]');
    expect(everythingShown(error)).not.toContain(key);
  });

  it('the error body of the result style', async () => {
    server.plan([], json(403, { object: 'error', status: 403, code: 'forbidden', message: `No access for ${key}` }));
    const { error } = await client().GET('/server-runs');
    expect(JSON.stringify(error)).not.toContain(key);
    expect(error?.message).toBe('No access for [redacted API key]');
  });

  it('a success body that is not JSON, quoted by the parser in its cause', async () => {
    server.plan([], { kind: 'answer', status: 200, headers: { 'content-type': 'application/json' }, body: `${key} was here` });
    const error = await failure(client().get('/server-runs'));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(everythingShown(error)).not.toContain(key);
  });

  it('a body that breaks the contract, with validateResponses', async () => {
    server.plan([], json(200, { object: 'list', items: [{ echoed: key }], pagination: {} }));
    const error = await failure(client({ validateResponses: responseValidation() }).get('/server-runs'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(everythingShown(error)).not.toContain(key);
  });
});

describe('4. a success body that is not what the operation returns', () => {
  it.each([
    ['JSON null', 'null'],
    ['a JSON array', '[]'],
    ['a JSON string', '"ok"'],
    ['a JSON number', '42'],
  ])('%s for a Run is a MalformedResponseError with operation and request id', async (what, body) => {
    server.plan([], { kind: 'answer', status: 200, headers: { 'content-type': 'application/json', 'metorial-req-id': 'req_odd' }, body });
    const error = await failure(client().get('/runs/{run_id}', { params: { path: { run_id: 'run_1' } } }));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ operation: 'GET /runs/{run_id}', requestId: 'req_odd', status: 200 });
    expect(error.message).toBe(`GET /runs/{run_id} answered 200 with ${what}, not the object the operation returns.`);
  });

  it.each([
    ['null', 'JSON null, not the object the operation returns'],
    ['{}', 'a body that is not a list: it has no items array'],
    ['{"items": "x", "pagination": {"has_more_after": false}}', 'a body that is not a list: it has no items array'],
    ['{"items": [], "pagination": null}', 'a body that is not a list: it has no pagination.has_more_after'],
    ['{"items": [{"name": "x"}], "pagination": {"has_more_after": false, "has_more_before": false}}', 'a body that is not a list: it has an item without a string id'],
  ])('paginate on %s is a MalformedResponseError, not a TypeError', async (body, says) => {
    server.plan([], { kind: 'answer', status: 200, headers: { 'content-type': 'application/json', 'metorial-req-id': 'req_page' }, body });
    const error = await failure(client().paginate('/runs').collect({ max: 10 }));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ operation: 'GET /runs', requestId: 'req_page' });
    expect(error.message).toBe(`GET /runs answered 200 with ${says}.`);
  });
});

describe('5. error bodies in other shapes', () => {
  const problem = (body: unknown) => ({ kind: 'answer' as const, status: 403, headers: { 'content-type': 'application/problem+json', 'metorial-req-id': 'req_gw' }, body: JSON.stringify(body) });

  it('uses the detail of application/problem+json', async () => {
    server.plan([], problem({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'The key lacks the runs:read scope.' }));
    const error = await failure(client().get('/server-runs'));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.message).toBe('GET /server-runs failed with 403: The key lacks the runs:read scope. (request req_gw)');
    expect(error.body).toMatchObject({ title: 'Forbidden' });
  });

  it('uses the title when there is no detail', async () => {
    server.plan([], problem({ type: 'about:blank', title: 'Forbidden by policy' }));
    const error = await failure(client().get('/server-runs'));
    expect(error.message).toBe('GET /server-runs failed with 403: Forbidden by policy (request req_gw)');
  });

  it('says the JSON is of another shape when it has neither', async () => {
    server.plan([], problem({ reason: 42 }));
    const error = await failure(client().get('/server-runs'));
    expect(error.message).toBe("GET /server-runs failed with 403: answered with JSON that is not the API's error body (application/problem+json) (request req_gw)");
  });
});

describe('6. retry timing', () => {
  const limited = (headers: Record<string, string>) => json(429, { object: 'error', status: 429, code: 'rate_limit_exceeded', message: 'Slow down.' }, headers);
  const delays = () => logLines.map((line) => Number(/in (\d+) ms/.exec(line)?.[1]));

  it.each(['-1', 'later 5', '1.5', '+3', '0x10', '3 seconds', 'Sun, 31 Feb 2026 08:49:37 GMT', '2026-01-01T00:00:00Z'])(
    'ignores Retry-After %j and backs off as usual',
    async (value) => {
      server.plan([limited({ 'retry-after': value })]);
      await expect(client().get('/server-runs')).resolves.toEqual({ ok: true });
      expect(delays()[0]).toBeGreaterThanOrEqual(30);
      expect(delays()[0]).toBeLessThanOrEqual(40);
    },
  );

  it.each(['-5', '2.5', 'soon'])('ignores RateLimit-Reset %j too', async (value) => {
    server.plan([limited({ 'ratelimit-reset': value })]);
    await client().get('/server-runs');
    expect(delays()[0]).toBeGreaterThanOrEqual(30);
    expect(delays()[0]).toBeLessThanOrEqual(40);
  });

  it('honours an HTTP-date in the past as no wait', async () => {
    server.plan([limited({ 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' })]);
    await client().get('/server-runs');
    expect(logLines).toEqual(['GET /server-runs → 429; retry 1 of 2 in 0 ms']);
  });

  it('reads the three HTTP-date forms of RFC 9110 §5.6.7, and nothing else', () => {
    const at = Date.UTC(1994, 10, 6, 8, 49, 37);
    const now = Date.UTC(2026, 10, 29);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(at);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(at);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', now)).toBe(at);
    for (const text of ['later 5', '06 Nov 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 PST', 'Sun, 06 Nov 1994 25:49:37 GMT', '1994-11-06']) {
      expect(parseHttpDate(text, now), text).toBeUndefined();
    }
  });

  it.each([
    ['timeout', { timeout: 30 * 24 * 3_600_000 }, /timeout must be at most 2147483647 ms/],
    ['timeout', { timeout: 0 }, /timeout must be a number of at least 1, not 0/],
    ['maxRetries', { maxRetries: 1.5 }, /maxRetries must be a whole number of at least 0, not 1.5/],
    ['retryDelays.maxMs', { retryDelays: { initialMs: 500, maxMs: 2 ** 31 } }, /retryDelays.maxMs must be at most 2147483647 ms/],
  ])('refuses a %s no timer can hold, when the client is made', (_, options, message) => {
    expect(() => client(options)).toThrow(MetorialConfigurationError);
    expect(() => client(options)).toThrow(message);
  });

  it('refuses a per-call timeout above 2^31-1 ms before sending, with no TimeoutOverflowWarning', async () => {
    server.plan([]);
    const error = await failure(client().get('/server-runs', { timeout: 30 * 24 * 3_600_000 }));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(server.requests).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'TimeoutOverflowWarning')).toEqual([]);
  });

  it('accepts the longest timeout a timer can hold', async () => {
    server.plan([]);
    await expect(client({ timeout: 2 ** 31 - 1 }).get('/server-runs')).resolves.toEqual({ ok: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'TimeoutOverflowWarning')).toEqual([]);
  });
});

describe('7. DELETE answered without a body', () => {
  const del = () => client().delete('/session-template-providers/{session_template_provider_id}', { params: { path: { session_template_provider_id: 'stp_1' } } });

  it.each([
    ['204', { kind: 'answer' as const, status: 204 }],
    ['an empty 200', { kind: 'answer' as const, status: 200, headers: { 'content-length': '0' } }],
    ['an empty 202', { kind: 'answer' as const, status: 202, headers: { 'content-type': 'application/json' } }],
  ])('resolves undefined on %s, once: the delete happened', async (_, answer) => {
    server.plan([], answer);
    await expect(del()).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('still resolves the deleted object when the server sends it', async () => {
    server.plan([], json(200, { id: 'stp_1', object: 'session.template.provider' }));
    await expect(del()).resolves.toEqual({ id: 'stp_1', object: 'session.template.provider' });
  });

  it('still rejects a 204 to a GET, which promises a body', async () => {
    server.plan([], { kind: 'answer', status: 204 });
    await expect(client().get('/server-runs')).rejects.toBeInstanceOf(MalformedResponseError);
  });
});

describe('8. one signal shared by many calls', () => {
  it('runs 50 calls on one signal with no MaxListenersExceededWarning and leaves no listener', async () => {
    server.plan([]);
    const controller = new AbortController();
    const metorial = client();
    const calls = Array.from({ length: 50 }, () => metorial.get('/server-runs', { signal: controller.signal }));
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
    await Promise.all(calls);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('aborts all 30 calls waiting on one signal, and leaves no listener', async () => {
    // Stalls far longer than a loaded machine takes to send the 30: the abort, not the answer, ends them.
    server.plan([], { kind: 'stall', ms: 600_000 });
    const controller = new AbortController();
    const metorial = client({ timeout: 600_000 });
    const calls = Array.from({ length: 30 }, () => failure(metorial.get('/server-runs', { signal: controller.signal })));
    await vi.waitFor(() => expect(server.requests).toHaveLength(30), { timeout: 60_000 });
    controller.abort();
    const errors = await Promise.all(calls);
    expect(errors.every((error) => error instanceof AbortedError)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('aborts calls waiting to retry on one signal, and leaves no listener', async () => {
    // A wait far longer than a loaded machine takes to get the 12 answers: the abort, not the retry, ends them.
    server.plan([], json(503, { object: 'error', status: 503, code: 'internal_server_error', message: 'Busy.' }, { 'retry-after': '300' }));
    const controller = new AbortController();
    const metorial = client({ retryDelays: { initialMs: 40, maxMs: 600_000 } });
    const calls = Array.from({ length: 12 }, () => failure(metorial.get('/server-runs', { signal: controller.signal })));
    await vi.waitFor(() => expect(logLines).toHaveLength(12), { timeout: 60_000 });
    controller.abort();
    const errors = await Promise.all(calls);
    expect(errors.every((error) => error instanceof AbortedError)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
