import type { OpenApiDocument } from '../bundle.ts';
import { resolverFor } from '../spec-requests.ts';
import { referenceUrlFor } from './reference-link.ts';

/**
 * The client's resource surface, derived from the spec alone (rules in spec/DECISIONS.md, SDK1-SDK6):
 * a new path or operation in the spec needs no code here.
 *
 * - Each static path segment names a resource, camelCased (`/session-template-providers` is
 *   `sessionTemplateProviders`), nested as the paths nest (`/sessions/{session_id}/provider-runs` is
 *   `sessions.providerRuns`); each `{parameter}` is a positional argument (`sessionId`).
 * - The method's name says what it does to the resource: on a collection `list` (a GET answering a list
 *   envelope), `get`, `create`, `update`, `replace`, `delete`; on one item (the path ends in a
 *   parameter) `get`, `update`, `replace`, `delete`. A last static segment after a parameter that is
 *   no resource of its own (no item under it, no list) is an action or document of that item, named
 *   by the segment: `/provider-runs/{provider_run_id}/logs` is `providerRuns.logs(providerRunId)`.
 * - Tags give a resource its documentation (the tag's description) and, with operation ids, each
 *   method its link into the reference.
 */

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';
const httpMethods: readonly HttpMethod[] = ['get', 'put', 'post', 'patch', 'delete'];

export interface PathArgument {
  /** The spec's name, `session_id`. */
  name: string;
  /** The positional argument's name, `sessionId`. */
  argument: string;
  description: string | undefined;
  /** Its schema is a plain string (no enum, const or pattern of types): declared as `string`. */
  plainString: boolean;
}

export interface ResourceMethod {
  /** The method's name on its resource: `list`, `get`, `logs`. */
  name: string;
  operationId: string;
  method: HttpMethod;
  /** The path template, `/runs/{run_id}`. */
  path: string;
  pathArguments: PathArgument[];
  /** A GET that answers a list envelope: it returns a ListPromise. */
  list: boolean;
  query: { required: boolean; parameters: Array<{ name: string; description: string | undefined }> } | undefined;
  body: { required: boolean; description: string | undefined; schemaName: string | undefined } | undefined;
  /** The 2xx statuses whose answer is JSON, in order: the method resolves the union of their bodies. */
  jsonSuccessStatuses: string[];
  /** The component schema of each of those bodies (`Run`), where it is one. */
  jsonSuccessSchemaNames: Array<string | undefined>;
  summary: string | undefined;
  description: string | undefined;
  deprecated: boolean;
  tag: string | undefined;
  /** Where the operation is in the rendered reference, or undefined when the spec names no reference. */
  referenceUrl: string | undefined;
}

export interface Resource {
  /** The property that holds it: `providerRuns`. */
  name: string;
  /** From the client down to it: `['sessions', 'providerRuns']`. */
  chain: string[];
  /** The description of the tag all of its own operations share, if they share one. */
  description: string | undefined;
  methods: ResourceMethod[];
  resources: Resource[];
}

