import type { FetchResponse, MaybeOptionalInit } from 'openapi-fetch';
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import type { MetorialResources } from '../generated/resources.d.ts';
import type { paths } from '../generated/schema.d.ts';
import { checkApiKey, checkBaseUrl } from './api-key.ts';
import { checkedFetch, type CustomFetch } from './custom-fetch.ts';
import { readEnvironment } from './environment.ts';
import { errorFromResponse } from './error-from-response.ts';
import { MalformedResponseError, MetorialConfigurationError } from './errors.ts';
import { type Page, Paginator } from './pagination.ts';
import { redactError, redactValue, Secrets } from './redact.ts';
import { serializeQuery } from './query-string.ts';
import { buildRequest, type BuiltRequest, type ExchangeInit, readAnswer } from './exchange.ts';
import { checkHeaders, checkPathParameters, checkQuery, refused } from './request-checks.ts';
import type { ResponseValidation } from './response-validation-option.ts';
import { defaultRetryDelays, type RetryDelays } from './retry-policy.ts';
import type { RequestOptions } from './request-options.ts';
import { defineResources } from './resources.ts';
import { listPromise } from './list-promise.ts';
import { type CallSite, callWithRetries, operationName, type RetrySettings } from './transport.ts';
import { packageName, userAgent } from './version.ts';

export const defaultBaseUrl = 'https://api.metorial.com';
export type { RequestOptions };

