import { MetorialConfigurationError } from './errors.ts';

/** The `fetch` option's shape: the standard fetch's, called with a Request and the attempt's signal. */
export type CustomFetch = (request: Request, init: { signal: AbortSignal }) => Promise<Response>;

/**
 * Why what a custom fetch resolved cannot be read as the answer, or undefined when it can. A
 * Response of another realm or library is fine if it has the standard's members.
 */
function unusableProblem(value: unknown): string | undefined {
  if (value == null || typeof value !== 'object') return `resolved ${value == null ? value : `a ${typeof value}`}, not a Response`;
  const response = value as Partial<Response>;
  if (typeof response.status !== 'number' || typeof response.headers?.get !== 'function' || typeof response.text !== 'function') {
    return 'resolved an object that is not a Response';
  }
  if (response.bodyUsed || response.body?.locked) {
    return 'returned a Response whose body was already read or is being read: read response.clone() instead';
  }
  return undefined;
}

/**
 * Wraps the caller's fetch so that an answer it made unusable is a MetorialConfigurationError naming
 * the problem, never retried: the request was sent (a wrapper that read the body got a real answer),
 * and sending it again would give the same unusable result, so the retry policy must not see it as a
 * connection failure. `operation` names the call in the message.
 */
export function checkedFetch(fetch: CustomFetch): (request: Request, init: { signal: AbortSignal }, operation: string) => Promise<Response> {
  return (request, init, operation) =>
    fetch(request, init).then((response: unknown) => {
      const problem = unusableProblem(response);
      if (problem === undefined) return response as Response;
      throw new MetorialConfigurationError(`${operation}: the custom fetch given to createClient ${problem}. Not retried.`, { operation });
    });
}
