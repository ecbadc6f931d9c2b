import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findFreePort } from '../../scripts/lib/prism.ts';
import {
  AbortedError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createClient,
  InternalServerError,
  MalformedResponseError,
  type MetorialClientOptions,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
} from '../../src/index.ts';
import spec from '../../generated/openapi.json' with { type: 'json' };
import { trackClientTimers } from '../support/client-timers.ts';
import { apiError, FaultServer, json } from '../support/fault-server.ts';

const key = 'metorial_sk_retrytestkey123';
let server: FaultServer;
let logLines: string[];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let clientTimers: ReturnType<typeof trackClientTimers>;

function client(options: Partial<MetorialClientOptions> = {}) {
  return createClient({
    apiKey: key,
    baseUrl: server.url,
    retryDelays: { initialMs: 5, maxMs: 2_000 },
    logger: (line) => logLines.push(line),
    ...options,
  });
}

const attempts = () => server.requests.length;

beforeAll(async () => {
  server = await FaultServer.start();
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.stop();
});
beforeEach(() => {
  logLines = [];
  clientTimers = trackClientTimers();
});
afterEach(async () => {
  clientTimers.stop();
  // The server learns of a client hang-up a moment later; its own timers are not the client's.
  await vi.waitFor(() => expect(server.pendingTimers).toBe(0));
  expect(unhandled, 'unhandled rejections').toEqual([]);
  expect(clientTimers.held(), 'timers left behind by the client').toBe(0);
});

