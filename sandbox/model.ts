import type { OpenAPI3 } from 'openapi-typescript';
import { mergedShapes, type SchemaNode } from '../scripts/lib/schema-node.ts';
import { resolverFor, type Resolve } from '../scripts/lib/spec-requests.ts';
import { declarations, type ResourceDeclaration } from './declarations.ts';

/**
 * The sandbox's reading of an OpenAPI document: which resources it holds, under which routes, and
 * how each list filters. Everything here is derived from paths, parameters and schemas; what the
 * spec cannot say comes from `declarations.ts`, by schema name.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The names of the list convention's own query parameters (facts: Pagination parameters). */
export const paginationParameters = new Set(['limit', 'after', 'before', 'cursor', 'order']);

export interface ParameterModel {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  style?: string;
  explode?: boolean;
  schema: SchemaNode;
}

/** Where a filter or a scope reads its value in a stored item. */
export type FieldRef =
  /** A field of the object, such as `['deployment', 'id']` for `provider_deployment_id`. */
  | { kind: 'field'; path: string[] }
  /**
   * A value the object does not show (`type` of a session error): the sandbox keeps it beside the
   * object, so that filtering by it is real, and never sends it.
   */
  | { kind: 'hidden'; name: string };

export interface FilterModel {
  name: string;
  /** `operators` for deepObject filters (`created_at[gt]=...`), `match` for one value or many. */
  kind: 'operators' | 'match';
  target: FieldRef;
  /** The values a hidden attribute is seeded from (an enum), if the filter names any. */
  values: string[];
  /** Whether the field compares as a date-time. */
  dateTime: boolean;
}

export interface ResourceModel {
  /** The schema's name in `components.schemas`, such as `ProviderRun`. */
  name: string;
  schema: SchemaNode;
  /** `session.provider_run`: the `object` const, else the schema name in snake case; the error body's `entity`. */
  entity: string;
  /** `provider_run`, the name other objects use for it in `provider_run_id`. */
  singular: string;
  idPrefix: string;
  idLength: number;
  /** The spec's example objects of this schema: seeded as they are, and the templates of generated items. */
  examples: JsonObject[];
  /** Delete marks the object with this status instead of removing it (the delete answers the object). */
  softDeleteStatus: string | undefined;
  /** Hidden attributes its lists filter on, with the values to seed them from. */
  hidden: Map<string, string[]>;
  declaration: ResourceDeclaration;
}

/** A document that hangs off one item, such as the logs of a provider run. */
export interface DocumentModel {
  name: string;
  schema: SchemaNode;
  example: JsonObject;
  /** The field that holds the parent's id, such as `provider_run_id`. */
  parentField: string | undefined;
}

export type RouteKind = 'list' | 'get' | 'create' | 'update' | 'delete' | 'document';

export interface ScopeModel {
  /** The path parameter, such as `session_id`. */
  parameter: string;
  target: FieldRef;
}

export interface RouteModel {
  method: string;
  /** The path template, such as `/sessions/{session_id}/provider-runs`. */
  path: string;
  operationId: string;
  kind: RouteKind;
  resource: ResourceModel;
  /** Path parameters that narrow the collection to one parent, with the field they match. */
  scopes: ScopeModel[];
  /** The path parameter holding the item's id (get, update, delete, document). */
  idParameter: string | undefined;
  filters: FilterModel[];
  parameters: ParameterModel[];
  /** The request body's schema (create, update). */
  bodySchema: SchemaNode | undefined;
  /** The request body's named examples. */
  bodyExamples: unknown[];
  /** The objects the operation's success answer shows in its examples (a create's new object). */
  successExamples: JsonObject[];
  document: DocumentModel | undefined;
  /** The list parameters' bounds: `limit` default and maximum. */
  limit: { default: number; minimum: number; maximum: number };
}

export interface SandboxModel {
  document: OpenAPI3;
  resolve: Resolve;
  resources: Map<string, ResourceModel>;
  routes: RouteModel[];
}

/** An id as the pages show them, `prn_8hJkLmNpQrStUvWx`: a prefix and letters with an upper-case letter or a digit (not `example_description`). */
export const idLike = /^([a-z][a-z0-9]*_)((?=[a-z]*[A-Z0-9])[A-Za-z0-9]{6,})$/;
const methods = ['get', 'put', 'post', 'patch', 'delete'] as const;

