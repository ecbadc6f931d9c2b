import { escapePointer, SpecValidator } from '../src/spec-validator.ts';
import { badRequest, notFound, SandboxError } from './errors.ts';
import { listBody, listPage, listPredicate, pageRequest, type Query } from './list.ts';
import { fieldFor, isObject, type Json, type JsonObject, type ResourceModel, type RouteModel, type SandboxModel, typesOf } from './model.ts';
import { freshId, Random } from './random.ts';
import { documentFor, hiddenValues, ObjectMaker, type Seed, type StoredItem } from './seed.ts';
import { type Collection, type KeySandbox, Sandboxes } from './store.ts';

export interface EngineOptions {
  /** How long a created object's lifecycle takes against its declaration: 1 is as declared, 0.1 ten times faster. Default 1. */
  lifecycleScale?: number;
  /** API keys held at once (least recently used dropped past it). Default 1,000. */
  maxKeys?: number;
  /** The clock, epoch ms; tests may pass their own. */
  now?: () => number;
}

export interface Call {
  route: RouteModel;
  apiKey: string;
  pathValues: Record<string, string>;
  query: Query;
  body: unknown;
}

export interface Answer {
  status: number;
  body: Json | undefined;
  /**
   * `JSON.stringify(body)`, made faster where the engine can: a stored object's text is made once
   * (see StoredTexts). The same characters; absent when the engine has no shortcut.
   */
  text?: () => string;
}

/**
 * The JSON text of stored objects, made once each: a stored object is never changed in place (a
 * write stores a new one, store.ts), so its text never changes either. Keyed weakly by the object;
 * past `limit` objects the cache starts again, so that walking a large collection cannot double its
 * memory.
 */
export class StoredTexts {
  private texts = new WeakMap<JsonObject, string>();
  private count = 0;

  constructor(private readonly limit = 20_000) {}

  of(body: JsonObject): string {
    let text = this.texts.get(body);
    if (text === undefined) {
      text = JSON.stringify(body);
      if (++this.count > this.limit) {
        this.texts = new WeakMap();
        this.count = 1;
      }
      this.texts.set(body, text);
    }
    return text;
  }
}

/**
 * The API's behaviour over the sandbox's data, operation by operation kind (list, get, create,
 * update, delete, document), for any resource the model describes. Errors are thrown as
 * SandboxError with the API's error body.
 */
export class Engine {
  readonly sandboxes: Sandboxes;
  private specValidator: SpecValidator | undefined;
  private readonly scale: number;
  private readonly now: () => number;
  private readonly texts = new StoredTexts();
  /** Called after every write with the key sandbox written to (persistence). */
  onWrite: ((sandbox: KeySandbox) => void) | undefined;

  constructor(
    readonly model: SandboxModel,
    readonly seed: Seed,
    options: EngineOptions = {},
  ) {
    this.sandboxes = new Sandboxes(seed, options.maxKeys);
    this.scale = options.lifecycleScale ?? 1;
    this.now = options.now ?? Date.now;
  }

  handle(call: Call): Answer {
    const sandbox = this.sandboxes.for(call.apiKey);
    const { route } = call;
    const collection = sandbox.collection(route.resource);
    switch (route.kind) {
      case 'list': {
        this.checkParents(route, call.pathValues);
        const page = listPage(collection, pageRequest(route, call.query), listPredicate(route, call.query, call.pathValues));
        const texts: (() => string)[] = [];
        const body = listBody(page, (item) => {
          const rendered = this.render(collection, item);
          texts.push(this.textOf(item, rendered));
          return rendered;
        });
        // The text of JSON.stringify(body): the same keys in the same order, each item's text as kept.
        const text = () => `{"object":${JSON.stringify(body.object)},"items":[${texts.map((t) => t()).join(',')}],"pagination":${JSON.stringify(body.pagination)}}`;
        return { status: 200, body, text };
      }
      case 'get': {
        const item = this.find(collection, route, call.pathValues, true);
        const body = this.render(collection, item);
        return { status: 200, body, text: this.textOf(item, body) };
      }
      case 'document': {
        const parent = this.render(collection, this.find(collection, route, call.pathValues, true));
        if (!route.document) throw new Error(`Route ${route.path} has no document model.`);
        return { status: 200, body: documentFor(route.document, route.resource, parent, this.model, this.seed.options.seed) };
      }
      case 'create': {
        const body = this.checkBody(route, call.body);
        const created = this.create(sandbox, collection, route, body);
        this.onWrite?.(sandbox);
        return { status: 200, body: this.render(collection, created) };
      }
      case 'update': {
        const body = this.checkBody(route, call.body);
        const item = this.find(collection, route, call.pathValues, false);
        const changed = this.applyRequest(route.resource, structuredClone(item.body), body);
        this.touch(changed, item.body);
        const next: StoredItem = { ...item, body: changed };
        collection.replace(String(item.body.id), next);
        this.onWrite?.(sandbox);
        return { status: 200, body: this.render(collection, next) };
      }
      case 'delete': {
        const item = this.find(collection, route, call.pathValues, false);
        const id = String(item.body.id);
        const status = route.resource.softDeleteStatus;
        if (status) {
          const body = { ...structuredClone(item.body), status };
          this.touch(body, item.body);
          collection.replace(id, { ...item, body });
          this.onWrite?.(sandbox);
          return { status: 200, body };
        }
        collection.replace(id, undefined);
        this.onWrite?.(sandbox);
        const answersObject = this.successStatus(route) !== 204;
        return answersObject ? { status: this.successStatus(route), body: item.body } : { status: 204, body: undefined };
      }
    }
  }

