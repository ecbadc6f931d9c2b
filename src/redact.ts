import { MetorialError, ResponseValidationError } from './errors.ts';

/** What replaces the API key wherever a server echoed it. */
const redactedKey = '[redacted API key]';

/** A copy of a JSON-like value with every occurrence of `secret` in its strings (keys included) replaced. */
export function redactValue<T>(value: T, secret: string, depth = 0): T {
  if (typeof value === 'string') return (value.includes(secret) ? value.replaceAll(secret, redactedKey) : value) as T;
  if (!value || typeof value !== 'object' || depth > 200) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secret, depth + 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[redactValue(key, secret)] = redactValue(item, secret, depth + 1);
  return copy as T;
}

function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: Object.getOwnPropertyDescriptor(target, key)?.enumerable ?? false });
}

/**
 * Removes the API key from everything a MetorialError carries that came from the server (its message,
 * stack, body, code, hint, problems, and the messages of its causes), in place, and returns it. A
 * server or proxy that echoes the request's headers into an error page must not put the key into
 * logs through our error (the README's promise). Errors of other kinds are returned as they are.
 */
export function redactError<E>(error: E, secret: string): E {
  if (!(error instanceof MetorialError)) return error;
  const fields = ['message', 'stack', 'code', 'hint', 'body'] as const;
  for (const field of fields) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (value !== undefined) setOwn(error, field, redactValue(value, secret));
  }
  if (error instanceof ResponseValidationError) setOwn(error, 'problems', redactValue(error.problems, secret));
  let holder: Error = error;
  for (let depth = 0; depth < 5 && holder.cause instanceof Error; depth++) {
    const cause: Error = holder.cause;
    if (`${cause.message}${cause.stack}`.includes(secret)) {
      const clean = new Error(redactValue(cause.message, secret));
      clean.name = cause.name;
      clean.stack = redactValue(cause.stack ?? '', secret);
      setOwn(holder, 'cause', clean);
      break;
    }
    holder = cause;
  }
  return error;
}
