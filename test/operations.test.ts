import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { operations } from '../generated/schema.d.ts';
import { createClient, type MetorialClient } from '../src/index.ts';
import { responseValidation } from '../src/validation.ts';
import { Contract } from './support/contract.ts';

type OperationId = keyof operations;
type Call = (client: MetorialClient) => Promise<{ response: Response; data?: unknown }>;

const ids = {
  session: 'ses_4dEfGhJkLmNpQrSt',
  providerRun: 'prn_8hJkLmNpQrStUvWx',
  run: 'run_Rm4Mnheq2bfEPhBhP7SY',
  serverRun: 'srun_Rm4Mnheq2bfEPhBhP7SY',
  templateProvider: 'stp_3cDeFgHjKlMnPqRs',
  sessionError: 'ser_6fGhJkLmNpQrStUv',
};

/**
 * One call per operation, through the typed client. The type makes a new operation in the spec a
 * compile error here until it has a call; the test below also checks the list against the spec.
 */
const calls: Record<OperationId, Call> = {
  listRuns: (c) =>
    c.GET('/runs', {
      params: { query: { limit: 10, order: 'desc', created_at: { gt: '2025-01-01T00:00:00Z' }, status: { eq: 'success' } } },
    }),
  getRun: (c) => c.GET('/runs/{run_id}', { params: { path: { run_id: ids.run } } }),
  createRun: (c) =>
    c.POST('/runs', {
      body: { agent_id: 'agent_Rm4Mnheq2bfEPhBhP7SY', content: 'Hello, world!', language: 'en', timezone: 'America/New_York' },
    }),
  listProviderRuns: (c) =>
    c.GET('/provider-runs', { params: { query: { session_id: [ids.session, 'ses_other'], status: 'completed', limit: 5 } } }),
  getProviderRun: (c) => c.GET('/provider-runs/{provider_run_id}', { params: { path: { provider_run_id: ids.providerRun } } }),
  getProviderRunLogs: (c) =>
    c.GET('/provider-runs/{provider_run_id}/logs', { params: { path: { provider_run_id: ids.providerRun } } }),
  listSessionProviderRuns: (c) =>
    c.GET('/sessions/{session_id}/provider-runs', {
      params: { path: { session_id: ids.session }, query: { provider_id: 'pro_5gHjKlMnPqRsTuVw', order: 'asc' } },
    }),
  getSessionProviderRun: (c) =>
    c.GET('/sessions/{session_id}/provider-runs/{provider_run_id}', {
      params: { path: { session_id: ids.session, provider_run_id: ids.providerRun } },
    }),
  getSessionProviderRunLogs: (c) =>
    c.GET('/sessions/{session_id}/provider-runs/{provider_run_id}/logs', {
      params: { path: { session_id: ids.session, provider_run_id: ids.providerRun } },
    }),
  listServerRuns: (c) => c.GET('/server-runs', { params: { query: { limit: 100 } } }),
  getServerRun: (c) => c.GET('/server-runs/{server_run_id}', { params: { path: { server_run_id: ids.serverRun } } }),
  listSessionTemplateProviders: (c) =>
    c.GET('/session-template-providers', {
      params: { query: { status: ['active', 'archived'], session_template_id: 'stm_2bCdEfGhJkLmNpQr' } },
    }),
  getSessionTemplateProvider: (c) =>
    c.GET('/session-template-providers/{session_template_provider_id}', {
      params: { path: { session_template_provider_id: ids.templateProvider } },
    }),
  createSessionTemplateProvider: (c) =>
    c.POST('/session-template-providers', {
      body: { session_template_id: 'stm_2bCdEfGhJkLmNpQr', tool_filters: { tool_keys: ['search_files'] } },
    }),
  updateSessionTemplateProvider: (c) =>
    c.PATCH('/session-template-providers/{session_template_provider_id}', {
      params: { path: { session_template_provider_id: ids.templateProvider } },
      body: { tool_filters: { tool_keys: ['search_files', 'read_file'] } },
    }),
  deleteSessionTemplateProvider: (c) =>
    c.DELETE('/session-template-providers/{session_template_provider_id}', {
      params: { path: { session_template_provider_id: ids.templateProvider } },
    }),
  listAllSessionErrors: (c) =>
    c.GET('/session-errors', { params: { query: { type: 'provider_discovery_failed', session_id: ids.session } } }),
  listSessionErrors: (c) =>
    c.GET('/sessions/{session_id}/errors', {
      params: { path: { session_id: ids.session }, query: { type: ['message_processing_timeout', 'provider_discovery_failed'] } },
    }),
  getSessionError: (c) =>
    c.GET('/sessions/{session_id}/errors/{session_error_id}', {
      params: { path: { session_id: ids.session, session_error_id: ids.sessionError } },
    }),
};

describe('every operation, through the typed client, against the mock', () => {
  let contract: Contract;
  let client: MetorialClient;
  beforeAll(() => {
    contract = new Contract(inject('specFile'));
    // validateResponses: the client's own contract check runs on every answer too.
    client = createClient({ apiKey: 'metorial_sk_test', baseUrl: inject('mockUrl'), validateResponses: responseValidation() });
  });

  it('has a call for each operation of the spec, and no other', () => {
    const inSpec = contract.operations().map((op) => op.operationId).sort();
    expect(Object.keys(calls).sort()).toEqual(inSpec);
    expect(inSpec).toHaveLength(19);
  });

  it.each(Object.entries(calls))('%s answers 2xx with a body that matches its response schema', async (operationId, call) => {
    const { response, data } = await call(client);
    expect(response.status, `sl-violations: ${response.headers.get('sl-violations')}`).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(data).toBeDefined();
    expect(contract.problems(contract.responseValidator(operationId, response.status), data)).toEqual([]);
  });
});
