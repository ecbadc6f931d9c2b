import type createFetchClient from 'openapi-fetch';
import type { paths } from '../../generated/schema.d.ts';
import { importCompiledClient } from './compiled-client.ts';

/**
 * The contenders of `npm run bench:client`. Each makes the same call, `GET /server-runs?limit=10&order=desc`
 * with the API key, and reads the JSON answer, the way its users would write it.
 */
export const contenderNames = ['openapi-fetch', 'ours: get', 'ours: GET', 'vendor SDK', 'ofetch', 'ky'] as const;
export type ContenderName = (typeof contenderNames)[number];

export const benchKey = 'metorial_sk_benchmark';
const query = { limit: 10, order: 'desc' } as const;
const authorization = { Authorization: `Bearer ${benchKey}` };

type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * One call of a contender, made once and reused. `fetch` replaces the platform's where the contender
 * takes one (the heap and no-I/O runs); undefined means the platform's own, as users would run it.
 */
export async function makeContender(name: ContenderName, baseUrl: string, clientModule: string, fetch?: Fetch): Promise<() => Promise<unknown>> {
  switch (name) {
    case 'openapi-fetch': {
      const createFetch = ((await import('openapi-fetch')) as { default: typeof createFetchClient }).default;
      const client = createFetch<paths>({ baseUrl, headers: authorization, ...(fetch ? { fetch } : {}) });
      return () => client.GET('/server-runs', { params: { query } });
    }
    case 'ours: get':
    case 'ours: GET': {
      const { createClient } = await importCompiledClient(clientModule);
      const client = createClient({ apiKey: benchKey, baseUrl, ...(fetch ? { fetch } : {}) });
      return name === 'ours: get'
        ? () => client.get('/server-runs', { params: { query } })
        : () => client.GET('/server-runs', { params: { query } });
    }
    case 'vendor SDK': {
      const { Metorial } = await import('@metorial/sdk');
      const client = new Metorial({ apiKey: benchKey, apiHost: baseUrl, ...(fetch ? { fetch } : {}) });
      return () => client.servers.runs.list(query);
    }
    case 'ofetch': {
      const { ofetch } = await import('ofetch');
      const client = ofetch.create({ baseURL: baseUrl, headers: authorization, ...(fetch ? { fetch } : {}) });
      return () => client('/server-runs', { query });
    }
    case 'ky': {
      const { default: ky } = await import('ky');
      const client = ky.create({ prefixUrl: baseUrl, headers: authorization, ...(fetch ? { fetch } : {}) });
      return () => client.get('server-runs', { searchParams: query }).json();
    }
  }
}
