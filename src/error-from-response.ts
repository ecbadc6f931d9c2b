import { apiErrorClassFor, type APIError, RateLimitError } from './errors.ts';
import { serverRequestedDelayMs } from './retry-policy.ts';

/** The API's error body, or another JSON shape met on the way: RFC 9457 problem details (`title`, `detail`), used by gateways and by Prism. */
interface ErrorBodyShape {
  code?: unknown;
  message?: unknown;
  hint?: unknown;
  title?: unknown;
  detail?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

function asErrorBody(body: unknown): ErrorBodyShape | undefined {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as ErrorBodyShape) : undefined;
}

/** Says what came back when it was not the API's JSON error body. */
function describeNonJsonBody(body: unknown, contentType: string | null): string {
  if (body === undefined || body === '') return 'an empty body';
  if (body !== null && typeof body === 'object') return `JSON that is not the API's error body (${contentType ?? 'no content type'})`;
  if (contentType?.includes('text/html') || (typeof body === 'string' && /^\s*<(!doctype|html)/i.test(body))) {
    return 'an HTML page instead of JSON (from a proxy?)';
  }
  return `a body that is not JSON (${contentType ?? 'no content type'})`;
}

/** The typed error for an HTTP error answer, from its status, its `metorial-req-id` and its body. */
export function errorFromResponse(operation: string, response: Response, body: unknown): APIError {
  const requestId = response.headers.get('metorial-req-id') ?? undefined;
  const parsed = asErrorBody(body);
  const code = typeof parsed?.code === 'string' ? parsed.code : undefined;
  const hint = typeof parsed?.hint === 'string' ? parsed.hint : undefined;
  // RFC 9457 §3.1.4: `detail` explains this occurrence, `title` only names the problem type.
  const apiMessage = text(parsed?.message) ?? text(parsed?.detail) ?? text(parsed?.title);
  const what = apiMessage
    ? `${code ? `${code}: ` : ''}${apiMessage}${hint ? ` Hint: ${hint}` : ''}`
    : `answered with ${describeNonJsonBody(body, response.headers.get('content-type'))}`;
  const message = `${operation} failed with ${response.status}: ${what}${requestId ? ` (request ${requestId})` : ''}`;
  const ErrorClass = apiErrorClassFor(response.status);
  const error = new ErrorClass(message, { operation, status: response.status, code, hint, requestId, body });
  if (error instanceof RateLimitError) error.retryAfterMs = serverRequestedDelayMs(response.headers);
  return error;
}