  /** Made on first use (a write): compiling the document's schemas is a tenth of the sandbox's start-up, and reads never need it. */
  private get validator(): SpecValidator {
    this.specValidator ??= new SpecValidator(this.model.document as never);
    return this.specValidator;
  }

  private successStatus(route: RouteModel): number {
    const responses = this.validator.operationAt(route.method, route.path)?.responses ?? {};
    return Number(Object.keys(responses).find((s) => s.startsWith('2')) ?? 200);
  }

  /** Nested routes name their parent: an id the sandbox has never seen is a 404 (the spec documents it). */
  private checkParents(route: RouteModel, pathValues: Record<string, string>): void {
    for (const scope of route.scopes) {
      if (scope.target.kind !== 'field') continue;
      const key = scope.target.path.length === 1 ? scope.target.path[0] ?? '' : `${scope.target.path[0]}.id`;
      const known = this.seed.references.get(key);
      const id = pathValues[scope.parameter] ?? '';
      if (known && !known.has(id)) throw notFound(scope.parameter.replace(/_id$/, ''), id);
    }
  }

  /**
   * The object a route's path names, in the scope of its parents (an object of another session is
   * a 404). `readDeleted`: a soft-deleted object is still read (with its `deleted` status), never written.
   */
  private find(collection: Collection, route: RouteModel, pathValues: Record<string, string>, readDeleted: boolean): StoredItem {
    const id = pathValues[route.idParameter ?? ''] ?? '';
    const item = collection.get(id);
    const entity = route.resource.entity;
    if (!item) throw notFound(entity, id);
    for (const scope of route.scopes) {
      if (scope.target.kind !== 'field') continue;
      let at: Json | undefined = item.body;
      for (const key of scope.target.path) at = isObject(at) ? at[key] : undefined;
      if (at !== pathValues[scope.parameter]) throw notFound(entity, id);
    }
    if (!readDeleted && route.resource.softDeleteStatus && item.body.status === route.resource.softDeleteStatus) throw notFound(entity, id);
    return item;
  }

  /** The request body, checked against the operation's schema: a 400 `invalid_data` listing each problem. */
  private checkBody(route: RouteModel, body: unknown): JsonObject {
    if (!route.bodySchema) return {};
    if (body === undefined) throw badRequest('This operation needs a JSON request body.', 'Send Content-Type: application/json and a JSON object.');
    const pointer = `/paths/${escapePointer(route.path)}/${route.method.toLowerCase()}/requestBody/content/application~1json/schema`;
    const validate = this.validator.validatorAt(pointer);
    if (!validate(body)) {
      const errors = (validate.errors ?? []).map((e) => ({
        code: e.keyword,
        message: `${e.instancePath || 'The body'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? `: ${String((e.params as { additionalProperty?: string }).additionalProperty)}` : ''}`,
        path: e.instancePath.split('/').slice(1),
      }));
      throw new SandboxError(400, `The request body is not valid: ${errors.map((e) => e.message).join('; ')}.`, { code: 'invalid_data', errors });
    }
    return body as JsonObject;
  }

  private create(sandbox: KeySandbox, collection: Collection, route: RouteModel, body: JsonObject): StoredItem {
    const resource = route.resource;
    let id = freshId(resource.idPrefix, resource.idLength);
    while (collection.knows(id)) id = freshId(resource.idPrefix, resource.idLength);
    const now = Math.max(this.now(), collection.lastCreated() + 1);
    // The create's own example answer is what a new object looks like (not a deleted one, say).
    const template = (route.successExamples[0] ?? resource.examples[0]) as JsonObject;
    const maker = new ObjectMaker(this.model, new Random(now));
    const created = Date.parse(String(template.created_at ?? new Date(now).toISOString()));
    const object = maker.make(template, resource.schema, id, 0, now - (Number.isNaN(created) ? now : created), false);
    for (const [key, node] of Object.entries(resource.schema.properties ?? {})) {
      if (this.model.resolve(node).format === 'date-time' && typeof object[key] === 'string') object[key] = new Date(now).toISOString();
    }
    this.applyRequest(resource, object, body);
    const item: StoredItem = { body: object };
    const hidden = hiddenValues(resource, object, (name, ref) => sandbox.collections.get(name)?.get(ref), this.model.resources.values(), undefined);
    if (hidden) item.hidden = hidden;
    if (resource.declaration.lifecycle) item.born = now;
    collection.append(item);
    return item;
  }

