import type { OpenAPI3 } from 'openapi-typescript';
import { type Operation, operationsOf, resolverFor, type Schema } from '../spec-requests.ts';
import { mergedShapes } from '../schema-node.ts';
import { type Creation, creationsOf } from './links.ts';

/** How a filter parameter is written and matched, read from its `style` and schema. */
export type FilterKind =
  /** `name=a` or `name=a&name=b` (form, exploded; `oneOf` one value or an array). */
  | 'one-or-many'
  /** `name=a`: one plain value. */
  | 'scalar'
  /** `name[eq]=a` / `name[ne]=a` (deepObject). */
  | 'match'
  /** `name[gt]=t` / `name[lt]=t` (deepObject, date-times). */
  | 'range';

export interface FilterModel {
  name: string;
  kind: FilterKind;
  /**
   * Where an item carries the filtered value, as property names from the item down (see
   * filteredProperty). Undefined when the item shows no such value: the filter cannot be checked
   * from answers.
   */
  property: string[] | undefined;
}

export interface PaginationModel {
  /** The `limit` parameter's maximum (the spec's `maximum`), when it has one. */
  maxLimit: number | undefined;
  after: boolean;
  before: boolean;
  cursor: boolean;
  /** The `order` parameter's values (`asc`, `desc`), or none. */
  orders: string[];
}

/** A list operation: a GET whose success body is the list envelope `{items, pagination}`. */
export interface ListModel {
  operation: Operation;
  pagination: PaginationModel;
  filters: FilterModel[];
  /** The GET of one item at `<list path>/{id}`, when the spec has one. */
  itemRead: Operation | undefined;
  /**
   * For a nested list (`/sessions/{session_id}/provider-runs`): its parent path parameter, the item
   * property that names the parent (same name), and the unscoped list of the same items.
   */
  scope: { parameter: string; property: string; unscoped: ListModel | undefined } | undefined;
}

/** What the behaviour checks read from a spec: its operations, lists and creates. */
export interface ApiModel {
  operations: Operation[];
  lists: ListModel[];
  creations: Creation[];
}

const paginationNames = new Set(['limit', 'after', 'before', 'cursor', 'order']);

/** The item schema of a list operation's 200 answer, or undefined when it is not a list envelope. */
function listItemSchema(document: OpenAPI3, operation: Operation): Schema | undefined {
  const resolve = resolverFor(document);
  const success = (document.paths as Record<string, any>)[operation.path][operation.method].responses['200'];
  const schema = success && resolve<Schema>(resolve<any>(success).content?.['application/json']?.schema ?? {});
  const items = schema?.properties?.items && resolve<Schema>(schema.properties.items);
  return items?.type === 'array' && schema?.properties?.pagination && items.items ? mergedShapes(resolve<Schema>(items.items), resolve) : undefined;
}

function filterKind(parameter: Operation['parameters'][number], resolve: ReturnType<typeof resolverFor>): FilterKind {
  const schema = resolve<Schema>(parameter.schema);
  if (parameter.style === 'deepObject') return schema.properties?.eq ? 'match' : 'range';
  const branches = (schema.oneOf ?? []).map((b) => resolve<Schema>(b));
  return branches.some((b) => b.type === 'array') ? 'one-or-many' : 'scalar';
}

const endsWithWord = (name: string, suffix: string) => name === suffix || name.endsWith(`_${suffix}`);

/**
 * The property of an object that a name (a filter, or a reference field of a create's body) points
 * at, read as the sandbox reads them (spec/DECISIONS.md SB1): the property of that name (`status`);
 * else, for `X_id`, the nested object whose name X ends with, by its `id` (`provider_deployment_id`
 * → `deployment.id`; the longest such name, so `provider_auth_config_id` is `auth_config`); else the
 * `_id` property the name ends with (`session_connection_id` → `connection_id`). `nestedWithId`
 * tells which properties are objects with an `id`.
 */
export function propertyNamed(name: string, properties: string[], nestedWithId: (property: string) => boolean): string[] | undefined {
  if (properties.includes(name)) return [name];
  if (!name.endsWith('_id')) return undefined;
  const base = name.slice(0, -'_id'.length);
  const nested = [...properties].sort((a, b) => b.length - a.length).find((property) => endsWithWord(base, property) && nestedWithId(property));
  if (nested) return [nested, 'id'];
  const field = properties.find((property) => property.endsWith('_id') && endsWithWord(name, property));
  return field ? [field] : undefined;
}

/** The item property a filter matches (propertyNamed, over the item's schema). */
export function filteredProperty(name: string, item: Schema, resolve: ReturnType<typeof resolverFor>): string[] | undefined {
  const properties = item.properties ?? {};
  const hasId = (schema: Schema): boolean => {
    const resolved = resolve<Schema>(schema);
    return Boolean(resolved.properties?.id) || (resolved.oneOf ?? resolved.anyOf ?? []).some(hasId);
  };
  return propertyNamed(name, Object.keys(properties), (property) => hasId(properties[property]!));
}

/** Reads the lists, their pagination, filters and scopes, and the creates with their links. */
export function modelOf(document: OpenAPI3): ApiModel {
  const resolve = resolverFor(document);
  const operations = operationsOf(document);
  const lists: ListModel[] = [];
  const itemSchemas = new Map<ListModel, Schema>();
  for (const operation of operations.filter((op) => op.method === 'get')) {
    const item = listItemSchema(document, operation);
    if (!item) continue;
    const query = operation.parameters.filter((p) => p.in === 'query');
    const limit = query.find((p) => p.name === 'limit');
    const order = query.find((p) => p.name === 'order');
    const list: ListModel = {
      operation,
      pagination: {
        maxLimit: limit ? resolve<Schema>(limit.schema).maximum : undefined,
        after: query.some((p) => p.name === 'after'),
        before: query.some((p) => p.name === 'before'),
        cursor: query.some((p) => p.name === 'cursor'),
        orders: order ? ((resolve<Schema>(order.schema).enum as string[] | undefined) ?? []) : [],
      },
      filters: query
        .filter((p) => !paginationNames.has(p.name))
        .map((p) => {
          return { name: p.name, kind: filterKind(p, resolve), property: filteredProperty(p.name, item, resolve) };
        }),
      itemRead: operations.find((op) => op.method === 'get' && new RegExp(`^${escape(operation.path)}/\\{[^}/]+\\}$`).test(op.path)),
      scope: undefined,
    };
    lists.push(list);
    itemSchemas.set(list, item);
  }
  for (const list of lists) {
    const parameter = /\{([^}]+)\}[^{}]*$/.exec(list.operation.path)?.[1];
    if (!parameter || !itemSchemas.get(list)!.properties?.[parameter]) continue;
    const unscoped = lists.find((other) => !other.operation.path.includes('{') && itemSchemas.get(other) === itemSchemas.get(list));
    list.scope = { parameter, property: parameter, unscoped };
  }
  return { operations, lists, creations: creationsOf(document, operations) };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