describe('connection failures', () => {
  it('retries a GET whose connection was reset, and succeeds', async () => {
    server.plan([{ kind: 'reset' }]);
    await expect(client().get('/server-runs')).resolves.toEqual({ ok: true });
    expect(attempts()).toBe(2);
  });

  it('gives up after maxRetries with a ConnectionError', async () => {
    server.plan([], { kind: 'reset' });
    const error = await client().get('/server-runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as ConnectionError).operation).toBe('GET /server-runs');
    expect(attempts()).toBe(3);
  });

  it('does not resend a POST whose connection was reset after it was sent', async () => {
    server.plan([{ kind: 'reset' }]);
    await expect(client().post('/runs', { body: { agent_id: 'agent_1', content: 'Hi' } })).rejects.toBeInstanceOf(ConnectionError);
    expect(attempts()).toBe(1);
  });

  it('resends a POST that could not connect at all, since it never reached the server', async () => {
    const closedPort = await findFreePort();
    const lines: string[] = [];
    const refused = createClient({
      apiKey: key,
      baseUrl: `http://127.0.0.1:${closedPort}`,
      retryDelays: { initialMs: 1, maxMs: 10 },
      logger: (line) => lines.push(line),
    });
    const error = await refused.post('/runs', { body: { agent_id: 'agent_1', content: 'Hi' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(lines.filter((line) => line.includes('retry'))).toHaveLength(2);
  });

  it('says why fetch failed when no error code tells: a port fetch refuses to use', async () => {
    const error = await createClient({ apiKey: key, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 }).get('/server-runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe('GET /server-runs failed: could not get an answer from the server (bad port).');
  });
});

describe('timeouts', () => {
  it('times out a slow answer, retries a GET, and says how long it waited', async () => {
    // The timeout long enough for a loaded machine to send each attempt, the stall far longer.
    server.plan([], { kind: 'stall', ms: 600_000 });
    const error = await client({ timeout: 3_000, maxRetries: 1 }).get('/server-runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/within 3000 ms/);
    expect(attempts()).toBe(2);
  });

  it('counts a body that stalls after the headers as a timeout', async () => {
    server.plan([], { kind: 'stall-body', ms: 600_000 });
    await expect(client({ timeout: 3_000, maxRetries: 0 }).get('/server-runs')).rejects.toBeInstanceOf(TimeoutError);
    expect(attempts()).toBe(1);
  });

  it('takes a per-request timeout over the client one, and never resends a timed-out POST', async () => {
    server.plan([], { kind: 'stall', ms: 600_000 });
    const slowClient = client({ timeout: 300_000 });
    await expect(
      slowClient.post('/runs', { body: { agent_id: 'agent_1', content: 'Hi' }, timeout: 3_000 }),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(attempts()).toBe(1);
  });
});

describe('retryable statuses', () => {
  it('retries 500 then succeeds', async () => {
    server.plan([apiError(500, 'internal_server_error')]);
    await expect(client().get('/server-runs')).resolves.toEqual({ ok: true });
    expect(attempts()).toBe(2);
  });

  it('retries 408 and 503 on a GET', async () => {
    server.plan([apiError(408, 'bad_request'), apiError(503, 'internal_server_error')]);
    await expect(client().get('/server-runs')).resolves.toEqual({ ok: true });
    expect(attempts()).toBe(3);
  });

  it('does not resend a POST after a 5xx: the server may have done the work', async () => {
    server.plan([apiError(503, 'internal_server_error')]);
    await expect(client().post('/runs', { body: { agent_id: 'a', content: 'Hi' } })).rejects.toBeInstanceOf(InternalServerError);
    expect(attempts()).toBe(1);
  });

  it('resends a POST after a 429, waiting what RateLimit-Reset says', async () => {
    const limited = apiError(429, 'rate_limit_exceeded', { 'ratelimit-limit': '10', 'ratelimit-remaining': '0', 'ratelimit-reset': '0' });
    server.plan([limited]);
    await expect(client().post('/runs', { body: { agent_id: 'a', content: 'Hi' } })).resolves.toEqual({ ok: true });
    expect(attempts()).toBe(2);
    expect(logLines).toEqual(['POST /runs → 429; retry 1 of 2 in 0 ms']);
  });

  it('honours Retry-After over its own backoff', async () => {
    server.plan([apiError(429, 'rate_limit_exceeded', { 'retry-after': '1', 'ratelimit-reset': '30' })]);
    await expect(client().get('/server-runs')).resolves.toEqual({ ok: true });
    expect(logLines).toEqual(['GET /server-runs → 429; retry 1 of 2 in 1000 ms']);
  });

  it('gives up at once with RateLimitError when asked to wait longer than it retries for', async () => {
    server.plan([apiError(429, 'rate_limit_exceeded', { 'retry-after': '120' })]);
    const error = (await client().get('/server-runs').catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(attempts()).toBe(1);
  });

  it('reports the last 429 with all its details when retries run out', async () => {
    server.plan([], apiError(429, 'rate_limit_exceeded', { 'ratelimit-reset': '0' }));
    const error = (await client({ maxRetries: 1 }).get('/server-runs').catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', requestId: 'req_429', hint: 'Do something else.', retryAfterMs: 0 });
    expect(attempts()).toBe(2);
  });

  it('uses exponential backoff with jitter when the server names no wait', async () => {
    server.plan([apiError(500, 'internal_server_error'), apiError(500, 'internal_server_error')]);
    await client({ retryDelays: { initialMs: 40, maxMs: 1_000 } }).get('/server-runs');
    const delays = logLines.map((line) => Number(/in (\d+) ms/.exec(line)?.[1]));
    expect(delays[0]).toBeGreaterThanOrEqual(30);
    expect(delays[0]).toBeLessThanOrEqual(40);
    expect(delays[1]).toBeGreaterThanOrEqual(60);
    expect(delays[1]).toBeLessThanOrEqual(80);
  });
});

describe('typed errors', () => {
  it.each([
    [400, 'bad_request', BadRequestError],
    [401, 'unauthorized', AuthenticationError],
    [403, 'forbidden', PermissionDeniedError],
    [404, 'not_found', NotFoundError],
    [409, 'conflict', ConflictError],
    [500, 'internal_server_error', InternalServerError],
  ] as const)('%i is a %s error carrying status, code, message, hint, request id and body', async (status, code, ErrorClass) => {
    server.plan([], apiError(status, code));
    const error = (await client({ maxRetries: 0 }).get('/runs/{run_id}', { params: { path: { run_id: 'run_1' } } }).catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status, code, hint: 'Do something else.', requestId: `req_${status}`, operation: 'GET /runs/{run_id}' });
    expect(error.body).toMatchObject({ object: 'error', code });
    expect(error.message).toBe(`GET /runs/{run_id} failed with ${status}: ${code}: A ${code} error. Hint: Do something else. (request req_${status})`);
  });

  it('an HTML error page is an error that says so, with the page as its body', async () => {
    server.plan([], { kind: 'answer', status: 502, headers: { 'content-type': 'text/html' }, body: '<!doctype html><h1>Bad gateway</h1>' });
    const error = (await client({ maxRetries: 0 }).get('/server-runs').catch((e: unknown) => e)) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toMatch(/502: answered with an HTML page/);
    expect(error.body).toContain('Bad gateway');
  });

  it('an error status with an empty body still gets its class', async () => {
    server.plan([], { kind: 'answer', status: 404 });
    const error = (await client().get('/server-runs').catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(/404: answered with an empty body/);
  });

  it('a 200 with malformed JSON is a MalformedResponseError, not a SyntaxError', async () => {
    server.plan([], { kind: 'answer', status: 200, headers: { 'content-type': 'application/json' }, body: '{"object": "list", ' });
    const error = await client().get('/server-runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(attempts()).toBe(1);
  });

  it('a 200 with an empty body is a MalformedResponseError', async () => {
    server.plan([], { kind: 'answer', status: 200, headers: { 'content-type': 'application/json' } });
    await expect(client().get('/server-runs')).rejects.toThrow(/answered 200 with an empty body/);
  });

  it('the result style returns the typed error instead of throwing', async () => {
    server.plan([], apiError(404, 'not_found'));
    const { data, error, response } = await client().GET('/server-runs/{server_run_id}', { params: { path: { server_run_id: 'x' } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ code: 'not_found' });
  });
});

describe('cancellation', () => {
  it("rejects with AbortedError when the caller's signal fires mid-request, without retrying", async () => {
    server.plan([], { kind: 'stall', ms: 2_000 });
    const controller = new AbortController();
    const pending = client().get('/server-runs', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(attempts()).toBe(1);
  });

  it('rejects with AbortedError when the signal fires during the wait before a retry', async () => {
    server.plan([apiError(429, 'rate_limit_exceeded', { 'retry-after': '1' })]);
    const controller = new AbortController();
    const pending = client().get('/server-runs', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(attempts()).toBe(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    server.plan([]);
    await expect(client().get('/server-runs', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    expect(attempts()).toBe(0);
  });
});

describe('headers', () => {
  it('sends the bearer key, the API version and a User-Agent naming the package and version', async () => {
    server.plan([]);
    await client({ metorialVersion: '2026-01-01-magnetar' }).get('/server-runs');
    const { headers } = server.requests[0]!;
    expect(headers.authorization).toBe(`Bearer ${key}`);
    expect(headers['metorial-version']).toBe('2026-01-01-magnetar');
    expect(headers['user-agent']).toBe(`metorial-api-client/${spec.info.version} (node v${process.versions.node}; ${process.platform} ${process.arch})`);
  });

  it.for(['Deno/2.9.6', 'Bun/1.4.5', 'Cloudflare-Workers'])('names %s, not the Node it emulates, where the runtime says it is one', async (agent) => {
    vi.stubGlobal('navigator', { userAgent: agent });
    try {
      server.plan([]);
      await client().get('/server-runs');
      expect(server.requests.at(-1)!.headers['user-agent']).toBe(`metorial-api-client/${spec.info.version} (${agent})`);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('leaves the User-Agent to the browser where the runtime is one, which forbids setting it', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36' });
    try {
      server.plan([]);
      await client().get('/server-runs');
      // Node's fetch then sends its own, as a browser would send the browser's.
      expect(server.requests[0]!.headers['user-agent']).not.toContain('metorial-api-client');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