  /**
   * Writes a request's fields into an object: a field of the object is copied; `X_id` naming a
   * nested object (`provider_deployment_id` -> `deployment`) puts that object there, and copies its
   * fields the object shares (`provider_id`) unless the request gave them; declared request fields
   * run their declaration. A reference to an id the sandbox does not have is a 400 `invalid_data`.
   */
  private applyRequest(resource: ResourceModel, object: JsonObject, body: JsonObject): JsonObject {
    const properties = resource.schema.properties ?? {};
    const errors: { message: string; code: string; path: string[] }[] = [];
    const placed: JsonObject[] = [];
    for (const [field, value] of Object.entries(body)) {
      const declared = resource.declaration.requestFields?.[field];
      if (declared) {
        declared(value as Json, object);
        continue;
      }
      const path = fieldFor(field, resource.schema, this.model.resolve);
      if (!path) continue;
      const key = path.join('.');
      const known = this.seed.references.get(key);
      const isReference = field.endsWith('_id') && typeof value === 'string';
      if (isReference && known?.size && !known.has(value)) {
        errors.push({ code: 'not_found', path: [field], message: `${field} names no ${field.replace(/_id$/, '').replaceAll('_', ' ')} of this sandbox: ${JSON.stringify(value)}` });
        continue;
      }
      const [top, nested] = path as [string, string | undefined];
      if (nested === 'id' && isReference) {
        const entity = this.seed.entities.get(value);
        const current = object[top];
        const replacement: JsonObject = entity ? structuredClone(entity) : { ...(isObject(current) ? current : {}), id: value };
        object[top] = replacement;
        placed.push(replacement);
      } else if (top in properties) {
        object[top] = structuredClone(value as Json);
      }
    }
    if (errors.length) {
      throw new SandboxError(400, `The request names what does not exist: ${errors.map((e) => e.message).join('; ')}.`, {
        code: 'invalid_data',
        errors,
        entity: resource.entity,
        hint: 'Use ids the sandbox has: list them first, or take them from the spec\u2019s examples.',
      });
    }
    for (const entity of placed) {
      for (const [field, value] of Object.entries(entity)) {
        if (field !== 'id' && field !== 'object' && field.endsWith('_id') && field in properties && !(field in body)) object[field] = value;
      }
    }
    return object;
  }

  /** Moves `updated_at` on, strictly after its last value. */
  private touch(object: JsonObject, before: JsonObject): void {
    if (!('updated_at' in object)) return;
    const last = typeof before.updated_at === 'string' ? Date.parse(before.updated_at) : 0;
    object.updated_at = new Date(Math.max(this.now(), last + 1)).toISOString();
  }

  /** The text of what `render` gave for `item`: kept when that is the stored object itself, else made. */
  private textOf(item: StoredItem, rendered: JsonObject): () => string {
    return rendered === item.body ? () => this.texts.of(rendered) : () => JSON.stringify(rendered);
  }

  /**
   * The object as the API shows it now: a created object with a declared lifecycle is moved to
   * the phase its age has reached, with the timestamps of that phase (written back once final).
   */
  render(collection: Collection, item: StoredItem): JsonObject {
    const lifecycle = collection.resource.declaration.lifecycle;
    if (item.born === undefined || !lifecycle?.length) return item.body;
    const elapsed = this.now() - item.born;
    const due = (afterMs: number) => item.born! + afterMs * this.scale;
    let reached = 0;
    lifecycle.forEach((phase, i) => {
      if (elapsed >= phase.afterMs * this.scale) reached = i;
    });
    const body = structuredClone(item.body);
    const properties = collection.resource.schema.properties ?? {};
    lifecycle.forEach((phase, i) => {
      for (const field of phase.sets) {
        const nullable = typesOf(this.model.resolve(properties[field] ?? {})).includes('null');
        body[field] = i <= reached || !nullable ? new Date(due(phase.afterMs)).toISOString() : null;
      }
    });
    body.status = lifecycle[reached]?.status ?? body.status ?? null;
    if ('updated_at' in body) body.updated_at = new Date(due(lifecycle[reached]?.afterMs ?? 0)).toISOString();
    if (reached === lifecycle.length - 1) {
      const settled: StoredItem = { ...item, body };
      delete settled.born;
      collection.replace(String(body.id), settled);
    }
    return body;
  }
}
