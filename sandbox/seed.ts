import type { SchemaNode } from '../scripts/lib/schema-node.ts';
import type { Resolve } from '../scripts/lib/spec-requests.ts';
import { type DocumentModel, idLike, isObject, type Json, type JsonObject, type ResourceModel, type SandboxModel } from './model.ts';
import { Random } from './random.ts';

/** One object the sandbox holds, with what it keeps beside it. */
export interface StoredItem {
  body: JsonObject;
  /** Values lists filter on that the object does not show (see FieldRef `hidden`). */
  hidden?: Record<string, Json>;
  /** When a created object's lifecycle started (epoch ms); absent for seeded objects. */
  born?: number;
}

export interface SeedCollection {
  resource: ResourceModel;
  /** Ordered by `created_at`, then id: the lists' order. */
  items: StoredItem[];
  /** Id to position in `items`. */
  index: Map<string, number>;
}

export interface SeedOptions {
  /** The same seed gives the same data. Default 1. */
  seed?: number;
  /** Objects of each resource, the spec's examples included. Default 100 (five pages of the default 20). */
  count?: number;
  /** Another count for some resources, by schema name (`{ServerRun: 100000}`, for the benchmark). */
  counts?: Record<string, number>;
  /** How many parents (sessions, templates, agents, ...) the objects are spread over. Default 2. */
  contexts?: number;
}

export interface Seed {
  options: Required<SeedOptions>;
  collections: Map<string, SeedCollection>;
  /** Nested objects with an id (a deployment preview, a config preview), by id: what a create that names one gets. */
  entities: Map<string, JsonObject>;
  /** Every value each reference field holds in the seed (`session_template_id`, `deployment.id`): what exists. */
  references: Map<string, Set<string>>;
}

const dateTimeLike = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The object schema of a property (through `$ref` and `oneOf: [object, null]`), or the schema itself. */
function objectSchema(schema: SchemaNode | undefined, resolve: Resolve): SchemaNode | undefined {
  if (!schema) return undefined;
  const resolved = resolve(schema);
  if (resolved.properties || resolved.items) return resolved;
  for (const branch of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) {
    const inner = resolve(branch);
    if (inner.properties) return inner;
  }
  return resolved;
}

/** Id prefixes that name something shared between objects (a session, a provider), not owned by one. */
function sharedPrefixes(model: SandboxModel): Set<string> {
  const places = new Map<string, Set<string>>();
  const note = (prefix: string, place: string) => places.set(prefix, (places.get(prefix) ?? new Set()).add(place));
  const filtered = new Set(model.routes.flatMap((r) => r.filters.map((f) => f.name)));
  const shared = new Set<string>();
  const walk = (value: unknown, place: string, key: string, nested: boolean) => {
    if (typeof value === 'string') {
      const prefix = idLike.exec(value)?.[1];
      if (!prefix) return;
      if (key.endsWith('_id') || (key === 'id' && nested)) note(prefix, place);
      if (key.endsWith('_id') && filtered.has(key)) shared.add(prefix);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, place, key, nested));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(v, place, k, nested || key !== '');
  };
  for (const resource of model.resources.values()) {
    shared.add(resource.idPrefix);
    for (const example of resource.examples) walk(example, resource.name, '', false);
  }
  for (const route of model.routes) for (const example of route.bodyExamples) walk(example, `${route.operationId} body`, '', false);
  for (const [prefix, where] of places) if (where.size > 1) shared.add(prefix);
  return shared;
}

/** Resources in an order where a resource comes after those whose ids its objects hold (`provider_run_id`). */
function dependencyOrder(resources: ResourceModel[]): ResourceModel[] {
  const ordered: ResourceModel[] = [];
  const visit = (resource: ResourceModel, path: Set<ResourceModel>) => {
    if (ordered.includes(resource) || path.has(resource)) return;
    path.add(resource);
    for (const other of resources) if (other !== resource && `${other.singular}_id` in (resource.schema.properties ?? {})) visit(other, path);
    ordered.push(resource);
  };
  for (const resource of resources) visit(resource, new Set());
  return ordered;
}

function firstDate(value: Json): number | undefined {
  if (!isObject(value)) return undefined;
  for (const key of ['created_at', 'started_at', 'timestamp']) {
    const at = value[key];
    if (typeof at === 'string') return Date.parse(at);
  }
  for (const inner of Object.values(value)) {
    if (typeof inner === 'string' && dateTimeLike.test(inner)) return Date.parse(inner);
  }
  return undefined;
}

export function compareItems(a: StoredItem, b: StoredItem): number {
  const at = String(a.body.created_at ?? '');
  const bt = String(b.body.created_at ?? '');
  if (at !== bt) return Date.parse(at) - Date.parse(bt) || (at < bt ? -1 : 1);
  return String(a.body.id) < String(b.body.id) ? -1 : String(a.body.id) > String(b.body.id) ? 1 : 0;
}

