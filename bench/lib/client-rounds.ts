/**
 * One process's share of `npm run bench:client` (see ../client-throughput.ts, which runs several):
 * requests per second of each contender, side by side in alternated rounds, against a local keep-alive
 * server and a stub fetch, printed as one JSON line of medians; or, with `heap`, the heap of bare
 * openapi-fetch and of our client over 100,000 requests.
 *
 *   node --expose-gc --import tsx bench/lib/client-rounds.ts throughput|heap <client module URL>
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type createFetchClient from 'openapi-fetch';
import type { paths } from '../../generated/schema.d.ts';
import { importCompiledClient } from './compiled-client.ts';
import { median } from './measure.ts';

const [mode, clientModule] = process.argv.slice(2);
if ((mode !== 'throughput' && mode !== 'heap') || !clientModule) {
  throw new Error('usage: client-rounds.ts throughput|heap <URL of the compiled client module>');
}
const { createClient } = await importCompiledClient(clientModule);

const body = JSON.stringify({
  object: 'list',
  items: [{ object: 'session.error', id: 'ser_1', code: 'X', message: 'm', data: {}, status: 'processed', session_id: 'ses_1', provider_run_id: null, connection_id: null, group_id: null, similar_error_count: 1, created_at: '2025-01-01T00:00:00.000Z' }],
  pagination: { has_more_before: false, has_more_after: false },
});
const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
const key = 'metorial_sk_benchmark';
const query = { limit: 10, session_id: ['ses_a', 'ses_b'] };

type Contender = { name: string; call: () => Promise<unknown> };

/**
 * A module instance of openapi-fetch of a contender's own. Contenders that shared one would share its
 * functions' type feedback, so each would run code the JIT specialised for the mix of all of them (one
 * sends a signal, another a custom fetch): a bias that changed from run to run by several percent.
 * Our compiled client imports openapi-fetch by name, an instance no other contender uses.
 */
const openapiFetchInstances = new Map<string, typeof createFetchClient>();
async function ownOpenapiFetch(contender: string): Promise<typeof createFetchClient> {
  let instance = openapiFetchInstances.get(contender);
  if (!instance) {
    const url = `${import.meta.resolve('openapi-fetch')}?contender=${encodeURIComponent(contender)}`;
    instance = ((await import(url)) as { default: typeof createFetchClient }).default;
    openapiFetchInstances.set(contender, instance);
  }
  return instance;
}

/** The headers our client sends with every request (its User-Agent beside the key), read off one request. */
async function headersOfOurClient(): Promise<Record<string, string>> {
  let sent: Headers | undefined;
  const capture = async (request: Request) => {
    sent = request.headers;
    return new Response(body, { headers });
  };
  await createClient({ apiKey: key, baseUrl: 'http://127.0.0.1:1', fetch: capture }).get('/session-errors');
  return Object.fromEntries(sent!);
}
const ourHeaders = await headersOfOurClient();

