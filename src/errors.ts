/**
 * One error class per meaning, so callers can `catch (e) { if (e instanceof RateLimitError) ... }`.
 * No error ever holds the API key, a request's headers, or the Request object.
 */

export interface ErrorDetails {
  /** `GET /runs/{run_id}`: the operation that failed. */
  operation?: string | undefined;
  status?: number | undefined;
  /** The API's machine-readable code, such as `not_found`. */
  code?: string | undefined;
  hint?: string | undefined;
  /** The `metorial-req-id` response header: quote it to support. */
  requestId?: string | undefined;
  /** The parsed JSON body of the answer, or its text when it was not JSON. */
  body?: unknown;
  cause?: unknown;
}

export class MetorialError extends Error {
  override name = 'MetorialError';
  declare readonly operation: string | undefined;
  declare readonly status: number | undefined;
  declare readonly code: string | undefined;
  declare readonly hint: string | undefined;
  declare readonly requestId: string | undefined;
  declare readonly body: unknown;

  constructor(message: string, { cause, ...details }: ErrorDetails = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.hint = details.hint;
    this.requestId = details.requestId;
    this.body = details.body;
  }

  /** The error's fields, message included (JSON.stringify leaves an Error's message out otherwise). */
  toJSON(): Record<string, unknown> {
    const { name, message, operation, status, code, hint, requestId, body } = this;
    return { name, message, operation, status, code, hint, requestId, body };
  }
}

/**
 * The options given to createClient, or a call's own parameters or headers, cannot make a valid
 * request (a missing key, an empty or `..` path id, a header value with a line break); nothing was
 * sent, and retrying cannot help.
 */
export class MetorialConfigurationError extends MetorialError {
  override name = 'MetorialConfigurationError';
}

/** The API answered with an error status. */
export class APIError extends MetorialError {
  override name = 'APIError';
  declare readonly status: number;
}
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  /** How long the API asked us to wait, from `Retry-After` or `RateLimit-Reset`, when it said. */
  retryAfterMs: number | undefined;
}
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** No answer: the connection failed or was reset. */
export class ConnectionError extends MetorialError {
  override name = 'ConnectionError';
}
/** No answer within the timeout. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}
/** The caller's AbortSignal cancelled the request. */
export class AbortedError extends MetorialError {
  override name = 'AbortedError';
}
/** A successful status with a body that is not the JSON the operation promises. */
export class MalformedResponseError extends MetorialError {
  override name = 'MalformedResponseError';
}
/** With `validateResponses`, a body that breaks the operation's response schema. */
export class ResponseValidationError extends MetorialError {
  override name = 'ResponseValidationError';
  /** ajv's findings: the failing path in the body and what is wrong there. */
  readonly problems: string[];
  constructor(message: string, problems: string[], details: ErrorDetails) {
    super(message, details);
    this.problems = problems;
  }
}
/** A list that would never end: the server said there was more but repeated a page. */
export class PaginationError extends MetorialError {
  override name = 'PaginationError';
}

const statusClasses: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: BadRequestError,
  429: RateLimitError,
};

export function apiErrorClassFor(status: number): typeof APIError {
  return statusClasses[status] ?? (status >= 500 ? InternalServerError : APIError);
}
