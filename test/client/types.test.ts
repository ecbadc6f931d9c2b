/**
 * Compile-time guarantees of the client. `npm test` runs `tsc --noEmit` first: each
 * `@ts-expect-error` below fails the build if the line after it ever starts to compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ListItem,
  type ListPromise,
  type MetorialClient,
  type ProviderRunList,
  type ProviderRunLogs,
  type Run,
  type ServerRun,
  type SessionTemplateProvider,
} from '../../src/index.ts';

// Never called: these functions exist to be type-checked.
function wrongPaths(client: MetorialClient) {
  // @ts-expect-error a path the API does not have
  void client.get('/provider-run');
  // @ts-expect-error a method the path does not have
  void client.post('/provider-runs');
  // @ts-expect-error DELETE exists only on session template providers
  void client.delete('/runs/{run_id}', { params: { path: { run_id: 'run_1' } } });
}

function wrongParameters(client: MetorialClient) {
  // @ts-expect-error the path parameter is required
  void client.get('/runs/{run_id}');
  // @ts-expect-error the path parameter is run_id, not id
  void client.get('/runs/{run_id}', { params: { path: { id: 'run_1' } } });
  // @ts-expect-error limit is a number
  void client.get('/provider-runs', { params: { query: { limit: '10' } } });
  // @ts-expect-error order is asc or desc
  void client.get('/provider-runs', { params: { query: { order: 'newest' } } });
  // @ts-expect-error a filter this list does not have
  void client.get('/server-runs', { params: { query: { provider_id: 'pro_1' } } });
  // @ts-expect-error the date filter takes gt and lt, not a bare string
  void client.get('/runs', { params: { query: { created_at: '2025-01-01T00:00:00Z' } } });
  // @ts-expect-error session error types are an enum
  void client.get('/session-errors', { params: { query: { type: ['timeout'] } } });
  // @ts-expect-error per-request options are checked too
  void client.get('/server-runs', { timeout: '5s' });
}

function wrongBodies(client: MetorialClient) {
  // @ts-expect-error agent_id is required
  void client.post('/runs', { body: { content: 'Hi' } });
  // @ts-expect-error content is a string or a content object, not a number
  void client.post('/runs', { body: { agent_id: 'agent_1', content: 42 } });
  // @ts-expect-error a field the body does not have
  void client.post('/runs', { body: { agent_id: 'agent_1', content: 'Hi', agent: 'x' } });
  // @ts-expect-error tool_filters takes tool_keys
  void client.patch('/session-template-providers/{session_template_provider_id}', { params: { path: { session_template_provider_id: 'stp_1' } }, body: { tool_filters: { tools: ['a'] } } });
  // @ts-expect-error a list cannot be paginated unless it is a list
  void client.paginate('/runs/{run_id}', { params: { path: { run_id: 'run_1' } } });
}

function wrongResourceCalls(client: MetorialClient) {
  // @ts-expect-error the run id is required
  void client.runs.get();
  // @ts-expect-error a method the resource does not have (the compiler suggests 'get')
  void client.runs.retrieve('run_1');
  // @ts-expect-error a resource the API does not have
  void client.run.get('run_1');
  // @ts-expect-error limit is a number
  void client.providerRuns.list({ limit: '10' });
  // @ts-expect-error the session id comes first
  void client.sessions.providerRuns.list({ limit: 10 });
  // @ts-expect-error agent_id is required
  void client.runs.create({ content: 'Hi' });
  // @ts-expect-error tool_filters takes tool_keys
  void client.sessionTemplateProviders.update('stp_1', { tool_filters: { tools: ['a'] } });
  // @ts-expect-error per-call options are checked too
  void client.serverRuns.get('srun_1', { timeout: '5s' });
  // @ts-expect-error a read-only resource has no create
  void client.serverRuns.create({});
}

// Only for type queries: no client exists at run time.
declare const typedClient: MetorialClient;

// Never called either: calling would send requests.
function typedResults(client: MetorialClient) {
  expectTypeOf(client.get('/runs/{run_id}', { params: { path: { run_id: 'run_r' } } })).resolves.toEqualTypeOf<Run>();
  expectTypeOf(client.get('/server-runs/{server_run_id}', { params: { path: { server_run_id: 's' } } })).resolves.toEqualTypeOf<ServerRun>();
  expectTypeOf(client.get('/provider-runs/{provider_run_id}/logs', { params: { path: { provider_run_id: 'p' } } })).resolves.toEqualTypeOf<ProviderRunLogs>();
  expectTypeOf(
    client.delete('/session-template-providers/{session_template_provider_id}', { params: { path: { session_template_provider_id: 'x' } } }),
  ).resolves.toEqualTypeOf<SessionTemplateProvider | undefined>();
}

// Never called: the resource methods resolve what the path style resolves.
function resourceResults(client: MetorialClient) {
  expectTypeOf(client.runs.get('run_r')).resolves.toEqualTypeOf<Run>();
  expectTypeOf(client.serverRuns.get('s')).resolves.toEqualTypeOf<ServerRun>();
  expectTypeOf(client.providerRuns.logs('p')).resolves.toEqualTypeOf<ProviderRunLogs>();
  expectTypeOf(client.sessionTemplateProviders.delete('x')).resolves.toEqualTypeOf<SessionTemplateProvider | undefined>();
  expectTypeOf(client.sessions.providerRuns.list('ses_1')).toEqualTypeOf<ListPromise<ProviderRunList>>();
  expectTypeOf(client.sessions.providerRuns.list('ses_1')).resolves.toEqualTypeOf<Awaited<ReturnType<typeof client.get<'/sessions/{session_id}/provider-runs'>>>>();
  expectTypeOf<ReturnType<typeof client.providerRuns.list> extends AsyncIterable<infer Item> ? Item : never>().toEqualTypeOf<ListItem<'/provider-runs'>>();
}

describe('client types', () => {
  it('rejects wrong resource calls and resolves the same types as the path style (checked by tsc)', () => {
    expectTypeOf(wrongResourceCalls).toBeFunction();
    expectTypeOf(resourceResults).toBeFunction();
  });

  it('rejects wrong paths, parameters and bodies (checked by tsc)', () => {
    expectTypeOf(wrongPaths).toBeFunction();
    expectTypeOf(wrongParameters).toBeFunction();
    expectTypeOf(wrongBodies).toBeFunction();
  });

  it('resolves the throwing style to the typed body (checked by tsc)', () => {
    expectTypeOf(typedResults).toBeFunction();
  });

  it('narrows nullable and const fields as the spec says', () => {
    type ProviderRunItem = ListItem<'/provider-runs'>;
    // Either shape of a provider run (DECISIONS S7): the page's status is nullable, the newer one's is not.
    expectTypeOf<ProviderRunItem['status']>().toEqualTypeOf<string | null>();
    expectTypeOf<ProviderRunItem['object']>().toEqualTypeOf<'session.provider_run'>();
    expectTypeOf<ListItem<'/session-template-providers'>['tool_filter']['type']>().toEqualTypeOf<'v1.allow_all' | 'v1.filter' | 'allow_all' | 'filter'>();
    expectTypeOf<ListItem<'/server-runs'>['stopped_at']>().toEqualTypeOf<string | null>();
  });

  it('keeps the result style of openapi-fetch', () => {
    type Result = Awaited<ReturnType<typeof typedClient.GET<'/runs'>>>;
    expectTypeOf<Result['data']>().toEqualTypeOf<{ object: 'list'; items: Run[]; pagination: { has_more_before: boolean; has_more_after: boolean } } | undefined>();
  });
});
