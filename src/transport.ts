import { AbortedError, ConnectionError, TimeoutError } from './errors.ts';
import {
  backoffDelayMs,
  connectionErrorCode,
  isIdempotent,
  mayRetryResponse,
  neverReachedServer,
  type RetryDelays,
  serverRequestedDelayMs,
} from './retry-policy.ts';

export interface TransportSettings {
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  maxRetries: number;
  retryDelays: RetryDelays;
  log: ((line: string) => void) | undefined;
}

export interface PerRequestSettings {
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

/** What one attempt ended with: an answer, or a failure to get one. */
type Attempt = { response: Response } | { failure: ConnectionError | AbortedError; retryable: boolean };

function describe(request: Request): string {
  const url = new URL(request.url);
  return `${request.method} ${url.pathname}`;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * One attempt, under its own timeout. The body is read inside the timeout too, so a server that
 * sends headers and then stalls is a timeout, and when this returns no timer or socket is left.
 */
async function attempt(request: Request, settings: TransportSettings, timeoutMs: number): Promise<Attempt> {
  const operation = describe(request);
  const callerSignal = request.signal;
  if (callerSignal.aborted) {
    return { failure: new AbortedError(`${operation} was aborted by the caller.`, { operation, cause: callerSignal.reason }), retryable: false };
  }
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(callerSignal.reason);
  callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await settings.fetch(new Request(request.clone(), { signal: controller.signal }));
    const body = nullBodyStatuses.has(response.status) ? null : await response.arrayBuffer();
    return {
      response: new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }),
    };
  } catch (error) {
    if (callerSignal.aborted) {
      return { failure: new AbortedError(`${operation} was aborted by the caller.`, { operation, cause: callerSignal.reason }), retryable: false };
    }
    if (timedOut) {
      // The server may have received the request: a write is not resent.
      return {
        failure: new TimeoutError(`${operation} got no complete answer within ${timeoutMs} ms.`, { operation }),
        retryable: isIdempotent(request.method),
      };
    }
    const code = connectionErrorCode(error);
    return {
      failure: new ConnectionError(`${operation} failed: could not get an answer from the server${code ? ` (${code})` : ''}.`, {
        operation,
        cause: error,
      }),
      retryable: isIdempotent(request.method) || neverReachedServer(error),
    };
  } finally {
    clearTimeout(timer);
    callerSignal.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Sends a request, retrying connection failures, timeouts, 408, 429 and 5xx with exponential backoff
 * and jitter, or after the wait the server asked for. Never resends a write the server may have done.
 */
export async function send(request: Request, settings: TransportSettings, overrides: PerRequestSettings = {}): Promise<Response> {
  const maxRetries = overrides.maxRetries ?? settings.maxRetries;
  const timeoutMs = overrides.timeoutMs ?? settings.timeoutMs;
  const operation = describe(request);
  for (let retry = 0; ; retry++) {
    const outcome = await attempt(request, settings, timeoutMs);
    const attemptsLeft = retry < maxRetries;
    let delayMs: number;
    if ('response' in outcome) {
      const { response } = outcome;
      if (!attemptsLeft || !mayRetryResponse(request.method, response.status)) return response;
      const requested = serverRequestedDelayMs(response.headers);
      if (requested !== undefined && requested > settings.retryDelays.maxMs) {
        settings.log?.(`${operation} → ${response.status}; the server asks to wait ${requested} ms, longer than we retry for`);
        return response;
      }
      delayMs = requested ?? backoffDelayMs(retry, settings.retryDelays);
      settings.log?.(`${operation} → ${response.status}; retry ${retry + 1} of ${maxRetries} in ${delayMs} ms`);
    } else {
      if (!attemptsLeft || !outcome.retryable) throw outcome.failure;
      delayMs = backoffDelayMs(retry, settings.retryDelays);
      settings.log?.(`${operation} → ${outcome.failure.name}; retry ${retry + 1} of ${maxRetries} in ${delayMs} ms`);
    }
    try {
      await abortableSleep(delayMs, request.signal);
    } catch (reason) {
      throw new AbortedError(`${operation} was aborted by the caller.`, { operation, cause: reason });
    }
  }
}