/**
 * Makes objects from an example: the same shape and texts, other ids and times.
 * - The object's own id is new, and so is every id only it holds (its messages, its parts), the same
 *   old id always becoming the same new one inside the object.
 * - Ids of shared things (sessions, providers, deployments) are those of the object's context: every
 *   object of context `c` has the same session, provider and deployment, and a nested object with a
 *   shared id is the same object wherever it appears (made once per context).
 * - Times move by the same offset, so their order stays as in the example.
 * - Enum fields other than `object` take another allowed value now and then.
 */
export class ObjectMaker {
  private readonly contextIds: Map<string, string>[] = [];
  private readonly sharedObjects = new Map<string, JsonObject>();
  private readonly shared: Set<string>;

  constructor(
    private readonly model: SandboxModel,
    private readonly random: Random,
  ) {
    this.shared = sharedPrefixes(model);
  }

  /** The id of a shared thing in a context; context 0 keeps the examples' own ids. */
  contextId(context: number, value: string): string {
    const match = idLike.exec(value);
    if (!match || context === 0) return value;
    const ids = (this.contextIds[context] ??= new Map());
    let id = ids.get(match[1] as string);
    if (!id) {
      id = this.random.id(match[1] as string, match[2]?.length ?? 16);
      ids.set(match[1] as string, id);
    }
    return id;
  }

  isShared(prefix: string): boolean {
    return this.shared.has(prefix);
  }

  /** A new object from `template` (see the class); `vary` false keeps every enum value as the template has it. */
  make(template: JsonObject, schema: SchemaNode, ownId: string, context: number, offsetMs: number, vary = true): JsonObject {
    const renamed = new Map<string, string>();
    if (typeof template.id === 'string') renamed.set(template.id, ownId);
    const resolve = this.model.resolve;
    const walk = (value: Json, node: SchemaNode | undefined, key: string): Json => {
      if (typeof value === 'string') {
        const match = idLike.exec(value);
        if (match) {
          const known = renamed.get(value);
          if (known) return known;
          if (this.shared.has(match[1] as string)) return this.contextId(context, value);
          const fresh = this.random.id(match[1] as string, match[2]?.length ?? 16);
          renamed.set(value, fresh);
          return fresh;
        }
        if (dateTimeLike.test(value)) return new Date(Date.parse(value) + offsetMs).toISOString();
        const resolved = node && resolve(node);
        // The values of an enum, or the known values of an open list (`x-extensible-enum`, DECISIONS E1).
        const known = resolved?.enum ?? (resolved as { 'x-extensible-enum'?: unknown[] } | undefined)?.['x-extensible-enum'];
        if (vary && key !== 'object' && known && known.length > 1 && this.random.chance(0.3)) return this.random.pick(known) as Json;
        return value;
      }
      if (Array.isArray(value)) {
        const items = node && objectSchema(node, resolve)?.items;
        return value.map((v) => walk(v, items, key));
      }
      if (isObject(value)) {
        const objectNode = objectSchema(node, resolve);
        const id = value.id;
        const sharedId = typeof id === 'string' && key !== '' && this.shared.has(idLike.exec(id)?.[1] ?? '') ? this.contextId(context, id) : undefined;
        if (sharedId) {
          const cached = this.sharedObjects.get(sharedId);
          if (cached) return structuredClone(cached);
        }
        const out: JsonObject = {};
        for (const [k, v] of Object.entries(value)) out[k] = walk(v, objectNode?.properties?.[k], k);
        if (sharedId) this.sharedObjects.set(sharedId, structuredClone(out));
        return out;
      }
      return value;
    };
    const made = walk(template, schema, '') as JsonObject;
    if ('id' in made) made.id = ownId;
    return made;
  }
}

/** Walks an object's values, calling `visit` with each key path (`['deployment', 'id']`). */
function eachValue(value: Json, visit: (path: string[], value: Json) => void, path: string[] = []): void {
  visit(path, value);
  if (Array.isArray(value)) value.forEach((v) => eachValue(v, visit, path));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) eachValue(v, visit, [...path, k]);
}

/** Records the reference values and nested objects of an object into the seed's catalogues. */
export function catalogue(seed: Pick<Seed, 'entities' | 'references'>, body: JsonObject): void {
  eachValue(body, (path, value) => {
    const key = path.at(-1);
    if (!key || path.length === 0) return;
    if (typeof value === 'string' && path.length === 1 && key.endsWith('_id')) {
      const set = seed.references.get(key) ?? new Set();
      seed.references.set(key, set.add(value));
    }
    if (isObject(value) && typeof value.id === 'string') {
      const set = seed.references.get(`${key}.id`) ?? new Set();
      seed.references.set(`${key}.id`, set.add(value.id));
      if (!seed.entities.has(value.id)) seed.entities.set(value.id, value);
    }
  });
}