export interface MetorialClientOptions {
  /** A secret key, `metorial_sk_...`. Defaults to the METORIAL_API_KEY environment variable. */
  apiKey?: string | undefined;
  /**
   * Defaults to the METORIAL_BASE_URL environment variable, else the production API. Point it at the
   * mock with `http://127.0.0.1:4010`.
   */
  baseUrl?: string;
  /** An API version such as `2026-01-01-magnetar`, sent as `Metorial-Version`. */
  metorialVersion?: string;
  /** How long one attempt may take, answer included, in milliseconds. Default 60 000. */
  timeout?: number;
  /** How many times a failed request may be retried. Default 2. */
  maxRetries?: number;
  /** The backoff between retries. Default: from 500 ms, doubling, at most 8 s. */
  retryDelays?: RetryDelays;
  /**
   * Check every answer against the spec and throw ResponseValidationError on a break: pass
   * `responseValidation()` from the package's `/validation` entry point (it brings ajv and the spec,
   * so the main entry does not). Default: no validation.
   */
  validateResponses?: ResponseValidation | false | undefined;
  /** Allow plain http to hosts other than this machine (the key would cross the network unencrypted). */
  allowInsecureHttp?: boolean;
  /** Receives one line per retry decision. Lines never contain the key or request headers. */
  logger?: (line: string) => void;
  /**
   * A fetch implementation, for tests, proxies or runtimes without a global fetch. It is called like
   * the standard fetch, `(request, { signal })`: pass the signal on, so a timeout or an abort also
   * cancels the request underneath.
   */
  fetch?: CustomFetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

type Json = 'application/json';
type CallArgs<Init> = [RequiredKeysOf<Init>] extends [never] ? [(Init & RequestOptions)?] : [Init & RequestOptions];
type ResultOf<Operation, Init> = Operation extends Record<string | number, any> ? FetchResponse<Operation, Init, Json> : never;
type SuccessData<Operation, Init> = Exclude<ResultOf<Operation, Init>['data'], undefined>;

// How the call signatures stay cheap for the compiler at thousands of operations (bench/RESULTS.md):
// - the helpers below are generic in `Paths` and given `paths` only where used: declared against the
//   concrete `paths`, their bodies would be checked against every path of the API at declaration;
// - the path is inferred as a plain string `P` and checked by a conditional type, so a path that does not
//   exist is an error on the path, and `P` never falls back to the union of every path;
// - the path's operation and options are found by non-distributive conditional types (`[P] extends
//   [...]`): a distributive form computes the options of every path to type one object literal.
/**
 * The path argument: `P` itself when it is a path with an `M` operation, else the union of those paths.
 * `& string` makes a new union without the alias's name, so a wrong path's error lists the paths
 * there are (`not assignable to parameter of type '"/runs" | "/runs/{run_id}" | …'`).
 */
type PathArg<Paths extends {}, P, M extends HttpMethod> = [P] extends [PathsWithMethod<Paths, M>] ? P : PathsWithMethod<Paths, M> & string;
/** The operation object at a path and method, or never. */
type OperationAt<Paths, P, M extends HttpMethod> = [P] extends [keyof Paths] ? ([M] extends [keyof Paths[P]] ? Paths[P][M] : never) : never;
/** The options (`params`, `body`) an operation takes, optional when nothing in them is required. */
type InitOf<Paths, P, M extends HttpMethod> = [P] extends [keyof Paths]
  ? [M] extends [keyof Paths[P]]
    ? MaybeOptionalInit<Paths[P], M>
    : never
  : never;

type ResultMethodOf<Paths extends {}, M extends HttpMethod> = <P extends string>(
  path: PathArg<Paths, P, M>,
  ...init: CallArgs<InitOf<Paths, P, M>>
) => Promise<ResultOf<OperationAt<Paths, P, M>, {}>>;

/** `Empty` is what a call resolves when a 2xx has no body (undefined for DELETE, else nothing). */
type ThrowingMethodOf<Paths extends {}, M extends HttpMethod, Empty = never> = <P extends string>(
  path: PathArg<Paths, P, M>,
  ...init: CallArgs<InitOf<Paths, P, M>>
) => Promise<SuccessData<OperationAt<Paths, P, M>, {}> | Empty>;

/**
 * openapi-fetch's style: resolves `{ data, error, response }` for every HTTP answer. The options are
 * not a type parameter (as in openapi-fetch) so that an unknown body field is an excess-property error.
 */
export type ResultMethod<M extends HttpMethod> = ResultMethodOf<paths, M>;

/** The throwing style: resolves the typed body of a 2xx, rejects with a MetorialError otherwise. */
export type ThrowingMethod<M extends HttpMethod> = ThrowingMethodOf<paths, M>;

/**
 * The throwing `delete`: the deleted object, or undefined when the server answered 204 or an empty
 * 200/202 (the delete happened; the body the spec documents was left out).
 */
export type ThrowingDeleteMethod = ThrowingMethodOf<paths, 'delete', undefined>;

/** The JSON body of a path's GET 200 answer, or never. */
type OkJsonBody<Paths, P> = OperationAt<Paths, P, 'get'> extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** A list envelope: the items, each with an id, and the pagination block. */
type ListEnvelope = { items: Array<{ id: string }>; pagination: Page<unknown & { id: string }>['pagination'] };
/** The GET paths of `Paths` that answer a list envelope. */
type ListPathOf<Paths extends {}> = {
  [P in keyof Paths]: Paths[P] extends { get: { responses: { 200: { content: { 'application/json': ListEnvelope } } } } } ? P : never;
}[keyof Paths];
/** `paginate`'s path argument: `P` when it answers a list, else the union of list paths (computed only for the error). */
type ListPathArg<Paths extends {}, P> = OkJsonBody<Paths, P> extends ListEnvelope ? P : ListPathOf<Paths> & string;
/** The item type of a path's list, or never. */
type ItemOf<Paths, P> = OkJsonBody<Paths, P> extends { items: Array<infer Item extends { id: string }> } ? Item : never;

type PaginateMethodOf<Paths extends {}> = <P extends string>(
  path: ListPathArg<Paths, P>,
  ...init: CallArgs<InitOf<Paths, P, 'get'>>
) => Paginator<ItemOf<Paths, P>>;

/** The GET paths that answer a list envelope. */
export type ListPath = ListPathOf<paths>;
/** The item type of a list path: `ListItem<'/provider-runs'>` is `ProviderRun`. */
export type ListItem<P extends ListPath> = ItemOf<paths, P>;

/**
 * The client: a method per operation on its resource (`metorial.runs.get(runId)`, generated from the
 * spec, with its documentation), and the path-string calls of openapi-fetch's style
 * (`metorial.get('/runs/{run_id}', …)`). Both make the same request through the same core.
 */
export interface MetorialClient extends MetorialResources {
  get: ThrowingMethod<'get'>;
  post: ThrowingMethod<'post'>;
  patch: ThrowingMethod<'patch'>;
  delete: ThrowingDeleteMethod;
  GET: ResultMethod<'get'>;
  POST: ResultMethod<'post'>;
  PATCH: ResultMethod<'patch'>;
  DELETE: ResultMethod<'delete'>;
  /** Every item of a list operation, fetching pages as you iterate: `for await (const run of client.paginate('/runs'))`. */
  paginate: PaginateMethodOf<paths>;
}

/**
 * openapi-fetch's per-call options that this client does not take: it builds and reads every request
 * itself (spec/DECISIONS.md SDK10), and a per-call base URL or fetch would skip createClient's checks.
 */
const clientOnlyOptions = ['baseUrl', 'fetch', 'parseAs', 'querySerializer', 'bodySerializer', 'pathSerializer', 'middleware'];

/** The longest delay setTimeout takes (2^31 − 1 ms, about 24.8 days); a longer one fires at once, with a TimeoutOverflowWarning in Node. */
const maxTimerMs = 2_147_483_647;

function checkCount(name: string, value: number | undefined, min: number, max = maxTimerMs, whole = false): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (whole && !Number.isInteger(value))) {
    throw new MetorialConfigurationError(`${name} must be a ${whole ? 'whole ' : ''}number of at least ${min}, not ${value}.`);
  }
  if (value > max) {
    throw new MetorialConfigurationError(`${name} must be at most ${max} ms, not ${value}.`);
  }
}

