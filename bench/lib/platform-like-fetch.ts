import { benchBody } from './bench-body.ts';

const headers = { 'content-type': 'application/json', 'metorial-req-id': 'req_bench' };

/**
 * A fetch with no I/O that does the work the platform's fetch does around the network, so that what
 * a client costs is not hidden: like undici's fetch (and the Fetch standard's "fetch" steps) it builds
 * a Request from its arguments, which makes the Request follow `init.signal`; rejects at once with the
 * signal's reason when it is aborted; listens for an abort while the answer is pending; and answers a
 * real Response whose body is a stream. The answer comes a turn later, as an answer from the network
 * would. A fetch that never read the signal (the earlier stub) let a client skip making one.
 */
export function platformLikeFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    setImmediate(() => {
      signal.removeEventListener('abort', onAbort);
      if (!signal.aborted) resolve(new Response(benchBody, { status: 200, headers }));
    });
  });
}
