import { describe, expect, it } from 'vitest';
import { call, freshKey, walk } from './support.ts';

const exampleSession = 'ses_4dEfGhJkLmNpQrSt';

describe('sandbox lists: pagination', () => {
  it('walks every item of a list once, with exact has_more flags, in both orders', async () => {
    const key = freshKey('pages');
    const ascending = await walk(key, '/provider-runs', 20);
    expect(ascending.ids.length).toBeGreaterThanOrEqual(60); // at least three pages at the default limit
    expect(new Set(ascending.ids).size).toBe(ascending.ids.length);
    expect(ascending.pages[0]).toEqual({ has_more_before: false, has_more_after: true });
    expect(ascending.pages.at(-1)?.has_more_after).toBe(false);
    for (const page of ascending.pages.slice(1)) expect(page.has_more_before).toBe(true);
    const descending = await walk(key, '/provider-runs', 17, 'desc');
    expect(descending.ids).toEqual([...ascending.ids].reverse());
  });

  it('lists oldest first by created_at, and the default limit is the spec\u2019s 20', async () => {
    const page = await call(freshKey(), 'GET', '/session-errors');
    expect(page.body.items).toHaveLength(20);
    const created = page.body.items.map((item: { created_at: string }) => Date.parse(item.created_at));
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });

  it('pages backwards with before, and before=<first item> of the first page is an empty page', async () => {
    const key = freshKey();
    const { ids } = await walk(key, '/runs', 100);
    const middle = ids[30] as string;
    const before = await call(key, 'GET', `/runs?limit=5&before=${middle}`);
    expect(before.body.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(25, 30));
    expect(before.body.pagination).toEqual({ has_more_before: true, has_more_after: true });
    const atStart = await call(key, 'GET', `/runs?limit=5&before=${ids[0]}`);
    expect(atStart.body).toMatchObject({ items: [], pagination: { has_more_before: false, has_more_after: true } });
    const atEnd = await call(key, 'GET', `/runs?limit=5&after=${ids.at(-1)}`);
    expect(atEnd.body).toMatchObject({ items: [], pagination: { has_more_before: true, has_more_after: false } });
    // after wins over before, which wins over cursor (facts: Pagination parameters).
    const both = await call(key, 'GET', `/runs?limit=2&after=${ids[3]}&before=${ids[50]}`);
    expect(both.body.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(4, 6));
  });

  it('takes a cursor (cur_ + the base64url id to continue after) and refuses a malformed one with 400', async () => {
    const key = freshKey();
    const { ids } = await walk(key, '/server-runs', 100);
    const cursor = `cur_${Buffer.from(ids[9] as string).toString('base64url')}`;
    const page = await call(key, 'GET', `/server-runs?limit=3&cursor=${cursor}`);
    expect(page.body.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(10, 13));
    const bad = await call(key, 'GET', '/server-runs?cursor=cur_!!', { direct: true });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ object: 'error', code: 'bad_request' });
  });

  it('answers an after that names no item with 400 in the API\u2019s error body', async () => {
    const answer = await call(freshKey(), 'GET', '/provider-runs?after=prn_doesNotExist1');
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/after names no/);
  });
});

describe('sandbox lists: filters', () => {
  it('filters by one id or many, repeated or in qs\u2019s indexed form', async () => {
    const key = freshKey();
    const all = await walk(key, '/provider-runs', 100);
    const one = await walk(key, `/provider-runs?session_id=${exampleSession}`, 100);
    expect(one.ids.length).toBeGreaterThan(0);
    expect(one.ids.length).toBeLessThan(all.ids.length);
    const page = await call(key, 'GET', `/provider-runs?limit=100&session_id=${exampleSession}`);
    expect(page.body.items.every((r: { session_id: string }) => r.session_id === exampleSession)).toBe(true);
    const other = page.body.items.length ? (await call(key, 'GET', '/provider-runs?limit=100')).body.items.find((r: { session_id: string }) => r.session_id !== exampleSession).session_id : '';
    const repeated = await walk(key, `/provider-runs?session_id=${exampleSession}&session_id=${other}`, 100);
    const indexed = await walk(key, `/provider-runs?session_id[0]=${exampleSession}&session_id[1]=${other}`, 100);
    expect(repeated.ids).toEqual(all.ids.filter((id) => repeated.ids.includes(id)));
    expect(indexed.ids).toEqual(repeated.ids);
    expect(repeated.ids.length).toBe(all.ids.length);
  });

  it('filters runs by deepObject date ranges and by status[eq]/[ne], with exact flags', async () => {
    const key = freshKey();
    const page = await call(key, 'GET', '/runs?limit=100');
    const created = page.body.items.map((r: { created_at: string }) => r.created_at) as string[];
    const from = created[10] as string;
    const to = created[20] as string;
    const ranged = await call(key, 'GET', `/runs?limit=100&created_at[gt]=${from}&created_at[lt]=${to}`);
    expect(ranged.body.items.map((r: { created_at: string }) => r.created_at)).toEqual(created.filter((c) => c > from && c < to));
    const failed = await call(key, 'GET', '/runs?status[eq]=failed');
    expect(failed.body).toMatchObject({ items: [], pagination: { has_more_before: false, has_more_after: false } });
    const success = await walk(key, '/runs?status[eq]=success', 30);
    expect(success.ids.length).toBeGreaterThan(30);
    const notSuccess = await call(key, 'GET', '/runs?status[ne]=success');
    expect(notSuccess.body.items).toEqual([]);
  });

  it('filters by fields of nested objects and by enums (session template providers)', async () => {
    const key = freshKey();
    const all = (await call(key, 'GET', '/session-template-providers?limit=100')).body.items as { id: string; status: string; deployment: { id: string } }[];
    const deployment = all[0]?.deployment.id as string;
    const byDeployment = await call(key, 'GET', `/session-template-providers?limit=100&provider_deployment_id=${deployment}`);
    expect(byDeployment.body.items.map((s: { id: string }) => s.id)).toEqual(all.filter((s) => s.deployment.id === deployment).map((s) => s.id));
    const archived = await call(key, 'GET', '/session-template-providers?limit=100&status=archived');
    expect(archived.body.items.length).toBeGreaterThan(0);
    expect(archived.body.items.every((s: { status: string }) => s.status === 'archived')).toBe(true);
    expect(all.some((s) => s.status === 'deleted')).toBe(false);
  });

  it('scopes a nested list to its parent, and a parent it does not know is a 404', async () => {
    const key = freshKey();
    const nested = await walk(key, `/sessions/${exampleSession}/provider-runs`, 20);
    const filtered = await walk(key, `/provider-runs?session_id=${exampleSession}`, 20);
    expect(nested.ids).toEqual(filtered.ids);
    const errors = await call(key, 'GET', `/sessions/${exampleSession}/errors?limit=100`);
    expect(errors.body.items.every((e: { session_id: string }) => e.session_id === exampleSession)).toBe(true);
    const missing = await call(key, 'GET', '/sessions/ses_noSuchSession1/provider-runs');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ object: 'error', status: 404, code: 'not_found' });
  });
});