function schemaName(ref: string | undefined): string | undefined {
  return ref?.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

interface RawOperation {
  operationId?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}

/** The schema of an operation's 2xx JSON answer, as written (maybe a `$ref`), and its named examples. */
function successContent(operation: RawOperation, resolve: Resolve): { schema: SchemaNode; examples: unknown[] } | undefined {
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!status.startsWith('2')) continue;
    const json = resolve<{ content?: Record<string, { schema?: SchemaNode; examples?: Record<string, unknown>; example?: unknown }> }>(response as never)
      .content?.['application/json'];
    if (!json?.schema) return undefined;
    const examples = Object.values(json.examples ?? {}).map((e) => resolve<{ value?: unknown }>(e as never).value);
    if (json.example !== undefined) examples.push(json.example);
    return { schema: json.schema, examples };
  }
  return undefined;
}

/** A list answer is an object with an `items` array and a `pagination` object (facts: List envelope). */
function listItemSchema(schema: SchemaNode, resolve: Resolve): SchemaNode | undefined {
  const resolved = resolve(schema);
  const items = resolved.properties?.items;
  return items && resolved.properties?.pagination && resolve(items).type === 'array' ? resolve(items).items : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value a date-time or nullable type says; `[string, null]` reads as `string`. */
function typesOf(schema: SchemaNode): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

/**
 * Finds the field a query or path parameter names in an object of `schema`:
 * the property of that name (`session_id`); an object property with an `id` that the name ends with
 * (`provider_deployment_id` -> `deployment.id`); an `_id` property the name ends with
 * (`session_connection_id` -> `connection_id`). `undefined` when there is none.
 */
export function fieldFor(name: string, schema: SchemaNode, resolve: Resolve): string[] | undefined {
  const properties = resolve(schema).properties ?? {};
  if (name in properties) return [name];
  if (!name.endsWith('_id')) return undefined;
  const stem = name.slice(0, -3);
  // The longest property the name ends with: `provider_auth_config_id` is `auth_config`, not `config`.
  const nested = Object.entries(properties)
    .filter(([property, node]) => (stem === property || stem.endsWith(`_${property}`)) && objectBranch(resolve(node), resolve)?.properties?.id)
    .sort(([a], [b]) => b.length - a.length)[0];
  if (nested) return [nested[0], 'id'];
  for (const property of Object.keys(properties)) {
    if (property.endsWith('_id') && name.endsWith(`_${property}`)) return [property];
  }
  return undefined;
}

/** The object schema of a property that may be `oneOf: [object, null]`. */
function objectBranch(schema: SchemaNode, resolve: Resolve): SchemaNode | undefined {
  if (schema.properties) return schema;
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const resolved = resolve(branch);
    if (resolved.properties) return resolved;
  }
  return undefined;
}

/** The string values a filter's schema allows, when it lists them (an enum, or an array of one). */
function enumValues(schema: SchemaNode, resolve: Resolve): string[] {
  const resolved = resolve(schema);
  const listed = resolved.enum ?? (resolved as { 'x-extensible-enum'?: unknown[] })['x-extensible-enum']; // An open list's known values too.
  if (listed) return listed.filter((v): v is string => typeof v === 'string');
  for (const branch of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) {
    const values = enumValues(branch, resolve);
    if (values.length) return values;
  }
  if (resolved.items) return enumValues(resolved.items, resolve);
  return [];
}

function isDateTime(schema: SchemaNode | undefined, resolve: Resolve): boolean {
  if (!schema) return false;
  const resolved = resolve(schema);
  if (resolved.format === 'date-time') return true;
  return Object.values(resolved.properties ?? {}).some((p) => resolve(p).format === 'date-time');
}

function schemaAt(schema: SchemaNode, path: string[], resolve: Resolve): SchemaNode | undefined {
  let at: SchemaNode | undefined = resolve(schema);
  for (const key of path) {
    const branch: SchemaNode | undefined = at && objectBranch(at, resolve);
    at = branch?.properties?.[key] && resolve(branch.properties[key]);
  }
  return at;
}

/** Every example value of the document that is an object of `schema` (its `object` const, or its required keys). */
function examplesOf(name: string, schema: SchemaNode, content: unknown[], resolve: Resolve): JsonObject[] {
  const resolved = resolve(schema);
  const required = resolved.required ?? [];
  const objectConst = resolve(resolved.properties?.object ?? {}).const;
  const matches = (value: unknown): value is JsonObject =>
    isObject(value) && (objectConst === undefined ? required.every((key) => key in value) : value.object === objectConst);
  const found: JsonObject[] = [];
  const seen = new Set<string>();
  for (const value of content) {
    const candidates = isObject(value) && Array.isArray(value.items) ? value.items : [value];
    for (const candidate of candidates) {
      if (!matches(candidate)) continue;
      const key = JSON.stringify(candidate);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(structuredClone(candidate));
    }
  }
  if (!found.length) throw new Error(`The sandbox needs an example of ${name} in the spec: it generates its data from the examples.`);
  return found;
}

