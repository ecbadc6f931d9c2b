import { PaginationError } from './errors.ts';

export interface Page<Item> {
  items: Item[];
  pagination: { has_more_after: boolean; has_more_before: boolean };
}

/**
 * Iterates a list operation item by item, asking for the next page with `after=<id of the last
 * item>` while `pagination.has_more_after` is true, as the API pages in either `order`.
 */
export class Paginator<Item extends { id: string }> implements AsyncIterable<Item> {
  constructor(
    private readonly fetchPage: (after: string | undefined) => Promise<Page<Item>>,
    private readonly operation: string,
  ) {}

  /** The pages, one answer at a time. */
  async *pages(): AsyncGenerator<Page<Item>, void, undefined> {
    const cursorsUsed = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = await this.fetchPage(after);
      if (after !== undefined && page.items.some((item) => item.id === after)) {
        throw new PaginationError(`${this.operation} was asked for the items after ${after} and answered a page holding ${after} itself: stopping.`, { operation: this.operation });
      }
      const last = page.items.at(-1);
      if (last && cursorsUsed.has(last.id)) {
        throw new PaginationError(`${this.operation} answered the page ending at ${last.id} again: stopping.`, { operation: this.operation });
      }
      yield page;
      if (!page.pagination.has_more_after || !last) return;
      cursorsUsed.add(last.id);
      after = last.id;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Reads items into an array, stopping at `max`; asks for no page beyond what it needs. */
  async collect({ max }: { max: number }): Promise<Item[]> {
    if (!Number.isInteger(max) || max < 0) {
      throw new RangeError(`collect({ max }) needs a whole number, not ${max}.`);
    }
    const items: Item[] = [];
    if (max === 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= max) break;
    }
    return items;
  }
}
