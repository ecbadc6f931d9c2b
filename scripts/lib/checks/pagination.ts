import type { RunningCheck, Walk } from './context.ts';
import { idList } from './findings.ts';
import type { ListModel } from './model.ts';
import { fetchPage, type Page } from './walk.ts';

/** Pages a walk at one limit fetches, at most, from each end. */
const pagesPerWalk = 4;

const describe = (ids: readonly unknown[], before: unknown, after: unknown) => `items ${idList(ids)}, has_more_before ${before}, has_more_after ${after}`;

/** Compares a page with what it should hold; returns false (after one finding) when it differs. */
function pageMatches(check: RunningCheck, page: Page, expected: { ids: string[]; before: boolean | undefined; after: boolean | undefined }): boolean {
  const actual = page.exchange.status === 200 ? describe(page.ids, page.hasMoreBefore, page.hasMoreAfter) : `status ${page.exchange.status}`;
  const sameIds = page.exchange.status === 200 && page.ids.length === expected.ids.length && page.ids.every((id, i) => id === expected.ids[i]);
  const sameFlags = (expected.before === undefined || page.hasMoreBefore === expected.before) && (expected.after === undefined || page.hasMoreAfter === expected.after);
  if (sameIds && sameFlags) return true;
  check.find(page.exchange, `200 with ${describe(expected.ids, expected.before ?? 'either', expected.after ?? 'either')}`, actual);
  return false;
}

/** The limits to walk at: 1, 2, an odd one (3) and the maximum, each at most the maximum. */
export function limitsOf(list: ListModel): number[] {
  const max = list.pagination.maxLimit ?? 100;
  return [...new Set([1, 2, 3, max].filter((l) => l <= max))];
}

/**
 * Pagination: for each limit (1, 2, 3, the maximum) and each order, walks forward from the start
 * with `after` and back from the end with `before`, and compares every page with the slice of the
 * full list it must be: each item exactly once, in order, with exact `has_more_before` and
 * `has_more_after` at both ends. The full list is `baseline` (walked at the maximum limit, in
 * ascending order); `desc` must be its reverse, and `asc` must not go back in `created_at`.
 */
export async function checkPagination(check: RunningCheck, list: ListModel, path: Record<string, string>, baseline: Walk): Promise<void> {
  const all: string[] = baseline.items.map((item) => item?.id);
  const request = `${list.operation.method.toUpperCase()} ${list.operation.path} (walked with after at limit ${list.pagination.maxLimit})`;
  if (new Set(all).size !== all.length) {
    check.find(request, 'every item exactly once', `repeated: ${idList(all.filter((id, i) => all.indexOf(id) !== i))}`);
    return;
  }
  if (all.length === 0) return check.note('the list is empty: nothing to page through');
  if (!baseline.complete) check.note(`longer than the ${all.length} items walked: the end of the list is not checked`);
  const created = baseline.items.map((item) => Date.parse(item?.created_at));
  const backwards = created.findIndex((t, i) => i > 0 && t < created[i - 1]!);
  if (backwards > 0) check.find(request, 'ascending order by created_at', `${all[backwards]} (${baseline.items[backwards].created_at}) after ${all[backwards - 1]} (${baseline.items[backwards - 1].created_at})`);
  const orders = list.pagination.orders.length ? list.pagination.orders : [undefined];
  for (const order of orders) {
    const expected = order === 'desc' ? [...all].reverse() : all;
    for (const limit of limitsOf(list)) {
      await walkForward(check, list, path, expected, baseline.complete, limit, order);
      if (baseline.complete && list.pagination.before) await walkBackward(check, list, path, expected, limit, order);
    }
  }
}

async function walkForward(check: RunningCheck, list: ListModel, path: Record<string, string>, expected: string[], complete: boolean, limit: number, order: string | undefined): Promise<void> {
  const n = expected.length;
  let after: string | undefined;
  for (let start = 0, pages = 0; pages < pagesPerWalk && start < n; start += limit, pages++) {
    if (pages > 0 && !list.pagination.after) return;
    const page = await fetchPage(check.client, list, path, { limit, ...(order ? { order } : {}), ...(after ? { after } : {}) });
    const ids = expected.slice(start, start + limit);
    const more = start + limit < n ? true : complete ? false : undefined;
    if (!pageMatches(check, page, { ids, before: start > 0, after: more })) return;
    after = ids.at(-1);
  }
}

async function walkBackward(check: RunningCheck, list: ListModel, path: Record<string, string>, expected: string[], limit: number, order: string | undefined): Promise<void> {
  const n = expected.length;
  if (n <= limit) return;
  // The last page, reached with `after` the item before it; then back with `before` its first item.
  let end = n;
  let query: Record<string, unknown> = { after: expected[n - limit - 1] };
  for (let pages = 0; pages < pagesPerWalk && end > 0; pages++) {
    const start = Math.max(0, end - limit);
    const page = await fetchPage(check.client, list, path, { limit, ...(order ? { order } : {}), ...query });
    if (!pageMatches(check, page, { ids: expected.slice(start, end), before: start > 0, after: end < n })) return;
    query = { before: expected[start] };
    end = start;
  }
}

/**
 * Cursor: a malformed `cursor` is a 400 from the server itself (sent straight to it, since Prism
 * would refuse it first); and the documented precedence holds: `after` wins over `before`, which
 * wins over `cursor`.
 */
export async function checkCursor(check: RunningCheck, list: ListModel, path: Record<string, string>, baseline: Walk): Promise<void> {
  if (list.pagination.cursor) {
    const malformed = await check.client.call(list.operation, { path, query: { cursor: 'not-a-cursor' } }, { direct: true });
    if (malformed.status !== 400) check.find(malformed, '400: a malformed cursor is refused by the server', `status ${malformed.status}`);
  }
  const ids: string[] = baseline.items.map((item) => item?.id);
  if (ids.length < 3) return check.note('fewer than 3 items: precedence not checked');
  const limit = 1;
  if (list.pagination.after && list.pagination.before) {
    // With before winning, this would be the item before ids[1], ids[0].
    const both = await fetchPage(check.client, list, path, { limit, after: ids[0], before: ids[1] });
    if (both.ids[0] !== ids[1]) check.find(both.exchange, `after wins over before: items ${idList([ids[1]])}`, both.exchange.status === 200 ? `items ${idList(both.ids)}` : `status ${both.exchange.status}`);
  }
  if (list.pagination.before && list.pagination.cursor) {
    const both = await fetchPage(check.client, list, path, { limit, before: ids[2], cursor: 'cur_behaviour_checks' });
    if (both.ids[0] !== ids[1]) check.find(both.exchange, `before wins over cursor: items ${idList([ids[1]])}`, both.exchange.status === 200 ? `items ${idList(both.ids)}` : `status ${both.exchange.status}`);
  }
}
