/** When to retry a request, and how long to wait first. */

export interface RetryDelays {
  /** The first backoff delay; each retry doubles it. */
  initialMs: number;
  /** The longest backoff delay, and the longest wait a server may ask for before we give up instead. */
  maxMs: number;
}

export const defaultRetryDelays: RetryDelays = { initialMs: 500, maxMs: 8_000 };

/** Safe to send twice: repeating it cannot make the server do the work twice (RFC 9110 §9.2.2). */
export function isIdempotent(method: string): boolean {
  return /^(get|head|options|put|delete)$/i.test(method);
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
const notSentCodes = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/;

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
  return notSentCodes.test(connectionErrorCode(error) ?? '');
}

const months = 'JanFebMarAprMayJunJulAugSepOctNovDec';
// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete rfc850-date and asctime-date a recipient must
// accept, each read into day, month, year, hours, minutes, seconds (in that order of groups).
const day = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const time = '(\\d\\d):(\\d\\d):(\\d\\d)';
const imfFixdate = new RegExp(`^${day}, (\\d\\d) (\\w{3}) (\\d{4}) ${time} GMT$`);
const rfc850Date = new RegExp(`^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (\\d\\d)-(\\w{3})-(\\d\\d) ${time} GMT$`);
const asctimeDate = new RegExp(`^${day} (\\w{3}) ([ \\d]\\d) ${time} (\\d{4})$`);

/**
 * An HTTP-date (RFC 9110 §5.6.7) as epoch milliseconds, or undefined when the text is not one. Only
 * the three forms the RFC defines: `Date.parse` accepts far more (`later 5` is a date in 2001 to it).
 * A two-digit rfc850 year is the most recent year with those digits not more than 50 years ahead.
 */
export function parseHttpDate(text: string, now: number = Date.now()): number | undefined {
  let parts = imfFixdate.exec(text)?.slice(1);
  const rfc850 = parts ? undefined : rfc850Date.exec(text)?.slice(1);
  if (rfc850) {
    const thisYear = new Date(now).getUTCFullYear();
    const year = thisYear - (thisYear % 100) + Number(rfc850[2]);
    parts = [rfc850[0]!, rfc850[1]!, String(year > thisYear + 50 ? year - 100 : year), ...rfc850.slice(3)];
  }
  const asctime = parts || rfc850 ? undefined : asctimeDate.exec(text);
  if (asctime) parts = [asctime[2]!, asctime[1]!, asctime[6]!, asctime[3]!, asctime[4]!, asctime[5]!];
  if (!parts) return undefined;
  const [d, monthName, y, h, m, s] = parts as [string, string, string, string, string, string];
  const [dayOfMonth, year, hours, minutes, seconds] = [d, y, h, m, s].map(Number) as [number, number, number, number, number];
  const month = months.indexOf(monthName) / 3;
  if (!Number.isInteger(month) || hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const at = Date.UTC(year, month, dayOfMonth, hours, minutes, seconds);
  // Date.UTC rolls 31 Feb over into March (and day 0 back): such a date is not a date.
  return new Date(at).getUTCDate() === dayOfMonth ? at : undefined;
}

/** delay-seconds (RFC 9110 §10.2.3) and RateLimit-Reset: a non-negative whole number of seconds. */
const delaySeconds = /^\d+$/;

/**
 * The wait the server asked for: `Retry-After` (delay-seconds or an HTTP-date, RFC 9110 §10.2.3),
 * else `RateLimit-Reset` (seconds until the window resets). Undefined when it asked for none or the
 * value is not valid (`-1`, `1.5`, `later 5`): then the normal backoff applies, as RFC 9110 lets a
 * recipient ignore an invalid field.
 */
export function serverRequestedDelayMs(headers: Headers, now: number = Date.now()): number | undefined {
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
export function backoffDelayMs(retry: number, delays: RetryDelays, random: () => number = Math.random): number {
  const exponential = Math.min(delays.maxMs, delays.initialMs * 2 ** retry);
  return Math.round(exponential * (1 - 0.25 * random()));
}
