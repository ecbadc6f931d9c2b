import { describe, expect, inject, it } from 'vitest';
import { createClient } from '../../src/index.ts';

/** A fetch that records the request and answers an empty list, so we can see what goes on the wire. */
function recordingFetch() {
  const requests: Request[] = [];
  const fetch = async (input: Request) => {
    requests.push(input);
    return Response.json({ object: 'list', items: [], pagination: { has_more_before: false, has_more_after: false } });
  };
  return { fetch, requests };
}

describe('createClient', () => {
  it('sends the key as a bearer token, and the API version when given', async () => {
    const { fetch, requests } = recordingFetch();
    const client = createClient({ apiKey: 'metorial_sk_abc', baseUrl: 'http://127.0.0.1:1', fetch, metorialVersion: '2026-01-01-magnetar' });
    await client.GET('/server-runs');
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer metorial_sk_abc');
    expect(requests[0]?.headers.get('metorial-version')).toBe('2026-01-01-magnetar');
  });

  it('defaults to the production API', async () => {
    const { fetch, requests } = recordingFetch();
    await createClient({ apiKey: 'metorial_sk_abc', fetch }).GET('/server-runs');
    expect(requests[0]?.url).toBe('https://api.metorial.com/server-runs');
  });

  it('repeats a one-or-many filter given several ids, and sends one id plainly', async () => {
    const { fetch, requests } = recordingFetch();
    const client = createClient({ apiKey: 'metorial_sk_abc', baseUrl: 'http://127.0.0.1:1/', fetch });
    await client.GET('/provider-runs', { params: { query: { session_id: ['ses_a', 'ses_b'], provider_id: 'pro_c' } } });
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe('/provider-runs');
    expect(url.searchParams.getAll('session_id')).toEqual(['ses_a', 'ses_b']);
    expect(url.searchParams.getAll('provider_id')).toEqual(['pro_c']);
  });

  it('writes object filters in deepObject style', async () => {
    const { fetch, requests } = recordingFetch();
    const client = createClient({ apiKey: 'metorial_sk_abc', baseUrl: 'http://127.0.0.1:1', fetch });
    await client.GET('/runs', {
      params: { query: { created_at: { gt: '2025-01-01T00:00:00Z', lt: '2025-02-01T00:00:00Z' }, status: { eq: 'success' } } },
    });
    const url = new URL(requests[0]!.url);
    expect(url.searchParams.get('created_at[gt]')).toBe('2025-01-01T00:00:00Z');
    expect(url.searchParams.get('created_at[lt]')).toBe('2025-02-01T00:00:00Z');
    expect(url.searchParams.get('status[eq]')).toBe('success');
  });

});

describe('the encodings the client sends are the ones the mock accepts', () => {
  const client = () => createClient({ apiKey: 'metorial_sk_test', baseUrl: inject('mockUrl') });

  it('several ids for a one-or-many filter', async () => {
    const { response } = await client().GET('/session-errors', {
      params: { query: { session_id: ['ses_a', 'ses_b'], type: ['provider_discovery_failed', 'message_processing_timeout'] } },
    });
    expect(response.status).toBe(200);
  });

  it('a deepObject date range', async () => {
    const { response } = await client().GET('/runs', {
      params: { query: { completed_at: { gt: '2025-01-01T00:00:00Z', lt: '2025-12-31T23:59:59Z' }, id: { ne: 'run_x' } } },
    });
    expect(response.status).toBe(200);
  });

  it('a structured content object in place of text', async () => {
    const { response, data } = await client().POST('/runs', {
      body: { agent_id: 'agent_1', content: { parts: [{ type: 'text', text: 'Hi' }] } },
    });
    expect(response.status).toBe(200);
    expect(data?.agent_id).toMatch(/^agent_/);
  });
});
