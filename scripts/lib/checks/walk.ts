import type { CheckClient, Exchange } from './client.ts';
import type { Walk } from './context.ts';
import type { ListModel } from './model.ts';

/** One page of a list: its items' ids and its `pagination` flags, with the exchange that brought it. */
export interface Page {
  exchange: Exchange;
  ids: string[];
  items: any[];
  hasMoreBefore: unknown;
  hasMoreAfter: unknown;
}

/** Asks for one page; a non-2xx answer or a body that is no list comes back with no items. */
export async function fetchPage(client: CheckClient, list: ListModel, path: Record<string, string>, query: Record<string, unknown>, rawQuery?: string): Promise<Page> {
  const exchange = await client.call(list.operation, { path, query }, rawQuery ? { rawQuery } : {});
  const items: any[] = exchange.status === 200 && Array.isArray(exchange.body?.items) ? exchange.body.items : [];
  return {
    exchange,
    items,
    ids: items.map((item) => item?.id),
    hasMoreBefore: exchange.body?.pagination?.has_more_before,
    hasMoreAfter: exchange.body?.pagination?.has_more_after,
  };
}

/**
 * Walks a list from its start with `after`, at its maximum limit, until `has_more_after` is false,
 * an id comes twice (a server that repeats a page would loop for ever), or `maxPages` pages.
 */
export async function walkList(
  client: CheckClient,
  list: ListModel,
  path: Record<string, string>,
  query: Record<string, unknown>,
  maxPages: number,
  rawQuery?: string,
): Promise<Walk> {
  const items: any[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(client, list, path, { ...query, ...(list.pagination.maxLimit ? { limit: list.pagination.maxLimit } : {}), ...(after ? { after } : {}) }, rawQuery);
    if (page.exchange.status !== 200) return { items, complete: false, failed: page.exchange };
    items.push(...page.items);
    if (page.hasMoreAfter !== true || page.ids.length === 0) return { items, complete: true };
    if (page.ids.some((id) => seen.has(id)) || !list.pagination.after) return { items, complete: false };
    page.ids.forEach((id) => seen.add(id));
    after = page.ids.at(-1);
  }
  return { items, complete: false };
}

/** The value at a JSON Pointer's segments in an item, or undefined. */
export function valueAt(item: unknown, property: readonly string[]): unknown {
  return property.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), item);
}
