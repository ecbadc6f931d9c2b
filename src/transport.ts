import { type AbortFollower, followAbort, unfollowAbort } from './abort-fanout.ts';
import { AbortedError, ConnectionError, MalformedResponseError, MetorialError, TimeoutError } from './errors.ts';
import {
  backoffDelayMs,
  connectionErrorCode,
  isIdempotent,
  mayRetryResponse,
  neverReachedServer,
  type RetryDelays,
  serverRequestedDelayMs,
} from './retry-policy.ts';

export interface RetrySettings {
  timeoutMs: number;
  maxRetries: number;
  retryDelays: RetryDelays;
  log: ((line: string) => void) | undefined;
}

export interface CallSettings extends RetrySettings, CallSite {
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
}

/** A whole call, answer body included, given a fetch init whose signal cancels it. */
export type Attempt<Result extends { response: Response }> = (init: { readonly signal: AbortSignal }) => Promise<Result>;

/** A call's method and path template (`/runs/{run_id}`): enough to name it when a message needs to. */
export interface CallSite {
  method: string;
  path: string;
}

/** `GET /runs/{run_id}`, for messages and logs; made only when one is written. */
export function operationName({ method, path }: CallSite): string {
  return `${method.toUpperCase()} ${path}`;
}

type Outcome<Result> = { result: Result } | { failure: MetorialError; retryable: boolean };

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const follower: AbortFollower = {
      handleEvent() {
        clearTimeout(timer);
        reject(signal?.reason);
      },
    };
    const timer = setTimeout(() => {
      if (signal) unfollowAbort(signal, follower);
      resolve();
    }, ms);
    if (signal) followAbort(signal, follower);
  });
}

/**
 * Why the platform's fetch failed, from the innermost cause of its `fetch failed` (`bad port`, say).
 * Only for that error: a custom fetch's messages could hold anything, the request's headers included.
 */
function innermostMessage(error: unknown): string | undefined {
  if (!(error instanceof TypeError) || error.message !== 'fetch failed') return undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause instanceof Error; depth++) current = current.cause;
  return current !== error && current instanceof Error ? current.message : undefined;
}

/** Why an attempt threw, as the error the caller gets, and whether sending it again is safe. */
function classify(error: unknown, settings: CallSettings, timedOut: boolean): { failure: MetorialError; retryable: boolean } {
  const { method } = settings;
  const operation = operationName(settings);
  if (settings.signal?.aborted) {
    return { failure: new AbortedError(`${operation} was aborted by the caller.`, { operation, cause: settings.signal.reason }), retryable: false };
  }
  if (timedOut) {
    // The server may have received the request: a write is not resent.
    return {
      failure: new TimeoutError(`${operation} got no complete answer within ${settings.timeoutMs} ms.`, { operation }),
      retryable: isIdempotent(method),
    };
  }
  if (error instanceof MetorialError) return { failure: error, retryable: false };
  if (error instanceof SyntaxError) {
    const failure = new MalformedResponseError(`${operation} answered a success status with invalid JSON.`, {
      operation,
      cause: error,
    });
    return { failure, retryable: false };
  }
  const reason = connectionErrorCode(error) ?? innermostMessage(error);
  return {
    failure: new ConnectionError(`${operation} failed: could not get an answer from the server${reason ? ` (${reason})` : ''}.`, {
      operation,
      cause: error,
    }),
    retryable: isIdempotent(method) || neverReachedServer(error),
  };
}

/** Aborts an attempt whose timeout passed; a module-level function, so arming the timer makes no closure. */
function expireAttempt(attempt: AttemptInFlight<{ response: Response }>): void {
  attempt.expire();
}

/**
 * One attempt under its own timeout, which covers reading the answer's body too, so a server that
 * sends headers and then stalls is a timeout. The outcome settles on the first of: the attempt, the
 * timeout, the caller's abort; so a fetch that ignores its signal still cannot outlast the timeout.
 * When it settles, its timer is cleared and its listener removed. One object is the attempt's state
 * and the caller's abort follower (`handleEvent`). A plain timer per attempt: setting and clearing one
 * costs well under a microsecond, against about 100 µs of CPU for the platform's fetch of one call.
 */
class AttemptInFlight<Result extends { response: Response }> implements AbortFollower {
  private readonly controller = new AbortController();
  private readonly timer: number | ReturnType<typeof setTimeout>;
  private timedOut = false;
  private settled = false;

  constructor(
    private readonly settings: CallSettings,
    private readonly resolve: (outcome: Outcome<Result>) => void,
    attempt: Attempt<Result>,
  ) {
    this.timer = setTimeout(expireAttempt, settings.timeoutMs, this);
    if (settings.signal) followAbort(settings.signal, this);
    attempt({ signal: this.controller.signal }).then(
      (result) => this.settle({ result }),
      (error: unknown) => {
        if (!this.settled) this.settle(classify(error, this.settings, this.timedOut));
      },
    );
  }

  expire(): void {
    this.timedOut = true;
    this.stop();
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    this.stop();
  }

  private stop(): void {
    this.controller.abort();
    this.settle(classify(undefined, this.settings, this.timedOut));
  }

  private settle(outcome: Outcome<Result>): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.settings.signal) unfollowAbort(this.settings.signal, this);
    this.resolve(outcome);
  }
}

function attemptOnce<Result extends { response: Response }>(attempt: Attempt<Result>, settings: CallSettings): Promise<Outcome<Result>> {
  if (settings.signal?.aborted) return Promise.resolve(classify(undefined, settings, false));
  return new Promise((resolve) => void new AttemptInFlight(settings, resolve, attempt));
}

/**
 * Runs a call, retrying connection failures, timeouts, 408, 429 and 5xx with exponential backoff and
 * jitter, or after the wait the server asked for. Never resends a write the server may have done.
 */
export async function callWithRetries<Result extends { response: Response }>(attempt: Attempt<Result>, settings: CallSettings): Promise<Result> {
  const { maxRetries } = settings;
  for (let retry = 0; ; retry++) {
    const outcome = await attemptOnce(attempt, settings);
    const attemptsLeft = retry < maxRetries;
    let delayMs: number;
    if ('result' in outcome) {
      const { response } = outcome.result;
      if (!attemptsLeft || !mayRetryResponse(settings.method, response.status)) return outcome.result;
      const requested = serverRequestedDelayMs(response.headers);
      if (requested !== undefined && requested > settings.retryDelays.maxMs) {
        settings.log?.(`${operationName(settings)} → ${response.status}; asked to wait ${requested} ms, longer than we retry for`);
        return outcome.result;
      }
      delayMs = requested ?? backoffDelayMs(retry, settings.retryDelays);
      settings.log?.(`${operationName(settings)} → ${response.status}; retry ${retry + 1} of ${maxRetries} in ${delayMs} ms`);
    } else {
      if (!attemptsLeft || !outcome.retryable) throw outcome.failure;
      delayMs = backoffDelayMs(retry, settings.retryDelays);
      settings.log?.(`${operationName(settings)} → ${outcome.failure.name}; retry ${retry + 1} of ${maxRetries} in ${delayMs} ms`);
    }
    try {
      await sleep(delayMs, settings.signal);
    } catch (reason) {
      const operation = operationName(settings);
      throw new AbortedError(`${operation} was aborted by the caller.`, { operation, cause: reason });
    }
  }
}