/** Names a resource may not take: the client's own members, and names that change what an object is (`then` makes it a thenable). */
export const reservedResourceNames = new Set(['get', 'put', 'post', 'patch', 'delete', 'GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'paginate', 'then', 'constructor', 'prototype', '__proto__', 'toJSON']);

/** `provider-runs` → `providerRuns`, `session_id` → `sessionId`; a leading digit gets an underscore. */
export function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** What the client's resources look like for `document`; throws a GenerationError naming the spec's places on a name clash. */
export function resourceModel(document: OpenApiDocument): Resource[] {
  const resolve = resolverFor(document);
  const paths = Object.keys(document.paths ?? {});
  const segmentsOf = (path: string) => path.split('/').filter(Boolean);
  const isParameter = (segment: string) => /^\{[^}]+\}$/.test(segment);
  const tagDescriptions = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description?.trim()]));
  const root: Resource = { name: '', chain: [], description: undefined, methods: [], resources: [] };
  const ownTags = new Map<Resource, Set<string | undefined>>();

  const resourceAt = (chain: string[]): Resource => {
    let at = root;
    for (const name of chain) {
      let next = at.resources.find((r) => r.name === name);
      if (!next) {
        next = { name, chain: [...at.chain, name], description: undefined, methods: [], resources: [] };
        at.resources.push(next);
      }
      at = next;
    }
    return at;
  };

  /** Whether the static segment ending `prefix` is a resource of its own: an item under it, or a list. */
  const isCollection = (prefix: string): boolean =>
    paths.some((path) => path.startsWith(`${prefix}/`) && isParameter(segmentsOf(path.slice(prefix.length))[0] ?? '')) ||
    httpMethods.some((method) => {
      const operation = (document.paths as Record<string, Record<string, unknown>>)[prefix]?.[method];
      return operation !== undefined && answersList(operation);
    });

  function answersList(operation: unknown): boolean {
    const ok = (operation as { responses?: Record<string, unknown> }).responses?.['200'];
    if (!ok) return false;
    const schema = resolve<any>(resolve<any>(ok).content?.['application/json']?.schema);
    const properties = schema?.properties ?? {};
    return properties.items !== undefined && resolve<any>(properties.items).type === 'array' && properties.pagination !== undefined;
  }

  for (const path of paths) {
    const item = resolve<Record<string, any>>((document.paths as Record<string, unknown>)[path] as Record<string, any>);
    const segments = segmentsOf(path);
    const methodsHere = httpMethods.filter((method) => item[method]);
    for (const method of methodsHere) {
      const operation = item[method];
      if (typeof operation.operationId !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(operation.operationId)) {
        throw new GenerationError(`${method.toUpperCase()} ${path} has no operationId that is an identifier: the client's types and reference links are keyed by it.`);
      }
      const last = segments.at(-1) ?? '';
      const statics = segments.filter((segment) => !isParameter(segment));
      let chain = statics.map(camelCase);
      let name: string;
      const list = method === 'get' && answersList(operation);
      if (isParameter(last)) {
        name = ({ get: 'get', patch: 'update', put: 'replace', delete: 'delete', post: 'create' } as const)[method as HttpMethod];
      } else if (segments.length >= 2 && isParameter(segments.at(-2)!) && !isCollection(`/${segments.join('/')}`)) {
        // An action or document of one item (`/provider-runs/{id}/logs`): a method of the item's resource.
        chain = chain.slice(0, -1);
        const action = camelCase(last);
        // Alone on its path, the action is named by the segment; beside others, each says what it does.
        const verb = methodsHere.length === 1 ? '' : ({ get: '', post: 'create', patch: 'update', put: 'replace', delete: 'delete' } as const)[method as HttpMethod];
        name = verb ? `${verb}${action.charAt(0).toUpperCase()}${action.slice(1)}` : action;
      } else {
        name = list ? 'list' : ({ get: 'get', post: 'create', patch: 'update', put: 'replace', delete: 'delete' } as const)[method as HttpMethod];
      }
      if (chain.length === 0) throw new GenerationError(`${method.toUpperCase()} ${path} (${operation.operationId}) has no static path segment to name a resource by.`);
      const reserved = chain.find((segment) => reservedResourceNames.has(segment));
      if (reserved) {
        throw new GenerationError(`${method.toUpperCase()} ${path} (${operation.operationId}) would make a resource named ${reserved}, which the client reserves for its own members: rename the path segment.`);
      }
      const resource = resourceAt(chain);
      const clash = resource.methods.find((m) => m.name === name) ?? resource.resources.find((r) => r.name === name);
      if (clash) {
        const other = 'operationId' in clash ? `${clash.method.toUpperCase()} ${clash.path} (${clash.operationId})` : `the resource ${clash.chain.join('.')}`;
        throw new GenerationError(
          `${method.toUpperCase()} ${path} (${operation.operationId}) and ${other} would both be ${[...chain, name].join('.')}: ` +
            'give one of them another path (the naming rules are in spec/DECISIONS.md, SDK2).',
        );
      }
      resource.methods.push(methodOf(path, method, operation, name, list));
      const tags = ownTags.get(resource) ?? new Set();
      tags.add(operation.tags?.[0]);
      ownTags.set(resource, tags);
    }
  }

  for (const [resource, tags] of ownTags) {
    const [only] = tags;
    if (tags.size === 1 && only !== undefined) resource.description = tagDescriptions.get(only);
  }
  // A method and a sub-resource of the same name: a later path may add the resource after the method.
  const checkClashes = (resource: Resource) => {
    for (const child of resource.resources) {
      const method = resource.methods.find((m) => m.name === child.name);
      if (method) throw new GenerationError(`${method.method.toUpperCase()} ${method.path} (${method.operationId}) and the resource ${child.chain.join('.')} would both be ${child.chain.join('.')}: give one of them another path.`);
      checkClashes(child);
    }
  };
  checkClashes(root);
  return root.resources;

  function methodOf(path: string, method: HttpMethod, operation: any, name: string, list: boolean): ResourceMethod {
    const pathItem = resolve<Record<string, any>>((document.paths as Record<string, any>)[path]);
    const parameters: any[] = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve<any>(p));
    const described = (p: any) => (p.description as string | undefined)?.trim();
    const pathArguments = [...path.matchAll(/\{([^}]+)\}/g)].map(([, parameterName]) => {
      const parameter = parameters.find((p) => p.in === 'path' && p.name === parameterName) ?? {};
      const schema = resolve<any>(parameter.schema ?? {});
      return {
        name: parameterName!,
        argument: camelCase(parameterName!),
        description: described(parameter),
        plainString: schema.type === 'string' && schema.enum === undefined && schema.const === undefined,
      };
    });
    const queryParameters = parameters.filter((p) => p.in === 'query');
    const requestBody = operation.requestBody && resolve<any>(operation.requestBody);
    const responses = operation.responses ?? {};
    const jsonSuccessStatuses = Object.keys(responses).filter((status) => /^2\d\d$/.test(status) && resolve<any>(responses[status]).content?.['application/json']);
    return {
      name,
      operationId: operation.operationId,
      method,
      path,
      pathArguments,
      list,
      query: queryParameters.length
        ? { required: queryParameters.some((p) => p.required), parameters: queryParameters.map((p) => ({ name: p.name, description: described(p) })) }
        : undefined,
      body: requestBody?.content?.['application/json']
        ? { required: requestBody.required === true, description: requestBody.description?.trim(), schemaName: schemaName(requestBody.content['application/json'].schema) }
        : undefined,
      jsonSuccessStatuses,
      jsonSuccessSchemaNames: jsonSuccessStatuses.map((status) => schemaName(resolve<any>(responses[status]).content['application/json'].schema)),
      summary: operation.summary?.trim(),
      description: operation.description?.trim(),
      deprecated: operation.deprecated === true,
      tag: operation.tags?.[0],
      referenceUrl: referenceUrlFor(document, operation),
    };
  }
}

/** `Run` for `{ $ref: '#/components/schemas/Run' }`, else undefined. */
function schemaName(schema: unknown): string | undefined {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/') && !ref.slice(21).includes('/') ? ref.slice(21).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/** The spec cannot make a resource surface as it is: the message names the operations and the fix. */
export class GenerationError extends Error {
  override name = 'GenerationError';
}

/** Every method with the resource chain it is on, depth first, in the spec's order. */
export function allMethods(resources: Resource[]): Array<{ resource: Resource; method: ResourceMethod }> {
  return resources.flatMap((resource) => [...resource.methods.map((method) => ({ resource, method })), ...allMethods(resource.resources)]);
}
