import fc from 'fast-check';
import type { OpenAPI3 } from 'openapi-typescript';
import { arbitraryFor, type Resolve, type Schema } from './schema-arbitrary.ts';

/** The key every test request sends; the mock accepts any well-formed bearer key. */
export const testKey = 'metorial_sk_contract_suite';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema: Schema;
  example?: unknown;
}

export interface DocumentedResponse {
  status: string;
  headers: Record<string, { schema: Schema; required?: boolean }>;
  /** Named examples of the JSON body. */
  examples: string[];
  contentType: string | undefined;
}

export interface Operation {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  parameters: Parameter[];
  body: { schema: Schema; examples: Record<string, unknown> } | undefined;
  responses: DocumentedResponse[];
}

export interface RequestValues {
  path: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
}

/** Follows local `$ref`s of a bundled document. */
export function resolverFor(document: OpenAPI3): Resolve {
  const resolve = (node: unknown): unknown => {
    const ref = (node as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string') return node;
    const target = ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], document);
    if (target === undefined) throw new Error(`Unresolvable $ref ${ref}`);
    return resolve(target);
  };
  return resolve as Resolve;
}

/** Every operation of the document with its parameters, body and responses resolved. */
export function operationsOf(document: OpenAPI3): Operation[] {
  const resolve = resolverFor(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      const operation = (item as Record<string, any>)[method];
      if (!operation) continue;
      const json = operation.requestBody && resolve<any>(operation.requestBody).content['application/json'];
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        parameters: [...((item as any).parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve<Parameter>(p)),
        body: json && {
          schema: json.schema,
          examples: Object.fromEntries(Object.entries(json.examples ?? {}).map(([name, e]) => [name, resolve<any>(e).value])),
        },
        responses: Object.entries(operation.responses).map(([status, response]) => {
          const resolved = resolve<any>(response);
          const contentType = Object.keys(resolved.content ?? {})[0];
          return {
            status,
            headers: Object.fromEntries(Object.entries(resolved.headers ?? {}).map(([name, h]) => [name, resolve<any>(h)])),
            examples: Object.keys(resolved.content?.[contentType ?? '']?.examples ?? {}),
            contentType,
          };
        }),
      });
    }
  }
  return operations;
}

/** `a=1&a=2` for arrays (form, exploded), `f[gt]=x` for objects (deepObject), as the spec's parameters say. */
export function queryString(operation: Operation, query: Record<string, unknown>): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown) => pairs.push(`${name}=${encodeURIComponent(String(value))}`);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === name);
    if (parameter?.style === 'deepObject' && value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) add(`${name}%5B${encodeURIComponent(key)}%5D`, inner);
    } else if (Array.isArray(value)) {
      value.forEach((v) => add(name, v));
    } else {
      add(name, value);
    }
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

export function urlFor(baseUrl: string, operation: Operation, values: RequestValues): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values.path[name] ?? ''));
  return `${baseUrl}${path}${queryString(operation, values.query)}`;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** A body sent as is (malformed JSON, another content type); otherwise `values.body` as JSON. */
  rawBody?: string;
  /** Sends no Authorization header at all. */
  withoutAuthorization?: boolean;
  timeoutMs?: number;
}

/** Sends one request; never hangs (a timeout fails the test that asked). */
export function send(baseUrl: string, operation: Operation, values: RequestValues, options: SendOptions = {}): Promise<Response> {
  const hasBody = options.rawBody !== undefined || values.body !== undefined;
  return fetch(urlFor(baseUrl, operation, values), {
    method: operation.method.toUpperCase(),
    headers: {
      ...(options.withoutAuthorization ? {} : { Authorization: `Bearer ${testKey}` }),
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(hasBody ? { body: options.rawBody ?? JSON.stringify(values.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
  });
}

/** Ids that look like the API's (`run_Rm4…`): URL-safe, never `.` or `..`, which a URL would normalise away. */
const idArbitrary = fc.stringMatching(/^[a-z]{2,4}_[A-Za-z0-9]{1,20}$/);

/** Valid requests for an operation: path ids, any subset of its query parameters, and a body when it takes one. */
export function requestArbitrary(operation: Operation, resolve: Resolve): fc.Arbitrary<RequestValues> {
  const path = Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, idArbitrary]));
  const query = Object.fromEntries(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, arbitraryFor(p.schema, resolve)]));
  return fc.record({
    path: fc.record(path),
    query: fc.record(query, { requiredKeys: operation.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name) }),
    ...(operation.body ? { body: arbitraryFor(operation.body.schema, resolve) } : {}),
  }) as fc.Arbitrary<RequestValues>;
}

/** The request the spec documents: its path examples, no query, and the first named body example. */
export function documentedRequest(operation: Operation): RequestValues {
  return {
    path: Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, String(p.example)])),
    query: {},
    ...(operation.body ? { body: Object.values(operation.body.examples)[0] } : {}),
  };
}
