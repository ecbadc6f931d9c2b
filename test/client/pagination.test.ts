import { afterAll, beforeAll, describe, expect, expectTypeOf, inject, it } from 'vitest';
import { createClient, PaginationError, type ProviderRun, type SessionError } from '../../src/index.ts';
import { responseValidation } from '../../src/validation.ts';
import { FaultServer, json, type RecordedRequest } from '../support/fault-server.ts';

const key = 'metorial_sk_pagingtest';

/** A faithful fake of the API's paging: `limit`, `order`, and `after` = the id to continue after. */
function pagingApi(ids: string[]) {
  return (request: RecordedRequest) => {
    const query = new URL(request.url, 'http://x').searchParams;
    const ordered = query.get('order') === 'desc' ? [...ids].reverse() : ids;
    const limit = Number(query.get('limit') ?? 20);
    const after = query.get('after');
    const start = after === null ? 0 : ordered.indexOf(after) + 1;
    const items = ordered.slice(start, start + limit).map((id) => ({ id }));
    return json(200, {
      object: 'list',
      items,
      pagination: { has_more_before: start > 0, has_more_after: start + limit < ordered.length },
    });
  };
}

const ids = Array.from({ length: 45 }, (_, i) => `ser_${String(i).padStart(3, '0')}`);

describe('auto-pagination against a paging server', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await FaultServer.start();
  });
  afterAll(() => server.stop());
  const client = () => createClient({ apiKey: key, baseUrl: server.url });
  /** A page of these ids that says there is more after it. */
  const pageWithMore = (...pageIds: string[]) =>
    json(200, { object: 'list', items: pageIds.map((id) => ({ id })), pagination: { has_more_before: false, has_more_after: true } });
  /** Iterates /session-errors into `seen`, as a caller's loop would. */
  const iterateInto = async (seen: string[]) => {
    for await (const item of client().paginate('/session-errors')) seen.push(item.id);
  };

  it.each(['asc', 'desc'] as const)('yields every item once, in %s order, following after=<last id>', async (order) => {
    server.plan([], { kind: 'compute', respond: pagingApi(ids) });
    const seen: string[] = [];
    for await (const error of client().paginate('/session-errors', { params: { query: { limit: 10, order, session_id: 'ses_1' } } })) {
      seen.push(error.id);
    }
    expect(seen).toEqual(order === 'asc' ? ids : [...ids].reverse());
    expect(server.requests).toHaveLength(5);
    const afters = server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('after'));
    expect(afters).toEqual([null, ...[9, 19, 29, 39].map((i) => seen[i])]);
    for (const request of server.requests) {
      const query = new URL(request.url, 'http://x').searchParams;
      expect(query.get('session_id')).toBe('ses_1');
      expect(query.get('limit')).toBe('10');
    }
  });

  it('collects up to a bound and asks for no page beyond it', async () => {
    server.plan([], { kind: 'compute', respond: pagingApi(ids) });
    const first = await client().paginate('/session-errors', { params: { query: { limit: 10 } } }).collect({ max: 12 });
    expect(first.map((e) => e.id)).toEqual(ids.slice(0, 12));
    expect(server.requests).toHaveLength(2);
  });

  it('refuses a collect without a sensible bound', async () => {
    await expect(client().paginate('/session-errors').collect({ max: -1 })).rejects.toThrow(RangeError);
  });

  it('iterates page by page too', async () => {
    server.plan([], { kind: 'compute', respond: pagingApi(ids) });
    const sizes: number[] = [];
    for await (const page of client().paginate('/session-errors', { params: { query: { limit: 20 } } }).pages()) sizes.push(page.items.length);
    expect(sizes).toEqual([20, 20, 5]);
  });

  it('stops with a PaginationError when the server repeats a page while saying there is more', async () => {
    server.plan([], pageWithMore('ser_a', 'ser_b'));
    const seen: string[] = [];
    await expect(iterateInto(seen)).rejects.toBeInstanceOf(PaginationError);
    expect(seen).toEqual(['ser_a', 'ser_b']);
    expect(server.requests).toHaveLength(2);
  });

  it('stops with a PaginationError when a page repeats the item it was asked to continue after', async () => {
    server.plan([pageWithMore('ser_a', 'ser_b'), pageWithMore('ser_b', 'ser_c')]);
    const seen: string[] = [];
    await expect(iterateInto(seen)).rejects.toThrow(/asked for the items after ser_b and answered a page holding ser_b itself/);
    expect(seen).toEqual(['ser_a', 'ser_b']);
    expect(server.requests).toHaveLength(2);
  });

  it('stops with a PaginationError when the pages come round again', async () => {
    server.plan([pageWithMore('ser_a', 'ser_b'), pageWithMore('ser_c', 'ser_d')], pageWithMore('ser_a', 'ser_b'));
    const seen: string[] = [];
    await expect(iterateInto(seen)).rejects.toBeInstanceOf(PaginationError);
    expect(seen).toEqual(['ser_a', 'ser_b', 'ser_c', 'ser_d']);
    expect(server.requests).toHaveLength(3);
  });

  it('ends when a page is empty even if the server says there is more', async () => {
    server.plan([], json(200, { object: 'list', items: [], pagination: { has_more_before: false, has_more_after: true } }));
    await expect(client().paginate('/session-errors').collect({ max: 100 })).resolves.toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('auto-pagination against the mock', () => {
  it('reads two pages: a first page with more after it, then the last page', async () => {
    const client = createClient({
      apiKey: 'metorial_sk_test',
      baseUrl: inject('mockUrl'),
      // Prism keeps no state: ask it for the "first page" example until the client pages on.
      fetch: (request) => {
        if (!new URL(request.url).searchParams.has('after')) request.headers.set('Prefer', 'example=ProviderRunListFirstPage');
        return fetch(request);
      },
      validateResponses: responseValidation(),
    });
    const runs: ProviderRun[] = [];
    for await (const run of client.paginate('/sessions/{session_id}/provider-runs', { params: { path: { session_id: 'ses_4dEfGhJkLmNpQrSt' } } })) {
      runs.push(run);
    }
    expect(runs.map((run) => run.id)).toEqual(['prn_2bCdEfGhJkLmNpQr', 'prn_8hJkLmNpQrStUvWx']);
  });

  it('types each item as the list item of its path', () => {
    const client = createClient({ apiKey: 'metorial_sk_test', baseUrl: 'http://127.0.0.1:1' });
    expectTypeOf(client.paginate('/session-errors')).toMatchTypeOf<AsyncIterable<SessionError>>();
    expectTypeOf(client.paginate('/provider-runs').collect).returns.resolves.toEqualTypeOf<ProviderRun[]>();
  });
});
