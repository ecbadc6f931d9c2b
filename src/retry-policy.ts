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

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const day = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const longDay = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const month = `(${months.join('|')})`;
const time = '(\\d{2}):(\\d{2}):(\\d{2})';
// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete rfc850-date and asctime-date a recipient must accept.
const imfFixdate = new RegExp(`^${day}, (\\d{2}) ${month} (\\d{4}) ${time} GMT$`);
const rfc850Date = new RegExp(`^${longDay}, (\\d{2})-${month}-(\\d{2}) ${time} GMT$`);
const asctimeDate = new RegExp(`^${day} ${month} ([ \\d]\\d) ${time} (\\d{4})$`);

function utc(year: number, monthName: string, dayOfMonth: string, hours: string, minutes: string, seconds: string): number | undefined {
  const [d, h, m, s] = [dayOfMonth, hours, minutes, seconds].map((part) => Number(part.trim())) as [number, number, number, number];
  if (d < 1 || d > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const at = Date.UTC(year, months.indexOf(monthName), d, h, m, s);
  // Date.UTC rolls 31 Feb over into March: such a date is not a date.
  return new Date(at).getUTCDate() === d ? at : undefined;
}

/**
 * An HTTP-date (RFC 9110 §5.6.7) as epoch milliseconds, or undefined when the text is not one. Only
 * the three forms the RFC defines: `Date.parse` accepts far more (`later 5` is a date in 2001 to it).
 * A two-digit rfc850 year is the most recent year with those digits not more than 50 years ahead.
 */
export function parseHttpDate(text: string, now = Date.now()): number | undefined {
  let match = imfFixdate.exec(text);
  if (match) return utc(Number(match[3]), match[2]!, match[1]!, match[4]!, match[5]!, match[6]!);
  match = rfc850Date.exec(text);
  if (match) {
    const thisYear = new Date(now).getUTCFullYear();
    let year = thisYear - (thisYear % 100) + Number(match[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, match[2]!, match[1]!, match[4]!, match[5]!, match[6]!);
  }
  match = asctimeDate.exec(text);
  if (match) return utc(Number(match[6]), match[1]!, match[2]!, match[3]!, match[4]!, match[5]!);
  return undefined;
}

/** delay-seconds (RFC 9110 §10.2.3) and RateLimit-Reset: a non-negative whole number of seconds. */
const delaySeconds = /^\d+$/;

/**
 * The wait the server asked for: `Retry-After` (delay-seconds or an HTTP-date, RFC 9110 §10.2.3),
 * else `RateLimit-Reset` (seconds until the window resets). Undefined when it asked for none or the
 * value is not valid (`-1`, `1.5`, `later 5`): then the normal backoff applies, as RFC 9110 lets a
 * recipient ignore an invalid field.
 */
export function serverRequestedDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (delaySeconds.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = parseHttpDate(retryAfter, now);
    if (date !== undefined) return Math.max(0, date - now);
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && delaySeconds.test(reset)) return Number(reset) * 1000;
  return undefined;
}

/** Exponential backoff with jitter: `initial * 2^retry`, capped, minus up to a quarter at random. */
export function backoffDelayMs(retry: number, delays: RetryDelays, random = Math.random): number {
  const exponential = Math.min(delays.maxMs, delays.initialMs * 2 ** retry);
  return Math.round(exponential * (1 - 0.25 * random()));
}
