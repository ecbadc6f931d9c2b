import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  createClient,
  InternalServerError,
  MetorialConfigurationError,
  type MetorialClientOptions,
  type MetorialError,
} from '../../src/index.ts';
import { everythingShown, FaultServer, json } from '../support/fault-server.ts';

/**
 * Issue 22, the client: a base URL that the client would misuse (a query, a fragment, credentials),
 * every secret a call sends kept out of what it hands back, a custom fetch whose answer cannot be
 * read, and query values a query string cannot hold. Each against a real local server that records
 * what reached it.
 */
const key = 'metorial_sk_INPUTSsecret123';
let server: FaultServer;
let logLines: string[];

function client(options: Partial<MetorialClientOptions> = {}) {
  return createClient({ apiKey: key, baseUrl: server.url, retryDelays: { initialMs: 20, maxMs: 200 }, logger: (line) => logLines.push(line), ...options });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as MetorialError,
  );

function thrownBy(make: () => unknown): MetorialError {
  try {
    make();
  } catch (error) {
    return error as MetorialError;
  }
  throw new Error('expected it to throw');
}

beforeAll(async () => {
  server = await FaultServer.start();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  logLines = [];
  server.plan([]);
});

describe('1. a base URL with a query or a fragment is refused, not misused', () => {
  it.each([
    ['a query', '/v1?tenant=acme', 'query string'],
    ['a query after a trailing slash', '/v1/?tenant=acme', 'query string'],
    ['an empty query', '/v1?', 'query string'],
    ['a query and no path', '?tenant=acme', 'query string'],
    ['a fragment', '/v1#frag', 'fragment'],
    ['an empty fragment', '/v1#', 'fragment'],
  ])('refuses %s when the client is made, without repeating it', (_, suffix, says) => {
    const error = thrownBy(() => client({ baseUrl: `${server.url}${suffix}` }));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message).toContain(says);
    expect(error.message).toMatch(/^baseUrl http:\/\/127\.0\.0\.1:\d+(\/v1\/?)? has/);
    expect(everythingShown(error)).not.toContain('acme');
  });

  it('refuses the same in METORIAL_BASE_URL, naming the variable', () => {
    const before = process.env.METORIAL_BASE_URL;
    process.env.METORIAL_BASE_URL = `${server.url}/v1?tenant=acme`;
    try {
      const error = thrownBy(() => createClient({ apiKey: key }));
      expect(error).toBeInstanceOf(MetorialConfigurationError);
      expect(error.message).toMatch(/^METORIAL_BASE_URL .* has a query string/);
    } finally {
      if (before === undefined) delete process.env.METORIAL_BASE_URL;
      else process.env.METORIAL_BASE_URL = before;
    }
  });

  it.each([
    ['/v1', '/v1/runs'],
    ['/v1/', '/v1/runs'],
    ['/v1//', '/v1/runs'],
    ['/', '/runs'],
    ['/a/../v1', '/v1/runs'],
  ])('appends the path to a base URL whose path is %j', async (basePath, sent) => {
    server.plan([], json(200, { object: 'list', items: [], pagination: { has_more_after: false, has_more_before: false } }));
    await client({ baseUrl: `${server.url}${basePath}` }).get('/runs');
    expect(server.requests.map((request) => request.url)).toEqual([sent]);
  });
});

describe('2. credentials in the base URL are refused at once and never shown', () => {
  const port = () => new URL(server.url).port;
  it.each([
    ['a user and a password', () => `http://deploy:hunter2pass@127.0.0.1:${port()}`],
    ['a user alone (a token as user name)', () => `http://hunter2pass@127.0.0.1:${port()}/v1`],
    ['a password alone', () => `http://:hunter2pass@127.0.0.1:${port()}`],
    ['https credentials', () => 'https://deploy:hunter2pass@api.metorial.com'],
    ['percent-encoded credentials', () => `http://deploy:hunter2%70ass@127.0.0.1:${port()}`],
  ])('refuses %s with a ConfigurationError that shows neither', (_, baseUrl) => {
    const error = thrownBy(() => client({ baseUrl: baseUrl() }));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message).toContain('holds a user name or password');
    expect(everythingShown(error)).not.toMatch(/hunter2|deploy/);
    expect(server.requests).toHaveLength(0);
  });

  it('does not show credentials of a value that is not a URL either', () => {
    const error = thrownBy(() => client({ baseUrl: 'http://deploy:hunter2pass@127.0.0.1:99999' }));
    expect(error.message).toMatch(/is not a URL/);
    expect(everythingShown(error)).not.toMatch(/hunter2|deploy/);
  });

  it('refuses them in METORIAL_BASE_URL too', () => {
    const before = process.env.METORIAL_BASE_URL;
    process.env.METORIAL_BASE_URL = `http://deploy:hunter2pass@127.0.0.1:${port()}`;
    try {
      const error = thrownBy(() => createClient({ apiKey: key }));
      expect(error.message).toMatch(/^METORIAL_BASE_URL .* holds a user name or password/);
      expect(everythingShown(error)).not.toMatch(/hunter2|deploy/);
    } finally {
      if (before === undefined) delete process.env.METORIAL_BASE_URL;
      else process.env.METORIAL_BASE_URL = before;
    }
  });
});

