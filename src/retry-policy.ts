/** When to retry a request, and how long to wait first. */

export interface RetryDelays {
  /** The first backoff delay; each retry doubles it. */
  initialMs: number;
  /** The longest backoff delay, and the longest wait a server may ask for before we give up instead. */
  maxMs: number;
}

export const defaultRetryDelays: RetryDelays = { initialMs: 500, maxMs: 8_000 };

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Safe to send twice: repeating it cannot make the server do the work twice. */
export function isIdempotent(method: string): boolean {
  return idempotentMethods.has(method.toUpperCase());
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * A non-idempotent request (POST, PATCH) is retried only on 429, which says the server did not do
 * the work; on 408 or 5xx the server may have done it.
 */
export function mayRetryResponse(method: string, status: number): boolean {
  return isRetryableStatus(status) && (isIdempotent(method) || status === 429);
}

// Failures of connecting at all: the request never reached the server, so even a POST may be resent.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function connectionErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function neverReachedServer(error: unknown): boolean {
  const code = connectionErrorCode(error);
  return code !== undefined && notSentCodes.has(code);
}

/**
 * The wait the server asked for: `Retry-After` (seconds or an HTTP date), else `RateLimit-Reset`
 * (seconds until the window resets). Undefined when it asked for none.
 */
export function serverRequestedDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('ratelimit-reset');
  if (reset !== null && reset.trim() !== '') {
    const seconds = Number(reset);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  }
  return undefined;
}

/** Exponential backoff with jitter: `initial * 2^retry`, capped, minus up to a quarter at random. */
export function backoffDelayMs(retry: number, delays: RetryDelays, random = Math.random): number {
  const exponential = Math.min(delays.maxMs, delays.initialMs * 2 ** retry);
  return Math.round(exponential * (1 - 0.25 * random()));
}