function checkTimingOptions(options: { timeout?: number | undefined; maxRetries?: number | undefined }): void {
  checkCount('timeout', options.timeout, 1);
  checkCount('maxRetries', options.maxRetries, 0, Number.POSITIVE_INFINITY, true);
}

function checkResponseValidation(value: unknown): ResponseValidation | undefined {
  if (value === undefined || value === false) return undefined;
  if ((value as Partial<ResponseValidation> | null)?.kind === 'metorial-response-validation') return value as ResponseValidation;
  throw new MetorialConfigurationError(`validateResponses takes responseValidation(), not ${typeof value === 'object' ? 'this object' : String(value)}: import { responseValidation } from '${packageName}/validation'.`);
}

function retrySettings(options: MetorialClientOptions): RetrySettings {
  checkTimingOptions(options);
  if (options.retryDelays) {
    checkCount('retryDelays.initialMs', options.retryDelays.initialMs, 0);
    checkCount('retryDelays.maxMs', options.retryDelays.maxMs, 0);
  }
  return {
    timeoutMs: options.timeout ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    retryDelays: options.retryDelays ?? defaultRetryDelays,
    log: options.logger,
  };
}

/**
 * Building the Request failed (serializing the body, a header fetch refuses, or the Request constructor): a
 * problem of the call, not of the network. The platform's message may quote a header value, so it
 * is kept only when it is about something else.
 */
function requestNotBuilt(site: CallSite, error: unknown): MetorialConfigurationError {
  const message = error instanceof Error ? error.message : String(error);
  return refused(site, `the request could not be built (${/header/i.test(message) ? 'a header name or value that fetch refuses' : message})`);
}

interface PageShape {
  items?: unknown;
  pagination?: { has_more_after?: unknown };
}

