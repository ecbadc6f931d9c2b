import { createFinalURL, defaultBodySerializer, mergeHeaders } from 'openapi-fetch';

/**
 * One HTTP exchange of a call, built and read with openapi-fetch's own helpers (the URL, the path
 * parameters, the headers and the JSON body), with our loop in place of its createClient: that
 * loop's middleware chain and per-request serializer options are things this client never uses, and
 * they were a tenth of the browser bundle of one call (spec/DECISIONS.md SDK10).
 */

/** What one call resolves in openapi-fetch's style: `data` for a 2xx, `error` otherwise, and the response. */
export interface ExchangeResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** A request ready to send: the URL with its path parameters and query, and the init fetch takes. */
export interface BuiltRequest {
  url: string;
  init: RequestInit & { method: string; headers: Headers };
}

/**
 * What a call gives beside its path: openapi-fetch's `params` and `body`, the call's own headers,
 * and any other RequestInit member (`cache`, `credentials`, `keepalive`, …), passed to fetch as given.
 */
export interface ExchangeInit extends Omit<RequestInit, 'body' | 'headers'> {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Fills each `{name}` of a path template with its value, percent-encoded (OpenAPI 3.1 §4.8.12.4,
 * style `simple` of a string or number: the only values the client's checks let through). Our own
 * rather than openapi-fetch's defaultPathSerializer, which also serializes arrays, objects and RFC
 * 6570 forms (`{.name}`, `{;name*}`) that an OpenAPI path template has no use for, at a fifth of the
 * bundle's growth over bare openapi-fetch. A name without a value is left as it is, as there.
 */
export function fillPathTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([^{}]+)\}/g, (match, name: string) => (values[name] == null ? match : encodeURIComponent(values[name] as string | number)));
}

/**
 * Builds the request openapi-fetch's createClient would: `{baseUrl}{path}` with the path parameters
 * filled in (fillPathTemplate), the query serialized by `serializeQuery`, the headers merged (client's,
 * call's, then `params.header`; a later one wins; `null` removes one), a JSON body with
 * `Content-Type: application/json` unless the headers set another.
 * @throws TypeError when a header name or value is one fetch refuses, or the body cannot be serialized.
 */
export function buildRequest(
  baseUrl: string,
  baseHeaders: Record<string, string>,
  serializeQuery: (query: Record<string, unknown>) => string,
  method: string,
  path: string,
  { params = {}, body, headers, ...requestInit }: ExchangeInit,
): BuiltRequest {
  const serializedBody = body === undefined ? null : defaultBodySerializer(body);
  return {
    url: createFinalURL(path, { baseUrl, params, querySerializer: serializeQuery, pathSerializer: fillPathTemplate }),
    init: {
      redirect: 'follow',
      ...requestInit,
      method: method.toUpperCase(),
      body: serializedBody,
      headers: mergeHeaders(serializedBody === null ? {} : { 'Content-Type': 'application/json' }, baseHeaders, headers, params.header as never),
    },
  };
}

/**
 * Reads an answer as openapi-fetch does: no body (204, HEAD, or `Content-Length: 0` not chunked) is
 * `undefined`; a 2xx body is parsed as JSON (empty text is `undefined`); any other body is parsed as
 * JSON when it is JSON, else kept as text.
 * @throws SyntaxError when a 2xx body is not JSON.
 */
export async function readAnswer(response: Response, method: string): Promise<ExchangeResult> {
  const contentLength = response.headers.get('Content-Length');
  if (response.status === 204 || method === 'HEAD' || (contentLength === '0' && !response.headers.get('Transfer-Encoding')?.includes('chunked'))) {
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  }
  const text = await response.text();
  if (response.ok) return { data: text ? JSON.parse(text) : undefined, response };
  try {
    return { error: JSON.parse(text), response };
  } catch {
    return { error: text, response };
  }
}
