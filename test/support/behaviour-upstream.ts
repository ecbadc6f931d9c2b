import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { OpenAPI3 } from 'openapi-typescript';
import { creationsOf } from '../../scripts/lib/checks/links.ts';
import { type ListModel, modelOf } from '../../scripts/lib/checks/model.ts';
import { valueAt } from '../../scripts/lib/checks/walk.ts';
import { mergedShapes } from '../../scripts/lib/schema-node.ts';
import { type Operation, resolverFor, type Schema } from '../../scripts/lib/spec-requests.ts';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

/** Behaviours an upstream can get wrong on purpose, each on one operation, for the checks to catch. */
export type BehaviourFault =
  /** A page asked for with `after` leaves out its first item. */
  | 'skip-item'
  /** A page asked for with `after` starts with the `after` item again. */
  | 'repeat-item'
  /** The last page says `has_more_after: true`. */
  | 'wrong-has-more'
  /** `before` is ignored: the page is the list's first. */
  | 'ignore-before'
  /** `order=desc` is served ascending. */
  | 'ignore-order'
  /** A malformed `cursor` is ignored instead of refused. */
  | 'accept-malformed-cursor'
  /** Every filter is ignored. */
  | 'ignore-filters'
  /** Indexed one-or-many filters (`id[0]=a`) are ignored (only `id=a&id=b` is read). */
  | 'ignore-indexed-filters'
  /** A nested list holds every parent's items; its item read answers for any parent. */
  | 'ignore-scope'
  /** A deleted object is still read, updated and listed. */
  | 'serve-deleted'
  /** An update leaves `updated_at` as it was. */
  | 'stale-updated-at'
  /** A request without a key, or with a malformed one, is served. */
  | 'accept-no-key'
  /** Every key sees the first key's objects. */
  | 'leak-tenant'
  /** A create's object is not in the list. */
  | 'unlisted-create';

type Item = Record<string, any>;

interface Tenant {
  /** Items by the path of their unscoped list. */
  collections: Map<string, Item[]>;
  deleted: Map<string, Item>;
}

/** Items each unscoped list holds at the start, per key. */
const seeded = 7;

/**
 * A stand-in for a server that behaves as the spec describes, on 127.0.0.1, derived from the spec
 * as the checks are: lists with pagination, filters and scopes, creates with the operations their
 * links name, a tenant per key. `faults` makes it get one behaviour wrong on one operation, so a
 * test can see that the right check catches it on that operation.
 */
export class BehaviourUpstream {
  private readonly server: Server;
  private readonly model;
  private readonly tenants = new Map<string, Tenant>();
  private readonly examples = new Map<string, Item>();
  private clock = Date.parse('2026-01-01T00:00:00.000Z');
  faults = new Map<string, BehaviourFault>();
  /** Every request received: method and path with query. */
  readonly requests: { method: string; url: string }[] = [];

