import { badRequest } from './errors.ts';
import { type FieldRef, type FilterModel, isObject, type Json, type JsonObject, type RouteModel } from './model.ts';
import type { StoredItem } from './seed.ts';
import type { Collection } from './store.ts';

/** A parsed query string, as `qs` gives it: strings, arrays and objects. */
export type Query = Record<string, unknown>;

export interface Page {
  items: StoredItem[];
  has_more_before: boolean;
  has_more_after: boolean;
}

export function valueAt(item: StoredItem, target: FieldRef): Json | undefined {
  if (target.kind === 'hidden') return item.hidden?.[target.name];
  let at: Json | undefined = item.body;
  for (const key of target.path) at = isObject(at) ? at[key] : undefined;
  return at;
}

/** `a`, `[a, b]` or qs's `{0: a, 1: b}` (indexes past its array limit) as a list of strings. */
function oneOrMany(name: string, value: unknown): string[] {
  const values = Array.isArray(value) ? value : isObject(value) && Object.keys(value).every((k) => /^\d+$/.test(k)) ? Object.values(value) : [value];
  if (!values.length || values.some((v) => typeof v !== 'string' || v === '')) {
    throw badRequest(`The filter ${name} takes one value or several (${name}=a&${name}=b), each a non-empty string.`);
  }
  return values as string[];
}

type Test = (value: Json | undefined) => boolean;

const dateOperators: Record<string, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
};

/** One test per operator of a deepObject filter: `eq`, `ne`, and on dates `gt`, `gte`, `lt`, `lte`. */
function operatorTests(filter: FilterModel, value: unknown): Test[] {
  if (!isObject(value) || !Object.keys(value).length) {
    throw badRequest(`The filter ${filter.name} is an object: write it as ${filter.name}[operator]=value, such as ${filter.name}[${filter.dateTime ? 'gt' : 'eq'}]=...`);
  }
  return Object.entries(value).map(([operator, operand]): Test => {
    if (typeof operand !== 'string' || operand === '') throw badRequest(`${filter.name}[${operator}] needs one non-empty value.`);
    if (operator === 'eq') return (v) => v === operand;
    if (operator === 'ne') return (v) => v !== operand;
    const compare = dateOperators[operator];
    if (!compare) throw badRequest(`${filter.name} has no operator ${JSON.stringify(operator)}.`, `Use ${filter.dateTime ? 'gt or lt' : 'eq or ne'}.`);
    const bound = Date.parse(operand);
    if (Number.isNaN(bound)) throw badRequest(`${filter.name}[${operator}] must be a date-time such as 2025-01-01T00:00:00Z, not ${JSON.stringify(operand)}.`);
    return (v) => typeof v === 'string' && compare(Date.parse(v), bound);
  });
}

/**
 * The test an item must pass to be listed: the route's scope (the parent in the path), every filter
 * given, and, for a resource whose delete is soft, not deleted unless a filter on `status` asks.
 */
export function listPredicate(route: RouteModel, query: Query, pathValues: Record<string, string>): (item: StoredItem) => boolean {
  const tests: { target: FieldRef; test: Test }[] = [];
  for (const scope of route.scopes) {
    const id = pathValues[scope.parameter];
    tests.push({ target: scope.target, test: (v) => v === id });
  }
  let statusFiltered = false;
  for (const filter of route.filters) {
    const value = query[filter.name];
    if (value === undefined) continue;
    if (filter.target.kind === 'field' && filter.target.path.join('.') === 'status') statusFiltered = true;
    if (filter.kind === 'operators') {
      for (const test of operatorTests(filter, value)) tests.push({ target: filter.target, test });
    } else {
      const accepted = new Set(oneOrMany(filter.name, value));
      tests.push({ target: filter.target, test: (v) => typeof v === 'string' && accepted.has(v) });
    }
  }
  const softDeleted = route.resource.softDeleteStatus;
  if (softDeleted && !statusFiltered) tests.push({ target: { kind: 'field', path: ['status'] }, test: (v) => v !== softDeleted });
  return (item) => tests.every(({ target, test }) => test(valueAt(item, target)));
}

export interface PageRequest {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  before?: string;
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw badRequest(`${name} takes one non-empty value.`);
  return value;
}