/**
 * The hidden attributes of an object: each comes from the object it references when that one has
 * the field (a session error's `provider_id` is its provider run's), else from the filter's values.
 */
export function hiddenValues(
  resource: ResourceModel,
  body: JsonObject,
  find: (resourceName: string, id: string) => StoredItem | undefined,
  resources: Iterable<ResourceModel>,
  random: Random | undefined,
): Record<string, Json> | undefined {
  if (!resource.hidden.size) return undefined;
  const hidden: Record<string, Json> = {};
  for (const [name, values] of resource.hidden) {
    for (const other of resources) {
      const reference = body[`${other.singular}_id`];
      if (other === resource || typeof reference !== 'string' || !(name in (other.schema.properties ?? {}))) continue;
      const referenced = find(other.name, reference);
      if (referenced) hidden[name] = referenced.body[name] ?? null;
    }
    if (!(name in hidden) && values.length) hidden[name] = random ? random.pick(values) : (values[0] ?? null);
  }
  return hidden;
}

/**
 * Generates the sandbox's data from the spec's examples: every example object as it is, then
 * generated ones up to `count` per resource, spread over `contexts` parents, with `created_at`
 * through 2025. Deterministic: the same model and options give the same data.
 */
export function generateSeed(model: SandboxModel, options: SeedOptions = {}): Seed {
  const resolved: Required<SeedOptions> = { seed: options.seed ?? 1, count: options.count ?? 100, counts: options.counts ?? {}, contexts: options.contexts ?? 2 };
  for (const count of [resolved.count, ...Object.values(resolved.counts)]) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`A count must be a whole number of 1 or more, not ${count}.`);
  }
  const random = new Random(resolved.seed);
  const maker = new ObjectMaker(model, random);
  const seed: Seed = { options: resolved, collections: new Map(), entities: new Map(), references: new Map() };
  const find = (name: string, id: string) => {
    const collection = seed.collections.get(name);
    const at = collection?.index.get(id);
    return at === undefined ? undefined : collection?.items[at];
  };
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  const span = 364 * 24 * 3600 * 1000;
  const resources = [...model.resources.values()];
  for (const resource of dependencyOrder(resources)) {
    const items: StoredItem[] = [];
    const ids = new Set<string>();
    const add = (body: JsonObject) => {
      ids.add(String(body.id));
      items.push({ body });
    };
    for (const example of resource.examples) if (!ids.has(String(example.id))) add(structuredClone(example));
    const count = resolved.counts[resource.name] ?? resolved.count;
    const step = span / count;
    for (let i = items.length; i < count; i++) {
      const context = i % resolved.contexts;
      const template = random.pick(resource.examples);
      const representative = maker.contextId(context, `${resource.idPrefix}${'X'.repeat(resource.idLength)}`);
      let id = context > 0 && !ids.has(representative) ? representative : random.id(resource.idPrefix, resource.idLength);
      while (ids.has(id)) id = random.id(resource.idPrefix, resource.idLength);
      const base = start + Math.floor(i * step) + random.int(Math.max(1, Math.floor(step / 2)));
      add(maker.make(template, resource.schema, id, context, base - (firstDate(template) ?? base)));
    }
    items.sort(compareItems);
    const collection: SeedCollection = { resource, items, index: new Map(items.map((item, i) => [String(item.body.id), i])) };
    seed.collections.set(resource.name, collection);
    for (const item of items) {
      const hidden = hiddenValues(resource, item.body, find, resources, random);
      if (hidden) item.hidden = hidden;
      catalogue(seed, item.body);
    }
  }
  return seed;
}

/**
 * The document of one object (the logs of a provider run), made from the spec's example for that
 * object alone: the same parent always gets the same document.
 */
export function documentFor(document: DocumentModel, resource: ResourceModel, parent: JsonObject, model: SandboxModel, seed: number): JsonObject {
  const example = document.example;
  const exampleParentId = document.parentField ? example[document.parentField] : undefined;
  const exampleParent = resource.examples.find((e) => e.id === exampleParentId) ?? resource.examples[0];
  const parentStart = firstDate(parent) ?? 0;
  const offset = parentStart - (firstDate(exampleParent ?? {}) ?? parentStart);
  if (parent.id === exampleParentId) return structuredClone(example);
  let hash = seed;
  for (const char of String(parent.id)) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  const maker = new ObjectMaker(model, new Random(hash));
  const made = maker.make(example, document.schema, String(parent.id), 0, offset);
  if (document.parentField) made[document.parentField] = parent.id ?? null;
  return made;
}
