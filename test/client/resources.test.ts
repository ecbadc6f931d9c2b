import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedSpec } from '../../scripts/lib/paths.ts';
import { allMethods, type ResourceMethod, resourceModel } from '../../scripts/lib/sdk/resource-model.ts';
import { documentedRequest, operationsOf } from '../../scripts/lib/spec-requests.ts';
import { AbortedError, createClient, MetorialConfigurationError, MetorialError, type MetorialClient, NotFoundError } from '../../src/index.ts';
import { apiError, FaultServer, json, type RecordedRequest } from '../support/fault-server.ts';

/**
 * The resource methods against a local server: for every operation of the spec, the resource call
 * sends the very request the path-string call sends and fails with the same error, and list methods
 * resolve the first page and iterate every item. Operations come from the spec; none is named here.
 */
const document = JSON.parse(readFileSync(generatedSpec, 'utf8'));
const methods = allMethods(resourceModel(document)).map(({ resource, method }) => ({ chain: [...resource.chain, method.name], method }));
const operations = operationsOf(document);
const key = 'metorial_sk_resourcestest';

/** The arguments of both styles for one operation, from its documented example request. */
function callsFor(chain: string[], method: ResourceMethod) {
  const operation = operations.find((o) => o.operationId === method.operationId)!;
  const values = documentedRequest(operation);
  const query = method.query ? { limit: 3 } : undefined;
  const options = { headers: { 'X-Trace': 'resources-test' }, timeout: 5_000 };
  const positional = [...method.pathArguments.map((a) => values.path[a.name]), ...(method.body ? [values.body] : []), ...(method.query ? [query] : []), options];
  const init = { params: { path: values.path, ...(query ? { query } : {}) }, ...(method.body ? { body: values.body } : {}), ...options };
  return {
    resource: (client: MetorialClient) => {
      const owner = chain.slice(0, -1).reduce<any>((at, name) => at[name], client);
      return owner[chain.at(-1)!](...positional) as Promise<unknown>;
    },
    path: (client: MetorialClient) => (client as any)[method.method](method.path, init) as Promise<unknown>,
  };
}
const comparable = (request: RecordedRequest) => ({ method: request.method, url: request.url, body: request.body, trace: request.headers['x-trace'] });
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('resolved'),
    (error: MetorialError) => ({ name: error.name, status: error.status, code: error.code, operation: error.operation, message: error.message }),
  );

describe('resource methods', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await FaultServer.start();
  });
  afterAll(() => server.stop());
  const client = () => createClient({ apiKey: key, baseUrl: server.url, maxRetries: 0 });

  it('cover every operation of the spec once', () => {
    expect(methods.map((m) => m.method.operationId).sort()).toEqual(operations.map((o) => o.operationId).sort());
    expect(methods.map((m) => m.chain.join('.'))).toEqual(expect.arrayContaining(['runs.list', 'runs.get', 'sessions.providerRuns.list', 'sessionTemplateProviders.update', 'providerRuns.logs']));
  });

  describe.each(methods.map((m) => [m.chain.join('.'), m] as const))('%s', (_name, { chain, method }) => {
    const calls = callsFor(chain, method);
    const page = { object: 'list', items: [{ id: 'x_1' }], pagination: { has_more_before: false, has_more_after: false } };
    const answer = method.list ? page : { id: 'x_1', object: 'thing' };

    it(`sends what the path style sends (${method.method.toUpperCase()} ${method.path}) and resolves the same body`, async () => {
      server.plan([], json(200, answer));
      const byResource = await calls.resource(client());
      const [sentByResource] = server.requests.splice(0);
      const byPath = await calls.path(client());
      const [sentByPath] = server.requests.splice(0);
      expect(comparable(sentByResource!)).toEqual(comparable(sentByPath!));
      expect(sentByResource!.headers['x-trace']).toBe('resources-test');
      expect(byResource).toEqual(byPath);
    });

    it('fails with the same error', async () => {
      server.plan([], apiError(404, 'not_found'));
      const byResource = await errorOf(calls.resource(client()));
      const byPath = await errorOf(calls.path(client()));
      expect(byResource).toEqual(byPath);
      expect(byResource).toMatchObject({ name: 'NotFoundError', status: 404, operation: `${method.method.toUpperCase()} ${method.path}` });
    });
  });

  it('refuse a missing or unsafe path id before sending, as the path style does', async () => {
    server.plan([]);
    const metorial = client();
    await expect(metorial.runs.get(undefined as unknown as string)).rejects.toThrow(MetorialConfigurationError);
    await expect(metorial.sessions.providerRuns.get('ses_1', '../runs')).rejects.toThrow(/path parameter provider_run_id holds "\/"/);
    expect(server.requests).toHaveLength(0);
  });

  it('take a signal: an aborted call rejects with AbortedError', async () => {
    server.plan([{ kind: 'stall', ms: 10_000 }]);
    const controller = new AbortController();
    const call = client().serverRuns.get('srun_1', { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toThrow(AbortedError);
  });

  it('are built once per client, when first read', () => {
    const metorial = client();
    expect(metorial.sessions.providerRuns).toBe(metorial.sessions.providerRuns);
    expect(Object.keys(metorial)).toEqual(expect.arrayContaining(['get', 'paginate', 'runs', 'sessions']));
  });
});

describe('list methods', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await FaultServer.start();
  });
  afterAll(() => server.stop());
  const ids = Array.from({ length: 7 }, (_, i) => `run_${i}`);
  /** Pages of 3 after `after`, as the API pages. */
  const paging = (request: RecordedRequest) => {
    const after = new URL(request.url, 'http://x').searchParams.get('after');
    const start = after === null ? 0 : ids.indexOf(after) + 1;
    return json(200, { object: 'list', items: ids.slice(start, start + 3).map((id) => ({ id })), pagination: { has_more_before: start > 0, has_more_after: start + 3 < ids.length } });
  };
  const client = () => createClient({ apiKey: key, baseUrl: server.url, maxRetries: 0 });

  it('resolve the first page', async () => {
    server.plan([], { kind: 'compute', respond: paging });
    const page = await client().runs.list({ limit: 3 });
    expect(page.items.map((run) => run.id)).toEqual(['run_0', 'run_1', 'run_2']);
    expect(page.pagination.has_more_after).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('iterate every item with for await, asking for the first page once', async () => {
    server.plan([], { kind: 'compute', respond: paging });
    const seen: string[] = [];
    for await (const run of client().runs.list({ limit: 3, order: 'asc' })) seen.push(run.id);
    expect(seen).toEqual(ids);
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('after'))).toEqual([null, 'run_2', 'run_5']);
  });

  it('collect up to a bound, and give pages', async () => {
    server.plan([], { kind: 'compute', respond: paging });
    expect((await client().runs.list().collect({ max: 4 })).map((run) => run.id)).toEqual(['run_0', 'run_1', 'run_2', 'run_3']);
    server.plan([], { kind: 'compute', respond: paging });
    const sizes: number[] = [];
    for await (const page of client().sessions.errors.list('ses_1').pages()) sizes.push(page.items.length);
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('reject the promise and the loop alike on an error', async () => {
    server.plan([], apiError(404, 'not_found'));
    await expect(client().runs.list()).rejects.toThrow(NotFoundError);
    const loop = async () => {
      for await (const run of client().runs.list()) void run;
    };
    await expect(loop()).rejects.toThrow(NotFoundError);
  });
});