async function contenders(
  baseUrl: string,
  fetchImpl: (request: Request) => Promise<Response>,
  extra: { allowInsecureHttp?: boolean } = {},
): Promise<Contender[]> {
  const bareClient = async (contender: string, clientHeaders: Record<string, string>) =>
    (await ownOpenapiFetch(contender))<paths>({ baseUrl, fetch: fetchImpl, headers: clientHeaders });
  const authorization = { Authorization: `Bearer ${key}` };
  const bare = await bareClient('openapi-fetch', authorization);
  // The same request as ours, header for header: what is left between the two is the client's own work.
  const bareSameHeaders = await bareClient('openapi-fetch, our headers', ourHeaders);
  const bareWithSignal = await bareClient('openapi-fetch + signal', authorization);
  const bareWithTimer = await bareClient('openapi-fetch + signal + timer', authorization);
  const ours = createClient({ apiKey: key, baseUrl, fetch: fetchImpl, ...extra });
  return [
    {
      name: 'raw fetch',
      call: async () => {
        const url = `${baseUrl}/session-errors?limit=10&session_id=ses_a&session_id=ses_b`;
        const response = await fetchImpl(new Request(url, { headers: { Authorization: `Bearer ${key}` } }));
        return response.json();
      },
    },
    { name: 'openapi-fetch', call: () => bare.GET('/session-errors', { params: { query } }) },
    { name: 'openapi-fetch, our headers', call: () => bareSameHeaders.GET('/session-errors', { params: { query } }) },
    // The least a client with per-request timeouts must add: an abort signal on the Request, and a timer.
    { name: 'openapi-fetch + signal', call: () => bareWithSignal.GET('/session-errors', { params: { query }, signal: new AbortController().signal }) },
    {
      name: 'openapi-fetch + signal + timer',
      call: async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 60_000);
        try {
          return await bareWithTimer.GET('/session-errors', { params: { query }, signal: controller.signal });
        } finally {
          clearTimeout(timer);
        }
      },
    },
    { name: 'our client', call: () => ours.get('/session-errors', { params: { query } }) },
  ];
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Full collections with a turn of the event loop after each, so finalizers run: undici frees a
 * Request's abort wiring in one, and a loop on a stub fetch never yields to let them.
 */
async function collectGarbage(passes: number): Promise<void> {
  for (let i = 0; gc && i < passes; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function rate(call: () => Promise<unknown>, requests: number, concurrency: number): Promise<number> {
  // Each round starts on a collected heap, so no contender pays for the garbage of the one before.
  // Without this the contenders that put a signal in each Request grew the heap by 1.9 KB a request
  // until the stub rounds ended (600 MB), and every contender ran slower for it.
  await collectGarbage(2);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) await call();
    }),
  );
  return requests / ((performance.now() - started) / 1000);
}

export type Medians = Record<string, number>;

/**
 * Rounds alternate between contenders, each round in a rotated order so that every contender runs in
 * every position alike; the median round of each is kept.
 */
async function compare(list: Contender[], requests: number, concurrency: number, rounds: number): Promise<Medians> {
  for (const c of list) await rate(c.call, Math.min(requests, 500), concurrency); // warm-up
  const results = new Map<string, number[]>(list.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < list.length; i++) {
      const c = list[(round + i) % list.length]!;
      results.get(c.name)!.push(await rate(c.call, requests, concurrency));
    }
  }
  return Object.fromEntries([...results].map(([name, values]) => [name, median(values)]));
}

async function heapAfterFullCollection(): Promise<number> {
  await collectGarbage(4);
  return process.memoryUsage().heapUsed;
}

/** Heap after a full collection every tenth of the way through `total` requests of one contender. */
async function heapCurve(call: () => Promise<unknown>, total: number): Promise<number[]> {
  const heapAt: number[] = [];
  for (let done = 0; done < total; ) {
    await Promise.all(Array.from({ length: 100 }, call));
    done += 100;
    if (done % (total / 10) === 0) heapAt.push(await heapAfterFullCollection());
  }
  return heapAt;
}

/** The heap curve of bare openapi-fetch and of our client, as Markdown table rows. */
async function heapGrowth(total: number): Promise<void> {
  if (!gc) throw new Error('heap: run with node --expose-gc');
  const stub = async () => new Response(body, { headers });
  const all = await contenders('http://bench.invalid', stub, { allowInsecureHttp: true });
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  for (const contender of all.filter((c) => c.name === 'openapi-fetch' || c.name === 'our client')) {
    const heapAt = await heapCurve(contender.call, total);
    console.log(`| ${contender.name} | ${heapAt.map(mb).join(', ')} | ${mb(heapAt.at(-1)! - heapAt[0]!)} MB |`);
  }
}

if (mode === 'heap') {
  await heapGrowth(100_000);
} else {
  const server = createServer((_request, response) => response.writeHead(200, headers).end(body));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const network = await compare(await contenders(baseUrl, (request) => fetch(request)), 1_000, 10, 7);
    const stub = await compare(await contenders(baseUrl, async () => new Response(body, { headers })), 4_000, 10, 13);
    console.log(JSON.stringify({ network, stub }));
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