describe('3. every secret a call sends is kept out of its errors, however it was given', () => {
  const other = 'metorial_sk_OTHERsecret456';
  const echo401 = (secret: string) => json(401, { object: 'error', status: 401, code: 'unauthorized', message: `The key ${secret} is revoked.`, hint: `Replace ${secret}.` });

  it('a per-call Authorization header quoted by a 401: message, stack, JSON, inspect', async () => {
    server.plan([], echo401(other));
    const error = await failure(client().get('/server-runs', { headers: { Authorization: `Bearer ${other}` } }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${other}`);
    expect(everythingShown(error)).not.toContain('OTHERsecret456');
    expect(error.message).toContain('The key [redacted API key] is revoked.');
  });

  it("and in GET()'s result.error", async () => {
    server.plan([], echo401(other));
    const { error } = await client().GET('/server-runs', { headers: { Authorization: `Bearer ${other}` } });
    expect(JSON.stringify(error)).not.toContain('OTHERsecret456');
  });

  it.each([
    ['a per-call bearer token of another kind', { headers: { Authorization: 'Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a' } }, 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['a per-call X-Api-Key', { headers: { 'X-Api-Key': 'tok_livePerCall9981' } }, 'tok_livePerCall9981'],
    ['a per-call cookie', { headers: { Cookie: 'theme=dark; session=sessSecret77aa' } }, 'sessSecret77aa'],
    ['a Basic credential', { headers: { Authorization: 'Basic ZGVwbG95Omh1bnRlcjJwYXNz' } }, 'ZGVwbG95Omh1bnRlcjJwYXNz'],
    ['params.header', { params: { header: { 'X-Auth-Token': 'tok_fromParamsHeader42' } } }, 'tok_fromParamsHeader42'],
  ])('%s quoted in a 500 page and a JSON error', async (_, init, secret) => {
    server.plan(
      [],
      { kind: 'answer', status: 500, headers: { 'content-type': 'text/html' }, body: `<pre>headers: ${secret}</pre>` },
    );
    const page = await failure(client({ maxRetries: 0 }).get('/server-runs', init as never));
    expect(page).toBeInstanceOf(InternalServerError);
    expect(everythingShown(page)).not.toContain(secret);
    server.plan([], json(403, { object: 'error', status: 403, code: 'forbidden', message: `No access for ${secret}`, hint: secret }));
    const forbidden = await failure(client().get('/server-runs', init as never));
    expect(everythingShown(forbidden)).not.toContain(secret);
    const { error } = await client().GET('/server-runs', init as never);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it('a client-wide credential header', async () => {
    server.plan([], json(403, { object: 'error', status: 403, code: 'forbidden', message: 'Proxy said: tok_clientWide12345 refused' }));
    const error = await failure(client({ headers: { 'Proxy-Authorization': 'Bearer tok_clientWide12345' } }).get('/server-runs'));
    expect(everythingShown(error)).not.toContain('tok_clientWide12345');
  });

  it('a custom fetch whose failure quotes the request headers', async () => {
    const leaky = client({
      maxRetries: 0,
      fetch: async (request) => {
        throw new Error(`proxy refused ${request.headers.get('authorization')} and ${request.headers.get('x-api-key')}`);
      },
    });
    const error = await failure(leaky.get('/server-runs', { headers: { Authorization: `Bearer ${other}`, 'X-Api-Key': 'tok_livePerCall9981' } }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(everythingShown(error)).not.toContain('OTHERsecret456');
    expect(everythingShown(error)).not.toContain('tok_livePerCall9981');
  });

  it('keeps the rest of the message readable', async () => {
    server.plan([], json(403, { object: 'error', status: 403, code: 'forbidden', message: 'The session sess_1 may not read runs.' }));
    const error = await failure(client({ headers: { 'X-Session-Token': 'ab' } }).get('/server-runs'));
    expect(error.message).toBe('GET /server-runs failed with 403: forbidden: The session sess_1 may not read runs. (request req_403)');
  });
});

describe('4. a custom fetch whose answer cannot be read is a configuration error, sent once', () => {
  const listBody = { object: 'list', items: [], pagination: { has_more_after: false, has_more_before: false } };

  it.each([
    ['undefined', async () => undefined, 'resolved undefined'],
    ['null', async () => null, 'resolved null'],
    ['a string', async () => 'ok', 'resolved a string'],
    ['a plain object', async () => ({ status: 200, ok: true }), 'resolved an object that is not a Response'],
  ])('resolving %s', async (_, fetch, says) => {
    const error = await failure(client({ fetch: fetch as never }).get('/runs'));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message).toContain(`GET /runs: the custom fetch given to createClient ${says}`);
    expect(logLines, 'not retried').toEqual([]);
  });

  it.each([
    ['reads the body', async (response: Response) => void (await response.text())],
    ['reads it as JSON', async (response: Response) => void (await response.json())],
    ['holds a reader on it', async (response: Response) => void response.body!.getReader()],
  ])('a logging wrapper that %s: the server answers once, the error says to read a clone', async (_, log) => {
    server.plan([], json(200, listBody));
    const wrapper = async (request: Request, init: { signal: AbortSignal }) => {
      const response = await fetch(request, init);
      await log(response);
      return response;
    };
    const error = await failure(client({ fetch: wrapper }).get('/runs'));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message).toContain('already read or is being read');
    expect(error.message).toContain('response.clone()');
    expect(server.requests).toHaveLength(1);
    expect(logLines).toEqual([]);
  });

  it('a wrapper that reads a clone works', async () => {
    server.plan([], json(200, listBody));
    const logged: string[] = [];
    const wrapper = async (request: Request, init: { signal: AbortSignal }) => {
      const response = await fetch(request, init);
      logged.push(await response.clone().text());
      return response;
    };
    await expect(client({ fetch: wrapper }).get('/runs')).resolves.toEqual(listBody);
    expect(logged).toEqual([JSON.stringify(listBody)]);
  });

  it('a POST through a wrapper that read the body is not sent again', async () => {
    server.plan([], json(200, { id: 'run_1' }));
    const wrapper = async (request: Request, init: { signal: AbortSignal }) => {
      const response = await fetch(request, init);
      await response.text();
      return response;
    };
    const { error } = await failure(client({ fetch: wrapper }).post('/runs', { body: { agent_id: 'agent_1', content: 'Hi' } })).then((e) => ({ error: e }));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('5. query values a query string cannot hold are refused, naming them', () => {
  const sent = () => decodeURIComponent(new URL(server.requests[0]!.url, server.url).search);

  it.each([
    ['limit NaN', { limit: Number.NaN }, 'query parameter limit is NaN'],
    ['limit Infinity', { limit: Number.POSITIVE_INFINITY }, 'query parameter limit is Infinity'],
    ['an invalid Date', { created_at: { gt: new Date('not a date') } }, 'query parameter created_at[gt] is an invalid Date'],
    ['null in an array', { id: ['run_a', null] }, 'query parameter id[1] is null'],
    ['undefined in an array', { id: ['run_a', undefined] }, 'query parameter id[1] is undefined'],
    ['an empty array', { id: [] }, 'query parameter id is an empty array'],
    ['an empty object', { created_at: {} }, 'query parameter created_at is an empty object'],
    ['an object of undefined only', { created_at: { gt: undefined } }, 'query parameter created_at is an empty object'],
    ['null in a filter object', { created_at: { gt: null } }, 'query parameter created_at[gt] is null'],
    ['an array in an array', { id: [['run_a']] }, 'query parameter id[0] is an array or object'],
    ['an object in a filter object', { created_at: { gt: { at: 1 } } }, 'query parameter created_at[gt] is an array or object'],
    ['a function', { limit: () => 10 }, 'query parameter limit is a function'],
    ['a symbol', { limit: Symbol('x') }, 'query parameter limit is a symbol'],
    ['a Map', { created_at: new Map([['gt', 'x']]) }, 'query parameter created_at is an object (Map)'],
  ])('%s', async (_, query, says) => {
    const error = await failure(client().get('/runs', { params: { query } } as never));
    expect(error).toBeInstanceOf(MetorialConfigurationError);
    expect(error.message.startsWith(`GET /runs: the ${says}`), error.message).toBe(true);
    expect(error.message).toMatch(/Nothing was sent\.$/);
    expect(server.requests).toHaveLength(0);
  });

  it('sends a Date as ISO 8601, in a filter object and alone', async () => {
    await client().get('/runs', { params: { query: { created_at: { gt: new Date(Date.UTC(2025, 0, 1)) }, before: new Date(Date.UTC(2025, 5, 1)) } } } as never);
    expect(sent()).toBe('?created_at[gt]=2025-01-01T00:00:00.000Z&before=2025-06-01T00:00:00.000Z');
  });

  it('leaves out undefined and null parameters and undefined keys, with no empty pairs', async () => {
    await client().get('/runs', { params: { query: { limit: undefined, order: null, created_at: { gt: '2025-01-01T00:00:00Z', lt: undefined }, id: ['run_a', 'run_b'] } } } as never);
    expect(server.requests[0]!.url).toBe('/runs?created_at[gt]=2025-01-01T00%3A00%3A00Z&id=run_a&id=run_b');
  });

  it('encodes keys and values so that none adds a parameter', async () => {
    await client().get('/runs', { params: { query: { created_at: { 'gt]=x&admin': 'y&limit=1' }, 'a=b&c': 'd' } } } as never);
    const search = new URL(server.requests[0]!.url, server.url).searchParams;
    expect([...search.keys()]).toEqual(['created_at[gt]=x&admin]', 'a=b&c']);
    expect(search.get('created_at[gt]=x&admin]')).toBe('y&limit=1');
  });

  it('sends numbers, booleans and bigints as their text', async () => {
    await client().get('/runs', { params: { query: { limit: 10, flag: true, big: 12345678901234567890n } as never } });
    expect(sent()).toBe('?limit=10&flag=true&big=12345678901234567890');
  });
});
