import type { OpenAPI3 } from 'openapi-typescript';
import type { SchemaNode } from './schema-node.ts';

/** The key sent when none is given; the mock accepts any well-formed bearer key. */
export const mockKey = 'metorial_sk_contract_suite';

export type Schema = SchemaNode;

export type Resolve = <T>(node: T | { $ref: string }) => T;

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
  apiKey?: string;
  timeoutMs?: number;
  /** Aborts the request early (an interrupted run), beside the timeout. */
  signal?: AbortSignal;
}

/** Sends one request; never hangs (it times out instead). */
export function send(baseUrl: string, operation: Operation, values: RequestValues, options: SendOptions = {}): Promise<Response> {
  const hasBody = options.rawBody !== undefined || values.body !== undefined;
  return fetch(urlFor(baseUrl, operation, values), {
    method: operation.method.toUpperCase(),
    headers: {
      ...(options.withoutAuthorization ? {} : { Authorization: `Bearer ${options.apiKey ?? mockKey}` }),
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(hasBody ? { body: options.rawBody ?? JSON.stringify(values.body) } : {}),
    signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 5_000)]) : AbortSignal.timeout(options.timeoutMs ?? 5_000),
  });
}

/** The request the spec documents: its path examples, no query, and the first named body example. */
export function documentedRequest(operation: Operation): RequestValues {
  return {
    path: Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, String(p.example)])),
    query: {},
    ...(operation.body ? { body: Object.values(operation.body.examples)[0] } : {}),
  };
}
