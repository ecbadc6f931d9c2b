import { MetorialError, ResponseValidationError } from './errors.ts';

/** What replaces a secret wherever a server echoed it. */
const redactedKey = '[redacted API key]';
const redactedSecret = '[redacted secret]';

/**
 * Anything shaped like a Metorial key (`metorial_sk_…`, `metorial_pk_…`), however it reached the
 * request (the client's key, a per-call Authorization header, a query value, a body field): a server
 * that quotes it quotes a key.
 */
const keyShaped = /metorial_[a-z]+_[A-Za-z0-9_-]{6,}/g;

/**
 * Header names whose values are credentials (RFC 9110 §11.6.2 Authorization, §11.7.2
 * Proxy-Authorization, RFC 6265 Cookie), and the custom names that carry them by convention
 * (`X-Api-Key`, `X-Auth-Token`, `X-Session-Secret`...).
 */
const credentialHeaderName = /^(authorization|proxy-authorization|cookie)$|auth|token|secret|key|passw|session|credential|signature|cookie/i;

/** A part of a credential shorter than this is not searched for alone: replacing `ab` everywhere would mangle messages. */
const shortestSecretPart = 8;

/**
 * The secrets a call sends and no error may show: the API key, and the value of every credential
 * header (`Authorization: Bearer …` given per call, `X-Api-Key`, `Cookie`), by its parts (the token
 * after the scheme, each cookie's value) or, when it has none long enough, whole, since a server may
 * echo either. Matching is exact; text shaped like a Metorial key is redacted too, whatever the list holds.
 */
export class Secrets {
  /** Longest first, so a secret that contains another is replaced whole. */
  private readonly values: readonly string[];

  constructor(values: Iterable<string>) {
    this.values = [...new Set([...values].filter((value) => value.length > 0))].sort((a, b) => b.length - a.length);
  }

  /** These secrets and those of `headers` (a call's own headers, or its `params.header`). */
  withHeaders(...headerSets: Array<Record<string, unknown> | undefined>): Secrets {
    const found = headerSets.flatMap(credentialsIn);
    return found.length === 0 ? this : new Secrets([...this.values, ...found]);
  }

  /** Whether `text` holds any of them. */
  foundIn(text: string): boolean {
    return this.redact(text) !== text;
  }

  /** `text` with every secret replaced. */
  redact(text: string): string {
    let clean = text;
    for (const secret of this.values) {
      // A secret that is a Metorial key (text shaped like one, and nothing else) is named as one.
      if (clean.includes(secret)) clean = clean.replaceAll(secret, secret.replace(keyShaped, '') === '' ? redactedKey : redactedSecret);
    }
    return clean.replace(keyShaped, redactedKey);
  }
}

/** The credential values among `headers`: the parts long enough to search for, else the whole value. */
function credentialsIn(headers: Record<string, unknown> | undefined): string[] {
  if (headers == null) return [];
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null || !credentialHeaderName.test(name)) continue;
    const text = String(value).trim();
    // `Bearer tok`, `Basic dXNlcjpwYXNz`, `a=1; sid=xyz`: the token, each cookie's value.
    const parts = text
      .split(/[\s;,]+/)
      .flatMap((part) => (part.includes('=') ? [part, part.slice(part.indexOf('=') + 1)] : [part]))
      .filter((part) => part.length >= shortestSecretPart);
    found.push(...(parts.length > 0 ? parts : [text]));
  }
  return found;
}

/** A copy of a JSON-like value with every secret in its strings (keys included) replaced. */
export function redactValue<T>(value: T, secrets: Secrets, depth = 0): T {
  if (typeof value === 'string') return secrets.redact(value) as T;
  if (!value || typeof value !== 'object' || depth > 200) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[secrets.redact(key)] = redactValue(item, secrets, depth + 1);
  return copy as T;
}

function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: Object.getOwnPropertyDescriptor(target, key)?.enumerable ?? false });
}

/**
 * Removes the secrets from everything a MetorialError carries that came from the server (its message,
 * stack, body, code, hint, problems, and the messages of its causes), in place, and returns it. A
 * server or proxy that echoes the request's headers into an error page must not put a key into
 * logs through our error (the README's promise). Errors of other kinds are returned as they are.
 */
export function redactError<E>(error: E, secrets: Secrets): E {
  if (!(error instanceof MetorialError)) return error;
  const fields = ['message', 'stack', 'code', 'hint', 'body'] as const;
  for (const field of fields) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (value !== undefined) setOwn(error, field, redactValue(value, secrets));
  }
  if (error instanceof ResponseValidationError) setOwn(error, 'problems', redactValue(error.problems, secrets));
  let holder: Error = error;
  for (let depth = 0; depth < 5 && holder.cause instanceof Error; depth++) {
    const cause: Error = holder.cause;
    if (secrets.foundIn(`${cause.message}${cause.stack}`)) {
      const clean = new Error(secrets.redact(cause.message));
      clean.name = cause.name;
      clean.stack = secrets.redact(cause.stack ?? '');
      setOwn(holder, 'cause', clean);
      break;
    }
    holder = cause;
  }
  return error;
}
