import { type Operation, queryString, type RequestValues } from '../spec-requests.ts';
import type { Ledger } from './ledger.ts';

/** One request a check sent and what came back; `request` is how reports name it. */
export interface Exchange {
  /** `GET /provider-runs?limit=2&after=prn_1`, as sent (the key never appears). */
  request: string;
  status: number;
  body: any;
}

export interface CallOptions {
  /** `null` sends no Authorization header; a string sends it as the whole header value. Default: `Bearer <key>`. */
  authorization?: string | null;
  /** Appended to the query as is (`&session_id[0]=a&session_id[1]=b`), for encodings the spec does not document. */
  rawQuery?: string;
  /** Send straight to the server, not through the validating proxy (a keyless request, a malformed cursor). */
  direct?: boolean;
}

/**
 * Sends the checks' requests with one API key. Every write passes the run's Ledger guard first, so a
 * check never writes to an object its run did not create. `validated` is the base URL through
 * Prism's validating proxy (or the server itself); `direct` the server itself, for requests whose
 * point is the server's own answer.
 */
export class CheckClient {
  requests = 0;

  constructor(
    private readonly urls: { validated: string; direct: string },
    private readonly apiKey: string,
    readonly ledger: Ledger,
    private readonly timeoutMs = 30_000,
    private readonly signal?: AbortSignal,
  ) {}

  /** The same client with another key (the tenancy check's second key), sharing the ledger. */
  withKey(apiKey: string): CheckClient {
    return new CheckClient(this.urls, apiKey, this.ledger, this.timeoutMs, this.signal);
  }

  /** The same client with a request count of its own. */
  fresh(): CheckClient {
    return new CheckClient(this.urls, this.apiKey, this.ledger, this.timeoutMs, this.signal);
  }

  async call(operation: Operation, values: RequestValues, options: CallOptions = {}): Promise<Exchange> {
    this.ledger.assertMayWrite(operation, values);
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values.path[name] ?? ''));
    let query = queryString(operation, values.query);
    if (options.rawQuery) query = query ? `${query}&${options.rawQuery}` : `?${options.rawQuery}`;
    const authorization = options.authorization === undefined ? `Bearer ${this.apiKey}` : options.authorization;
    const base = options.direct ? this.urls.direct : this.urls.validated;
    const hasBody = values.body !== undefined;
    this.requests++;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const attempt = () =>
      fetch(`${base}${path}${query}`, {
        method: operation.method.toUpperCase(),
        headers: { ...(authorization === null ? {} : { Authorization: authorization }), ...(hasBody ? { 'Content-Type': 'application/json' } : {}) },
        ...(hasBody ? { body: JSON.stringify(values.body) } : {}),
        signal: this.signal ? AbortSignal.any([this.signal, timeout]) : timeout,
      });
    // A keep-alive socket the server closed as we reused it (a loaded machine) is no answer: a read is sent once more, a write never.
    const response = await attempt().catch((error: unknown) => {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? '';
      if (operation.method === 'get' && !this.signal?.aborted && /ECONNRESET|UND_ERR_SOCKET|EPIPE/.test(cause)) return attempt();
      throw error;
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { request: `${operation.method.toUpperCase()} ${readable(`${path}${query}`)}`, status: response.status, body };
  }
}

/** A URL path and query with its percent-escapes decoded where they decode, for reading in a report. */
function readable(pathAndQuery: string): string {
  try {
    return decodeURI(pathAndQuery).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
  } catch {
    return pathAndQuery;
  }
}

/** `status 400 (session_template_id names no session template)`: the status, and the error's message when the body has one. */
export function statusOf(exchange: Exchange): string {
  const message = typeof exchange.body?.message === 'string' ? exchange.body.message : undefined;
  return `status ${exchange.status}${message && exchange.status >= 400 ? ` (${message.length > 300 ? `${message.slice(0, 300)}…` : message})` : ''}`;
}