/** A cursor is `cur_` and the base64url of the id to continue after (SB: the API's format is not published). */
export function cursorFor(id: string): string {
  return `cur_${Buffer.from(id).toString('base64url')}`;
}

/**
 * Reads `limit`, `order`, `after`, `before` and `cursor`. When several anchors are given, `after`
 * wins over `before`, which wins over `cursor` (facts: Pagination parameters).
 * @throws SandboxError 400 naming the parameter and what it takes.
 */
export function pageRequest(route: RouteModel, query: Query): PageRequest {
  const { default: fallback, minimum, maximum } = route.limit;
  const rawLimit = single('limit', query.limit);
  const limit = rawLimit === undefined ? fallback : /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
  if (!Number.isInteger(limit) || limit < minimum || limit > maximum) {
    throw badRequest(`limit must be a whole number from ${minimum} to ${maximum}, not ${JSON.stringify(rawLimit)}.`);
  }
  const order = single('order', query.order) ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw badRequest(`order is asc or desc, not ${JSON.stringify(order)}.`);
  const after = single('after', query.after);
  const before = single('before', query.before);
  const cursor = single('cursor', query.cursor);
  if (after !== undefined) return { limit, order, after };
  if (before !== undefined) return { limit, order, before };
  if (cursor !== undefined) {
    const decoded = /^cur_[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor.slice(4), 'base64url').toString('utf8') : '';
    if (!decoded || cursorFor(decoded) !== cursor) throw badRequest(`The cursor ${JSON.stringify(cursor)} is malformed.`, 'Pass a cursor as the API gave it, or use after=<id of the last item>.');
    return { limit, order, after: decoded };
  }
  return { limit, order };
}

/**
 * One page of a collection: walks from the anchor in the requested order and stops after `limit`
 * matches and one more (so `has_more_after` is exact); `has_more_before` looks back for one match.
 * Without filters that is `limit + 2` steps whatever the collection's size.
 * @throws SandboxError 400 when `after` or `before` names no object of the collection.
 */
export function listPage(collection: Collection, request: PageRequest, matches: (item: StoredItem) => boolean): Page {
  const items = collection.items;
  const step = request.order === 'asc' ? 1 : -1;
  const first = step === 1 ? 0 : items.length - 1;
  const inRange = (i: number) => i >= 0 && i < items.length;
  const anchorId = request.after ?? request.before;
  let anchor: number | undefined;
  if (anchorId !== undefined) {
    anchor = collection.position(anchorId);
    if (anchor === undefined) {
      const name = request.after !== undefined ? 'after' : 'before';
      throw badRequest(`${name} names no ${collection.resource.entity} of this list: ${JSON.stringify(anchorId)}.`, `Use the id of an item a page of this list returned.`);
    }
  }
  const matching = (i: number) => {
    const item = items[i];
    return item !== undefined && matches(item);
  };
  /** Up to `count` matching positions from `from` on, walking by `by`. */
  const collect = (from: number, by: number, count: number): number[] => {
    const found: number[] = [];
    for (let i = from; inRange(i) && found.length < count; i += by) if (matching(i)) found.push(i);
    return found;
  };
  const anyFrom = (from: number, by: number) => collect(from, by, 1).length > 0;

  if (request.before !== undefined && anchor !== undefined) {
    // The `limit` matches just before the anchor in the requested order, still given in that order.
    const found = collect(anchor - step, -step, request.limit + 1);
    const more = found.length > request.limit;
    const positions = found.slice(0, request.limit).reverse();
    return {
      items: positions.map((i) => items[i] as StoredItem),
      has_more_before: more,
      has_more_after: anyFrom(anchor, step),
    };
  }
  const start = anchor === undefined ? first : anchor + step;
  const found = collect(start, step, request.limit + 1);
  const positions = found.slice(0, request.limit);
  const firstPosition = positions[0];
  return {
    items: positions.map((i) => items[i] as StoredItem),
    has_more_before: anchor === undefined ? false : anyFrom(firstPosition === undefined ? anchor : firstPosition - step, -step),
    has_more_after: found.length > request.limit,
  };
}

/** The list envelope (facts: List envelope). */
export function listBody(page: Page, render: (item: StoredItem) => JsonObject): JsonObject {
  return {
    object: 'list',
    items: page.items.map(render),
    pagination: { has_more_before: page.has_more_before, has_more_after: page.has_more_after },
  };
}
