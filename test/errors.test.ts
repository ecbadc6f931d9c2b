import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient, type MetorialClient } from '../src/index.ts';
import { Contract } from './support/contract.ts';

interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

/** What Prism found wrong with the request, from its `sl-violations` header. */
function violations(response: Response): Violation[] {
  return JSON.parse(response.headers.get('sl-violations') ?? '[]') as Violation[];
}

describe('bad requests get an error body that matches the error schema', () => {
  let contract: Contract;
  let client: MetorialClient;
  let mockUrl: string;
  beforeAll(() => {
    contract = new Contract(inject('specFile'));
    mockUrl = inject('mockUrl');
    client = createClient({ apiKey: 'metorial_sk_test', baseUrl: mockUrl });
  });

  function expectErrorBody(operationId: string, response: Response, body: unknown, status: number): void {
    expect(response.status).toBe(status);
    expect(contract.problems(contract.responseValidator(operationId, status), body)).toEqual([]);
    expect(body).toMatchObject({ object: 'error', status });
  }

  it('a request without a key gets 401', async () => {
    const response = await fetch(`${mockUrl}/provider-runs`);
    expectErrorBody('listProviderRuns', response, await response.json(), 401);
    expect(violations(response)[0]?.location).toEqual(['request']);
  });

  it('a request with a key in the wrong scheme gets 401', async () => {
    const response = await fetch(`${mockUrl}/runs/run_1`, { headers: { Authorization: 'Basic bWV0b3JpYWw6c2VjcmV0' } });
    expectErrorBody('getRun', response, await response.json(), 401);
  });

  it.each([0, 101])('limit=%i is out of range and gets 400', async (limit) => {
    const { response, error } = await client.GET('/provider-runs', { params: { query: { limit } } });
    expectErrorBody('listProviderRuns', response, error, 400);
    expect(violations(response)).toContainEqual(
      expect.objectContaining({ location: ['request', 'query', 'limit'], code: limit < 1 ? 'minimum' : 'maximum' }),
    );
  });

  it('an unknown order gets 400', async () => {
    const { response, error } = await client.GET('/session-errors', {
      // @ts-expect-error `order` is `asc` or `desc`: the type rejects it, and so does the API.
      params: { query: { order: 'sideways' } },
    });
    expectErrorBody('listAllSessionErrors', response, error, 400);
    expect(violations(response)).toContainEqual(expect.objectContaining({ location: ['request', 'query', 'order'], code: 'enum' }));
  });

  it('a malformed date in a deepObject filter gets 400 naming the field', async () => {
    const { response, error } = await client.GET('/runs', { params: { query: { created_at: { gt: 'yesterday' } } } });
    expectErrorBody('listRuns', response, error, 400);
    expect(violations(response)).toContainEqual(
      expect.objectContaining({ location: ['request', 'query', 'created_at', 'gt'], code: 'format' }),
    );
  });

  it('creating a run without agent_id gets 400', async () => {
    const { response, error } = await client.POST('/runs', {
      // @ts-expect-error agent_id is required: the type rejects the body, and so does the API.
      body: { content: 'Hello, world!' },
    });
    expectErrorBody('createRun', response, error, 400);
    expect(violations(response)).toContainEqual(
      expect.objectContaining({ location: ['request', 'body'], code: 'required', message: expect.stringContaining('agent_id') }),
    );
  });

  it('adding a session template provider without session_template_id gets 400', async () => {
    const { response, error } = await client.POST('/session-template-providers', {
      // @ts-expect-error session_template_id is required.
      body: { provider_config_id: 'pcf_7dEfGhJkLmNpQrSt' },
    });
    expectErrorBody('createSessionTemplateProvider', response, error, 400);
    expect(violations(response)).toContainEqual(
      expect.objectContaining({ code: 'required', message: expect.stringContaining('session_template_id') }),
    );
  });

  it('a documented error status can be asked of the mock and matches the error schema', async () => {
    const response = await fetch(`${mockUrl}/runs/run_missing`, {
      headers: { Authorization: 'Bearer metorial_sk_test', Prefer: 'code=404' },
    });
    expectErrorBody('getRun', response, await response.json(), 404);
  });
});