  constructor(private readonly document: OpenAPI3) {
    this.model = modelOf(document);
    const resolve = resolverFor(document);
    for (const list of this.model.lists) {
      const json = resolve<any>((document.paths as any)[list.operation.path].get.responses['200']).content['application/json'];
      this.examples.set(list.operation.path, resolve<any>(Object.values(json.examples)[0]!).value.items[0]);
    }
    for (const creation of creationsOf(document)) {
      const json = resolve<any>((document.paths as any)[creation.create.path].post.responses['200']).content['application/json'];
      if (!this.examples.has(creation.create.path)) this.examples.set(creation.create.path, resolve<any>(Object.values(json.examples)[0]!).value);
    }
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  private tick(): string {
    this.clock += 1_000;
    return new Date(this.clock).toISOString();
  }

  /** The seeded items of a tenant: varied in every property a filter or a scope reads, ids unique to the tenant. */
  private tenant(key: string): Tenant {
    const existing = this.tenants.get(key);
    if (existing) return existing;
    const tag = `t${this.tenants.size}`;
    const tenant: Tenant = { collections: new Map(), deleted: new Map() };
    const resolve = resolverFor(this.document);
    for (const list of this.model.lists.filter((l) => !l.operation.path.includes('{'))) {
      const example = this.examples.get(list.operation.path)!;
      const prefix = String(example.id).split('_')[0];
      const varied = new Set([...list.filters.flatMap((f) => (f.property ? [f.property[0]!] : [])), ...this.model.lists.filter((l) => l.scope?.unscoped === list).map((l) => l.scope!.property)]);
      const itemSchema = this.itemSchema(list, resolve);
      const items: Item[] = [];
      for (let i = 0; i < seeded; i++) {
        const item: Item = structuredClone(example);
        item.id = `${prefix}_${tag}x${i}`;
        for (const name of varied) {
          if (name === 'id' || typeof item[name] === 'object') continue;
          const schema = resolve<Schema>(itemSchema.properties?.[name] ?? {});
          // An enum's values, or the known values of an open list (`x-extensible-enum`, DECISIONS E1).
          const listed = (schema.enum ?? (schema as { 'x-extensible-enum'?: unknown[] })['x-extensible-enum']) as string[] | undefined;
          const values = listed ?? (schema.format === 'date-time' ? undefined : [0, 1, 2].map((n) => `${item[name]}_${n}`));
          item[name] = values ? values[i % values.length] : new Date(Date.parse('2025-06-01T00:00:00Z') + i * 3_600_000).toISOString();
        }
        for (const nested of ['deployment', 'config', 'auth_config']) if (item[nested]?.id) item[nested] = { ...item[nested], id: `${item[nested].id}_${i % 2}` };
        item.created_at = this.tick();
        items.push(item);
      }
      tenant.collections.set(list.operation.path, items);
    }
    this.tenants.set(key, tenant);
    return tenant;
  }

  private itemSchema(list: ListModel, resolve: ReturnType<typeof resolverFor>): Schema {
    const json = resolve<any>((this.document.paths as any)[list.operation.path].get.responses['200']).content['application/json'];
    return mergedShapes(resolve<Schema>(resolve<Schema>(resolve<Schema>(json.schema).properties!.items!).items!), resolve);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    this.requests.push({ method: request.method ?? '', url: request.url ?? '' });
    const url = new URL(request.url ?? '/', 'http://upstream');
    const send = (status: number, body: unknown): void => void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const error = (status: number, code: string, message: string): void => send(status, { object: 'error', status, code, message });
    const match = this.route(request.method ?? 'GET', url.pathname);
    if (!match) return error(404, 'not_found', `No route ${request.method} ${url.pathname}.`);
    const { operation, path } = match;
    const fault = this.faults.get(operation.operationId);
    const key = /^Bearer (metorial_sk_\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!key && fault !== 'accept-no-key') return error(401, 'unauthorized', 'Missing or malformed API key.');
    const tenant = this.tenant(fault === 'leak-tenant' || !key ? [...this.tenants.keys()][0] ?? key ?? 'anonymous' : key);
    const list = this.model.lists.find((l) => l.operation === operation);
    if (list) return this.list(list, path, url.searchParams, tenant, fault, send, error);
    const collectionPath = operation.path.replace(/\/\{[^}]+\}$/, '');
    const home = this.collectionOf(collectionPath);
    if (operation.method === 'post' && !operation.path.endsWith('}')) {
      const body = text ? JSON.parse(text) : {};
      const item: Item = { ...structuredClone(this.examples.get(operation.path)!), id: `${String(this.examples.get(operation.path)!.id).split('_')[0]}_new${this.clock}` };
      for (const [name, value] of Object.entries(body)) if (name in item) item[name] = value;
      item.created_at = this.tick();
      if ('updated_at' in item) item.updated_at = item.created_at;
      if (!tenant.collections.has(operation.path)) tenant.collections.set(operation.path, []);
      if (fault !== 'unlisted-create') tenant.collections.get(operation.path)!.push(item);
      else tenant.deleted.set(`hidden:${item.id}`, item);
      return send(200, item);
    }
    // Neither a list nor one of its items (a run's logs): the operation's own example.
    if (!home) return send(200, this.answerExample(operation));
    const id = path.at(-1)!;
    const items = tenant.collections.get(home.path) ?? [];
    let item = items.find((i) => i.id === id) ?? tenant.deleted.get(`hidden:${id}`);
    if (!item && fault === 'serve-deleted') item = tenant.deleted.get(id);
    if (item && home.scope && path.length > 1 && item[home.scope.property] !== path[0] && fault !== 'ignore-scope') item = undefined;
    if (!item) return error(404, 'not_found', `No ${id}.`);
    if (operation.method === 'get') return send(200, item);
    if (operation.method === 'patch') {
      const body = text ? JSON.parse(text) : {};
      for (const [name, value] of Object.entries(body)) if (name in item) item[name] = value;
      if (fault !== 'stale-updated-at') item.updated_at = this.tick();
      return send(200, item);
    }
    if (fault !== 'serve-deleted') items.splice(items.indexOf(item), 1);
    tenant.deleted.set(id, item);
    return send(200, { ...item, ...('status' in item ? { status: 'deleted' } : {}) });
  }

