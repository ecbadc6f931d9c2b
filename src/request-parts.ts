/**
 * What openapi-fetch builds in place of a Request when the platform's fetch sends the call: the URL
 * and the init it would have built the Request from. The platform's fetch builds a Request from its
 * arguments in any case, and copies a Request it is given (Fetch standard, "fetch" step 2), so
 * handing it a Request made by openapi-fetch makes two per call, each with its own AbortSignal: on
 * Node 20 about a tenth of the CPU of a call over loopback (bench/RESULTS.md). openapi-fetch reads
 * only `method` of what it builds (and gives it to middleware, which reads `method` too).
 */
export class RequestParts {
  constructor(
    readonly url: string,
    readonly init: RequestInit & { method: string },
  ) {}

  get method(): string {
    return this.init.method;
  }
}

/** Sends the parts with the platform's fetch, the attempt's signal beside them. */
export function sendParts(parts: RequestParts, { signal }: { signal: AbortSignal }): Promise<Response> {
  parts.init.signal = signal;
  return globalThis.fetch(parts.url, parts.init);
}