function parametersOf(pathItem: { parameters?: unknown[] }, operation: RawOperation, resolve: Resolve): ParameterModel[] {
  const byKey = new Map<string, ParameterModel>();
  for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = resolve<ParameterModel>(raw as never);
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

/**
 * Reads the resources and routes of a bundled OpenAPI 3.1 document.
 * - A resource is a schema that a `GET /…/{id}` answers and whose objects have an `id`; its lists are
 *   the `GET`s answering `{items: [that schema], pagination}`.
 * - A `POST` to a list's path creates, a `PATCH`/`PUT` on an item's path updates, a `DELETE` deletes
 *   (soft when it answers the object and the object's `status` enum has `deleted`).
 * - Path parameters before the last segment scope a route to a parent (`/sessions/{session_id}/…`
 *   lists the items whose `session_id` is that id).
 * - A `GET` below an item's path answering another object is a document of that item (its logs).
 * @throws Error naming the schema when a resource has no example to seed from.
 */
export function readModel(document: OpenAPI3): SandboxModel {
  const resolve = resolverFor(document);
  const resources = new Map<string, ResourceModel>();
  const allContent: unknown[] = [];
  type Found = { path: string; method: string; operation: RawOperation; pathItem: { parameters?: unknown[] } };
  const found: Found[] = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const pathItem = resolve<Record<string, unknown>>(rawItem as never);
    for (const method of methods) {
      const operation = pathItem[method] as RawOperation | undefined;
      if (!operation) continue;
      found.push({ path, method, operation, pathItem });
      const content = successContent(operation, resolve);
      if (content) allContent.push(...content.examples);
    }
  }

  const resourceFor = (schemaRef: SchemaNode | undefined): ResourceModel | undefined => {
    const name = schemaName(schemaRef?.$ref);
    if (!name || !schemaRef) return undefined;
    const existing = resources.get(name);
    if (existing) return existing;
    const schema = mergedShapes(resolve(schemaRef), resolve);
    if (!schema.properties?.id) return undefined;
    const declaration = declarations[name] ?? {};
    const examples = examplesOf(name, schema, allContent, resolve);
    const exampleIds = [...((resolve(schema.properties.id) as { examples?: unknown[] }).examples ?? []), ...examples.map((e) => e.id)];
    const match = exampleIds.map((id) => (typeof id === 'string' ? idLike.exec(id) : null)).find(Boolean);
    const idPrefix = declaration.idPrefix ?? match?.[1];
    if (!idPrefix) throw new Error(`The sandbox cannot tell the id prefix of ${name}: no example id looks like prefix_XXXXXXXX. Declare one in sandbox/declarations.ts.`);
    const objectConst = resolve(schema.properties.object ?? {}).const;
    const resource: ResourceModel = {
      name,
      schema,
      entity: typeof objectConst === 'string' ? objectConst : snakeCase(name),
      singular: snakeCase(name),
      idPrefix,
      idLength: match?.[2]?.length ?? 16,
      examples,
      softDeleteStatus: undefined,
      hidden: new Map(),
      declaration,
    };
    resources.set(name, resource);
    return resource;
  };

  // Item routes first: they name the resources; lists of a schema no item route answers are resources too.
  const itemRoutes = found.filter((f) => f.method === 'get' && /\/\{[^}]+\}$/.test(f.path));
  for (const f of itemRoutes) resourceFor(successContent(f.operation, resolve)?.schema);
  for (const f of found.filter((x) => x.method === 'get')) {
    const schema = successContent(f.operation, resolve)?.schema;
    const item = schema && listItemSchema(schema, resolve);
    if (item) resourceFor(item);
  }

  const routes: RouteModel[] = [];
  for (const { path, method, operation, pathItem } of found) {
    const parameters = parametersOf(pathItem, operation, resolve);
    const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    const endsWithParameter = /\/\{[^}]+\}$/.test(path);
    const content = successContent(operation, resolve);
    const listItem = content && method === 'get' ? listItemSchema(content.schema, resolve) : undefined;
    const bodyContent = operation.requestBody
      ? resolve<{ content?: Record<string, { schema?: SchemaNode; examples?: Record<string, unknown> }> }>(operation.requestBody as never).content?.['application/json']
      : undefined;
    const bodyRef = bodyContent?.schema;
    const bodyExamples = Object.values(bodyContent?.examples ?? {}).map((e) => resolve<{ value?: unknown }>(e as never).value);

    let kind: RouteKind | undefined;
    let resource: ResourceModel | undefined;
    let documentModel: DocumentModel | undefined;
    let idParameter: string | undefined;
    if (listItem) {
      kind = 'list';
      resource = resourceFor(listItem);
    } else if (method === 'post' && !endsWithParameter) {
      kind = 'create';
      resource = resourceFor(content?.schema);
    } else if (endsWithParameter && ['get', 'patch', 'put', 'delete'].includes(method)) {
      kind = method === 'get' ? 'get' : method === 'delete' ? 'delete' : 'update';
      // A delete that answers nothing deletes the item of the same path's get.
      const getOperation = ((pathItem as Record<string, unknown>).get as RawOperation | undefined) ?? operation;
      resource = resourceFor(content?.schema) ?? resourceFor(successContent(getOperation, resolve)?.schema);
      idParameter = pathParameters.at(-1);
    } else if (method === 'get' && content && !endsWithParameter && pathParameters.length) {
      // `/provider-runs/{provider_run_id}/logs`: the item of the path without the last segment.
      const parentPath = path.replace(/\/[^/]+$/, '');
      const parent = found.find((f) => f.method === 'get' && f.path === parentPath);
      resource = parent && resourceFor(successContent(parent.operation, resolve)?.schema);
      if (resource) {
        kind = 'document';
        idParameter = pathParameters.at(-1);
        const name = schemaName(content.schema.$ref) ?? `${resource.name}${path.split('/').at(-1)}`;
        const documentSchema = mergedShapes(resolve(content.schema), resolve);
        const parentField = Object.keys(documentSchema.properties ?? {}).find((p) => p === `${resource?.singular}_id`);
        documentModel = { name, schema: documentSchema, example: examplesOf(name, documentSchema, content.examples, resolve)[0] ?? {}, parentField };
      }
    }
    if (!kind || !resource) continue;
    if (kind === 'delete' && content) {
      const status = resolve(resource.schema.properties?.status ?? {});
      const values = enumValues(status, resolve);
      if (values.includes('deleted')) resource.softDeleteStatus = 'deleted';
    }

    const scopeParameters = pathParameters.filter((p) => p !== idParameter);
    const scopes: ScopeModel[] = scopeParameters.map((parameter) => {
      const field = fieldFor(parameter, resource.schema, resolve);
      if (!field) throw new Error(`The sandbox cannot tell which field of ${resource.name} the path parameter ${parameter} of ${method.toUpperCase()} ${path} scopes by.`);
      return { parameter, target: { kind: 'field', path: field } };
    });

    const filters: FilterModel[] = [];
    if (kind === 'list') {
      for (const parameter of parameters.filter((p) => p.in === 'query' && !paginationParameters.has(p.name))) {
        const field = fieldFor(parameter.name, resource.schema, resolve);
        const values = enumValues(parameter.schema, resolve);
        const target: FieldRef = field ? { kind: 'field', path: field } : { kind: 'hidden', name: parameter.name };
        if (!field) resource.hidden.set(parameter.name, values);
        filters.push({
          name: parameter.name,
          kind: parameter.style === 'deepObject' ? 'operators' : 'match',
          target,
          values,
          dateTime: field ? isDateTime(schemaAt(resource.schema, field, resolve), resolve) : false,
        });
      }
    }

    const limitSchema: SchemaNode & { default?: unknown } = resolve(parameters.find((p) => p.in === 'query' && p.name === 'limit')?.schema ?? {});
    routes.push({
      method: method.toUpperCase(),
      path,
      operationId: operation.operationId ?? `${method} ${path}`,
      kind,
      resource,
      scopes,
      idParameter,
      filters,
      parameters,
      bodySchema: bodyRef,
      bodyExamples,
      successExamples: (content?.examples ?? []).filter(isObject).map((e) => structuredClone(e)),
      document: documentModel,
      limit: {
        default: typeof limitSchema.default === 'number' ? limitSchema.default : 20,
        minimum: limitSchema.minimum ?? 1,
        maximum: limitSchema.maximum ?? 100,
      },
    });
  }
  return { document, resolve, resources, routes };
}

export { isObject, typesOf };