  private answerExample(operation: Operation): unknown {
    const resolve = resolverFor(this.document);
    const json = resolve<any>((this.document.paths as any)[operation.path][operation.method].responses['200']).content['application/json'];
    return resolve<any>(Object.values(json.examples)[0]!).value;
  }

  /** The list (unscoped or nested) whose items a path's collection holds: `/provider-runs` for both lists of provider runs. */
  private collectionOf(path: string): (ListModel & { path: string }) | undefined {
    const list = this.model.lists.find((l) => l.operation.path === path);
    if (!list) return undefined;
    const unscoped = list.scope?.unscoped ?? list;
    return { ...list, path: unscoped.operation.path };
  }

  private route(method: string, pathname: string): { operation: Operation; path: string[] } | undefined {
    for (const operation of this.model.operations) {
      if (operation.method !== method.toLowerCase()) continue;
      const pattern = new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
      const found = pattern.exec(pathname);
      if (found) return { operation, path: found.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  }

  private list(list: ListModel, path: string[], query: URLSearchParams, tenant: Tenant, fault: BehaviourFault | undefined, send: (s: number, b: unknown) => void, error: (s: number, c: string, m: string) => void): void {
    const home = this.collectionOf(list.operation.path)!;
    let items = [...(tenant.collections.get(home.path) ?? [])];
    if (list.scope && fault !== 'ignore-scope') items = items.filter((i) => i[list.scope!.property] === path[0]);
    if (fault !== 'ignore-filters') {
      for (const filter of list.filters) {
        const values = [...query.getAll(filter.name), ...(fault === 'ignore-indexed-filters' ? [] : [...query.keys()].filter((k) => new RegExp(`^${filter.name}\\[\\d+\\]$`).test(k)).map((k) => query.get(k)!))];
        const at = (item: Item) => (filter.property ? valueAt(item, filter.property) : undefined);
        if (values.length) items = items.filter((i) => values.includes(String(at(i))));
        const eq = query.get(`${filter.name}[eq]`);
        const ne = query.get(`${filter.name}[ne]`);
        const gt = query.get(`${filter.name}[gt]`);
        const lt = query.get(`${filter.name}[lt]`);
        if (eq !== null) items = items.filter((i) => String(at(i)) === eq);
        if (ne !== null) items = items.filter((i) => String(at(i)) !== ne);
        if (gt !== null) items = items.filter((i) => at(i) !== null && Date.parse(String(at(i))) > Date.parse(gt));
        if (lt !== null) items = items.filter((i) => at(i) !== null && Date.parse(String(at(i))) < Date.parse(lt));
      }
    }
    const cursor = query.get('cursor');
    if (cursor !== null && !cursor.startsWith('cur_') && fault !== 'accept-malformed-cursor') return error(400, 'bad_request', 'Malformed cursor.');
    const limit = Number(query.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > (list.pagination.maxLimit ?? 100)) return error(400, 'bad_request', 'limit must be 1-100.');
    items.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || String(a.id).localeCompare(String(b.id)));
    if (query.get('order') === 'desc' && fault !== 'ignore-order') items.reverse();
    const after = query.get('after');
    const before = fault === 'ignore-before' ? null : query.get('before');
    let start = 0;
    let end = Math.min(items.length, limit);
    if (after !== null) {
      start = items.findIndex((i) => i.id === after) + 1;
      if (fault === 'repeat-item') start = Math.max(0, start - 1);
      if (fault === 'skip-item') start += 1;
      end = Math.min(items.length, start + limit);
    } else if (before !== null) {
      end = Math.max(0, items.findIndex((i) => i.id === before));
      start = Math.max(0, end - limit);
    }
    const page = items.slice(start, end);
    const hasMoreAfter = end < items.length || (fault === 'wrong-has-more' && end === items.length);
    send(200, { object: 'list', items: page, pagination: { has_more_before: start > 0, has_more_after: hasMoreAfter } });
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
