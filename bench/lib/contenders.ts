import type createFetchClient from 'openapi-fetch';
import type { paths } from '../../generated/schema.d.ts';
import { importClientPackage } from './client-package-build.ts';

/**
 * The contenders of `npm run bench:client`. Each makes the same call, `GET /server-runs?limit=10&order=desc`
 * with the API key, and reads the JSON answer, the way its users would write it.
 */
export const contenderNames = [
  'openapi-fetch',
  'ours: get',
  'ours: GET',
  'vendor SDK',
  'ofetch',
  'ofetch, with timeout',
  'ky',
  'fetch',
  'fetch, with a signal',
] as const;
/**
 * Bare openapi-fetch sending the headers our client sends (the key and its User-Agent), header for
 * header: against it, what is left is the client's own work.
 */
export const sameHeadersName = 'openapi-fetch, our headers';
export type ContenderName = (typeof contenderNames)[number] | typeof sameHeadersName;
/** Every contender a bench process can run. */
export const measuredContenders: readonly ContenderName[] = [...contenderNames, sameHeadersName];

const benchKey = 'metorial_sk_benchmark';
const query = { limit: 10, order: 'desc' } as const;
const authorization = { Authorization: `Bearer ${benchKey}` };

/**
 * One call of a contender, made once and reused, on the platform's fetch (`globalThis.fetch`, which
 * the no-I/O runs replace before they call this), as users would run it.
 */
export async function makeContender(name: ContenderName, baseUrl: string, clientModule: string): Promise<() => Promise<unknown>> {
  switch (name) {
    case 'openapi-fetch':
    case sameHeadersName: {
      const createFetch = ((await import('openapi-fetch')) as { default: typeof createFetchClient }).default;
      const headers = name === sameHeadersName ? await headersOfOurClient(clientModule) : authorization;
      const client = createFetch<paths>({ baseUrl, headers });
      return () => client.GET('/server-runs', { params: { query } });
    }
    case 'ours: get':
    case 'ours: GET': {
      const { createClient } = await importClientPackage(clientModule);
      const client = createClient({ apiKey: benchKey, baseUrl });
      return name === 'ours: get'
        ? () => client.get('/server-runs', { params: { query } })
        : () => client.GET('/server-runs', { params: { query } });
    }
    case 'vendor SDK': {
      const { Metorial } = await import('@metorial/sdk');
      const client = new Metorial({ apiKey: benchKey, apiHost: baseUrl });
      return () => client.servers.runs.list(query);
    }
    case 'ofetch':
    case 'ofetch, with timeout': {
      // With `timeout`, ofetch gives fetch a signal (AbortSignal.timeout) as our client does for its
      // timeout and cancellation; without it (its default), a call can neither time out nor be cancelled.
      const { ofetch } = await import('ofetch');
      const client = ofetch.create({ baseURL: baseUrl, headers: authorization, ...(name === 'ofetch' ? {} : { timeout: 60_000 }) });
      return () => client('/server-runs', { query });
    }
    case 'fetch':
    case 'fetch, with a signal': {
      // The floor: the platform's fetch by hand, the URL written out, no client at all; and the same
      // giving fetch what a client needs to time out or cancel a call (a signal, and a timer to fire it).
      const url = `${baseUrl}/server-runs?limit=10&order=desc`;
      const init = { headers: authorization };
      if (name === 'fetch') return async () => (await fetch(url, init)).json();
      return async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 60_000);
        try {
          return await (await fetch(url, { ...init, signal: controller.signal })).json();
        } finally {
          clearTimeout(timer);
        }
      };
    }
    case 'ky': {
      const { default: ky } = await import('ky');
      const client = ky.create({ prefixUrl: baseUrl, headers: authorization });
      return () => client.get('server-runs', { searchParams: query }).json();
    }
  }
}

/** The headers our client sends with every request, read off one request to a fetch that records them. */
async function headersOfOurClient(clientModule: string): Promise<Record<string, string>> {
  const { createClient } = await importClientPackage(clientModule);
  let sent: Headers | undefined;
  const record = async (request: Request) => {
    sent = request.headers;
    return Response.json({ object: 'list', items: [], pagination: { has_more_before: false, has_more_after: false } });
  };
  await createClient({ apiKey: benchKey, baseUrl: 'http://127.0.0.1:9', fetch: record }).get('/server-runs');
  return Object.fromEntries(sent!);
}