/** Why a body is not a list envelope (`{ items: [{ id }], pagination: { has_more_after } }`), or undefined. */
function listShapeProblem(data: unknown): string | undefined {
  const page = data as PageShape;
  if (!Array.isArray(page.items)) return 'has no items array';
  if (!page.pagination || typeof page.pagination !== 'object' || typeof page.pagination.has_more_after !== 'boolean') {
    return 'has no pagination.has_more_after';
  }
  if (!page.items.every((item) => item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string')) {
    return 'has an item without a string id';
  }
  return undefined;
}

const describeJson = (data: unknown) => (data === null ? 'JSON null' : Array.isArray(data) ? 'a JSON array' : `a JSON ${typeof data}`);

/** Why a 2xx body is not what the throwing style resolves (a JSON object; for `paginate`, a list envelope), or undefined. */
function successBodyProblem(data: unknown, expectList: boolean): string | undefined {
  if (data === undefined) return 'an empty body';
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return `${describeJson(data)}, not the object the operation returns`;
  const listProblem = expectList ? listShapeProblem(data) : undefined;
  return listProblem && `a body that is not a list: it ${listProblem}`;
}

export function createClient(options: MetorialClientOptions = {}): MetorialClient {
  // The environment is read only for what the caller left out (see readEnvironment).
  const apiKey = checkApiKey(options.apiKey ?? readEnvironment('METORIAL_API_KEY', 'apiKey'));
  const baseUrlFromEnv = options.baseUrl === undefined ? readEnvironment('METORIAL_BASE_URL', 'baseUrl') : undefined;
  // An empty METORIAL_BASE_URL counts as unset; a message about the variable's value names the variable.
  const baseUrl = checkBaseUrl(baseUrlFromEnv || (options.baseUrl ?? defaultBaseUrl), options.allowInsecureHttp ?? false, baseUrlFromEnv ? 'METORIAL_BASE_URL' : undefined);
  const settings = retrySettings(options);
  checkHeaders(options.headers, 'createClient({ headers })');
  if (options.metorialVersion !== undefined) checkHeaders({ 'Metorial-Version': options.metorialVersion }, 'metorialVersion');
  const validation = checkResponseValidation(options.validateResponses);
  const agent = userAgent();
  const baseHeaders: Record<string, string> = {
    ...options.headers,
    // Browsers set their own and forbid scripts to (it would also need a CORS preflight allowance).
    ...(agent ? { 'User-Agent': agent } : {}),
    Authorization: `Bearer ${apiKey}`,
    ...(options.metorialVersion ? { 'Metorial-Version': options.metorialVersion } : {}),
  };
  const customFetch = options.fetch && checkedFetch(options.fetch);
  // Every secret the client sends, however it was given, is kept out of what it hands back.
  const clientSecrets = new Secrets([apiKey]).withHeaders(options.headers);

  /** Rejects, before anything is sent, a call whose path, query or headers cannot make the request it names. */
  function checkCall(site: CallSite, init: Record<string, unknown> & RequestOptions): void {
    // Fetch refuses it (Fetch standard, Request constructor step 34); the platform's fetch would say so
    // only as it sends, where a refusal looks like a network failure.
    if (site.method === 'get' && init.body !== undefined) throw refused(site, 'a GET has no body: pass params.query');
    checkTimingOptions(init);
    const clientOnly = clientOnlyOptions.find((name) => init[name] !== undefined);
    if (clientOnly) throw refused(site, `${clientOnly} is not a per-call option: ${clientOnly === 'fetch' || clientOnly === 'baseUrl' ? 'give it to createClient' : 'the client sends and reads JSON itself'}`);
    const params = init.params as { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> } | undefined;
    checkPathParameters(site, params?.path);
    checkQuery(site, params?.query);
    checkHeaders(init.headers, 'the call\'s headers', site);
    checkHeaders(params?.header, 'params.header', site);
  }

  /** The secrets one call sends: the client's, and those of its own headers (a per-call Authorization, say). */
  const secretsOf = (init: (Record<string, unknown> & RequestOptions) | undefined): Secrets =>
    init?.headers || init?.params ? clientSecrets.withHeaders(init.headers, (init.params as { header?: Record<string, unknown> } | undefined)?.header) : clientSecrets;
  const redactFailure = (secrets: Secrets) => (error: unknown): never => {
    throw redactError(error, secrets);
  };

  /**
   * One call, retried as a whole (request built, sent, and its body read) under the timeout. Its
   * result and errors are as they came: each call style redacts what it hands back, once.
   */
  function attemptCall(method: HttpMethod, path: string, init: Record<string, unknown> & RequestOptions = {}) {
    const site: CallSite = { method, path };
    try {
      checkCall(site, init);
    } catch (error) {
      return Promise.reject(error);
    }
    const { timeout, maxRetries, signal, ...fetchInit } = init;
    const operation = operationName(site);
    // The platform's fetch is given the URL and init, not a Request: it builds a Request from its
    // arguments in any case and copies one it is given (Fetch standard, "fetch" step 2), so a Request
    // made here would be two per call, each with its own AbortSignal (bench/RESULTS.md). A custom
    // fetch is promised a Request. The attempt's signal goes beside either, for the same reason.
    const attempt = ({ signal }: { readonly signal: AbortSignal }) => {
      let built: BuiltRequest;
      let request: Request | undefined;
      try {
        built = buildRequest(baseUrl, baseHeaders, serializeQuery, method, path, fetchInit as ExchangeInit);
        if (customFetch) request = new Request(built.url, built.init);
      } catch (error) {
        return Promise.reject(requestNotBuilt(site, error));
      }
      const answer = request && customFetch ? customFetch(request, { signal }, operation) : globalThis.fetch(built.url, { ...built.init, signal });
      return answer.then(async (response) => {
        if (validation) await validation.check(built.init.method, path, response);
        return readAnswer(response, built.init.method);
      });
    };
    return callWithRetries(attempt, {
      timeoutMs: timeout ?? settings.timeoutMs,
      maxRetries: maxRetries ?? settings.maxRetries,
      retryDelays: settings.retryDelays,
      log: settings.log,
      method,
      path,
      signal,
    });
  }

  /**
   * The throwing style: the body of a 2xx, checked to be a JSON object (and, for `paginate`, a list
   * envelope), else the error. A DELETE answered 204 or an empty 200/202 resolves undefined: the
   * object is gone, and rejecting would make a caller retry into a 404.
   */
  function callOrThrow(method: HttpMethod, path: string, init?: Record<string, unknown> & RequestOptions, expectList = false) {
    return attemptCall(method, path, init)
      .then(({ data, error, response }) => successBody(method, path, data, error, response, expectList))
      .catch(redactFailure(secretsOf(init)));
  }

  /** The body a 2xx resolves to in the throwing style; throws the error otherwise (callOrThrow redacts it). */
  function successBody(method: HttpMethod, path: string, data: unknown, error: unknown, response: Response, expectList: boolean) {
    if (!response.ok) throw errorFromResponse(operationName({ method, path }), response, error);
    if (data === undefined && method === 'delete' && [200, 202, 204].includes(response.status)) return undefined;
    const problem = successBodyProblem(data, expectList);
    if (problem === undefined) return data;
    const operation = operationName({ method, path });
    const failure = new MalformedResponseError(`${operation} answered ${response.status} with ${problem}.`, {
      operation,
      status: response.status,
      requestId: response.headers.get('metorial-req-id') ?? undefined,
      body: data,
    });
    throw failure;
  }

  const resultMethod = (method: HttpMethod) => (path: string, init?: Record<string, unknown>) => {
    const secrets = secretsOf(init);
    return attemptCall(method, path, init).then(
      (result) => (result.response.ok ? result : { ...result, error: redactValue(result.error, secrets) }),
      redactFailure(secrets),
    );
  };
  const throwingMethod = (method: HttpMethod) => (path: string, init?: Record<string, unknown>) => callOrThrow(method, path, init);

  /** Fetches the page of a list after an item id (the first page for undefined), with the call's own query but for its cursors. */
  const pageFetcher = (path: string, init: { params?: { query?: Record<string, unknown> } } & Record<string, unknown> = {}) => (after: string | undefined) => {
    const { after: _ignored, before: _before, cursor: _cursor, ...query } = init.params?.query ?? {};
    const params = { ...init.params, query: after === undefined ? init.params?.query : { ...query, after } };
    return callOrThrow('get', path, { ...init, params }, true) as unknown as Promise<Page<{ id: string }>>;
  };

  const client = {
    get: throwingMethod('get'),
    post: throwingMethod('post'),
    patch: throwingMethod('patch'),
    delete: throwingMethod('delete'),
    GET: resultMethod('get'),
    POST: resultMethod('post'),
    PATCH: resultMethod('patch'),
    DELETE: resultMethod('delete'),
    paginate: (path: string, init?: Record<string, unknown>) => new Paginator(pageFetcher(path, init), `GET ${path}`),
  };
  // The implementation is untyped by path; the MetorialClient signatures carry the types.
  return defineResources(client, { call: callOrThrow, list: (path, init) => listPromise(pageFetcher(path, init), `GET ${path}`) }) as unknown as MetorialClient;
}
