import fc from 'fast-check';
import createFetchClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { createClient, MetorialConfigurationError } from '../../src/index.ts';
import { buildRequest, readAnswer } from '../../src/exchange.ts';
import { serializeQuery } from '../../src/query-string.ts';

// Issue 25 / spec/DECISIONS.md SDK10: the client builds and reads each exchange with openapi-fetch's
// helpers and its own loop. These check that, for the inputs the client's checks let through, the
// request sent and the result read are what openapi-fetch's createClient makes of the same call.

const baseUrl = 'http://127.0.0.1:9/v1';
const baseHeaders = { Authorization: 'Bearer metorial_sk_exchange_test', 'X-Client': 'a' };

/** What openapi-fetch's createClient sends for a call: the Request its fetch is given, read back. */
async function sentByOpenapiFetch(method: string, path: string, init: Record<string, unknown>) {
  let sent: Request | undefined;
  const client = createFetchClient<any>({
    baseUrl,
    headers: baseHeaders,
    querySerializer: serializeQuery,
    fetch: async (request: Request) => {
      sent = request;
      return new Response(null, { status: 204 });
    },
  });
  await client.request(method as 'get', path, init);
  return sent!;
}

const describeRequest = async (request: Request) => ({
  url: request.url,
  method: request.method,
  headers: [...request.headers],
  body: request.body === null ? null : await request.text(),
});

const segmentValue = fc.oneof(fc.string({ minLength: 1, unit: 'grapheme' }), fc.integer({ min: 0 }));
const queryValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.constantFrom('gt', 'lt', 'gte'), fc.date({ noInvalidDate: true }).map((date) => date.toISOString())),
);

describe('one exchange, built with openapi-fetch helpers by our own loop', () => {
  it('sends the URL, method, headers and body openapi-fetch sends, for any path values, query, body and call headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(['get', '/runs/{run_id}'], ['post', '/sessions/{session_id}/provider-runs'], ['patch', '/a/{x}/b/{y}'], ['delete', '/runs']),
        fc.record({ run_id: segmentValue, session_id: segmentValue, x: segmentValue, y: segmentValue }),
        fc.option(fc.dictionary(fc.string({ minLength: 1 }).filter((name) => !/[[\]]/.test(name)), queryValue, { maxKeys: 4 }), { nil: undefined }),
        fc.option(fc.jsonValue(), { nil: undefined }),
        fc.option(fc.record({ 'X-Client': fc.constantFrom('b', 'c'), 'Metorial-Version': fc.constant('2026-01-01-magnetar') }, { requiredKeys: [] }), { nil: undefined }),
        async ([method, path], pathValues, query, body, headers) => {
          const init = { params: { path: pathValues, ...(query ? { query } : {}) }, ...(method !== 'get' && body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) };
          const built = buildRequest(baseUrl, baseHeaders, serializeQuery, method, path, init);
          const ours = await describeRequest(new Request(built.url, built.init));
          const theirs = await describeRequest(await sentByOpenapiFetch(method, path, structuredClone(init)));
          expect(ours).toEqual(theirs);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads every kind of answer as openapi-fetch does: no body, empty, JSON, an error as JSON or as text', async () => {
    const answers: Array<[string, () => Response]> = [
      ['204', () => new Response(null, { status: 204 })],
      ['200, Content-Length 0', () => new Response('', { status: 200, headers: { 'Content-Length': '0' } })],
      ['200, empty and no length', () => new Response('', { status: 200 })],
      ['200 JSON', () => Response.json({ id: 'run_1', items: [1, 2] })],
      ['202 JSON null', () => new Response('null', { status: 202 })],
      ['404 JSON error', () => Response.json({ status: 404, code: 'not_found' }, { status: 404 })],
      ['502 HTML', () => new Response('<html>Bad gateway</html>', { status: 502 })],
      ['500 empty', () => new Response('', { status: 500, headers: { 'Content-Length': '0' } })],
    ];
    for (const [name, answer] of answers) {
      const client = createFetchClient<any>({ baseUrl, fetch: async () => answer() });
      const { data, error } = await client.request('get', '/runs', {});
      const ours = await readAnswer(answer(), 'GET');
      expect({ data: ours.data, error: ours.error }, name).toEqual({ data, error });
    }
  });

  it('passes other RequestInit members (cache, keepalive) on to fetch, as openapi-fetch did', async () => {
    let sent: Request | undefined;
    const client = createClient({ apiKey: 'metorial_sk_exchange_test', baseUrl, fetch: async (request) => ((sent = request), Response.json({ id: 'run_1' })) });
    await client.get('/runs/{run_id}', { params: { path: { run_id: 'run_1' } }, cache: 'no-store', keepalive: true } as never);
    expect(sent!.cache).toBe('no-store');
    expect(sent!.keepalive).toBe(true);
  });

  it.each(['baseUrl', 'fetch', 'parseAs', 'querySerializer', 'bodySerializer', 'pathSerializer', 'middleware'])(
    'refuses openapi-fetch\'s per-call option %s, before sending, with what to do instead',
    async (option) => {
      let sent = 0;
      const client = createClient({ apiKey: 'metorial_sk_exchange_test', baseUrl, fetch: async () => (sent++, Response.json({ items: [] })) });
      const error = await client.get('/runs', { [option]: option === 'parseAs' ? 'text' : 'http://elsewhere.example' } as never).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(MetorialConfigurationError);
      expect((error as Error).message).toMatch(new RegExp(`^GET /runs: ${option} is not a per-call option: .+\\. Nothing was sent\\.$`));
      expect(sent).toBe(0);
    },
  );
});
