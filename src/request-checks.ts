import { MetorialConfigurationError } from './errors.ts';
import { type CallSite, operationName } from './transport.ts';

/**
 * Checks of what a call puts into the request, made before anything is sent, so that a value fetch
 * would refuse (or a URL parser would reinterpret) is a clear MetorialConfigurationError at once,
 * never a retried network failure. Messages name the parameter or header, never its value: a header
 * may hold a secret.
 */

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string is well-formed UTF-16 (no lone surrogate), so it can be encoded as UTF-8. */
function isWellFormed(value: string): boolean {
  return !loneSurrogate.test(value);
}

/** The value percent-decoded until it no longer changes (at most 3 times), as a lenient server or proxy might. */
function decodedForms(value: string): string[] {
  const forms = [value];
  for (let round = 0; round < 3; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(forms.at(-1)!);
    } catch {
      break;
    }
    if (decoded === forms.at(-1)) break;
    forms.push(decoded);
  }
  return forms;
}

/**
 * Why a path parameter's value cannot be one segment of the path, or undefined when it can.
 * RFC 3986 §5.2.4 removes `.` and `..` segments (the WHATWG URL parser that fetch uses does too, and
 * also for `%2e`), and `/`, `\`, `?` and `#` end a segment or the path in some decoder along the way:
 * each would send the request to another resource than the template names.
 */
function pathValueProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is missing';
  if (typeof value !== 'string' && typeof value !== 'number') return `must be a string, not ${Array.isArray(value) ? 'an array' : typeof value}`;
  const text = String(value);
  if (text === '') return 'is empty';
  if (!isWellFormed(text)) return 'holds a lone UTF-16 surrogate, which has no UTF-8 encoding';
  for (const form of decodedForms(text)) {
    if (form === '.' || form === '..') return `is "${form}"${form === text ? '' : ' once percent-decoded'}, which URLs resolve as a step up or in place`;
    const separator = /[/\\?#]/.exec(form)?.[0];
    if (separator) return `holds "${separator}"${form === text ? '' : ' once percent-decoded'}, which would split or end the path`;
  }
  return undefined;
}

/** Throws when a `{name}` of the path template has no value that can fill it as one segment. */
export function checkPathParameters(site: CallSite, values: Record<string, unknown> | undefined): void {
  if (!site.path.includes('{')) return;
  for (const [, name] of site.path.matchAll(/\{([^}]+)\}/g)) {
    const problem = pathValueProblem(values?.[name!]);
    if (problem) {
      const operation = operationName(site);
      throw new MetorialConfigurationError(
        `${operation}: the path parameter ${name} ${problem}. Pass the id of an existing object; nothing was sent.`,
        { operation },
      );
    }
  }
}

// RFC 9110 §5.1: a field name is a token.
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Why a header value cannot be sent, or undefined. The Fetch standard refuses NUL, CR and LF in a
 * value (they would end the field, RFC 9110 §5.5) and characters above U+00FF (a header value is
 * bytes; the string is read as Latin-1).
 */
function headerValueProblem(value: string): string | undefined {
  if (/[\r\n\0]/.test(value)) return 'holds a line break or NUL, which would end the header (a stray newline from a file or env var?)';
  if (/[^\u0000-\u00FF]/.test(value)) return 'holds a character above U+00FF: header values are bytes, so encode such text first (encodeURIComponent)';
  return undefined;
}

/**
 * Throws when a header name or value cannot be sent; `where` says where it was given (`headers`,
 * `metorialVersion`), `site` the call, if it was given to one.
 */
export function checkHeaders(headers: Record<string, unknown> | undefined, where: string, site?: CallSite): void {
  if (headers == null) return;
  for (const [name, value] of Object.entries(headers)) {
    const validName = token.test(name);
    const problem = validName && value !== undefined && value !== null ? headerValueProblem(String(value)) : undefined;
    if (validName && problem === undefined) continue;
    const operation = site && operationName(site);
    const prefix = `${operation ? `${operation}: ` : ''}the header ${validName ? name : `named ${JSON.stringify(name.slice(0, 40))}`} in ${where}`;
    if (!validName) throw new MetorialConfigurationError(`${prefix} is not a valid header name (RFC 9110 §5.1: letters, digits and !#$%&'*+-.^_\`|~).`, { operation });
    throw new MetorialConfigurationError(`${prefix} has a value that ${problem}. Nothing was sent.`, { operation });
  }
}

function checkQueryValue(site: CallSite, value: unknown, name: string): void {
  if (typeof value === 'string') {
    if (isWellFormed(value)) return;
    const operation = operationName(site);
    throw new MetorialConfigurationError(
      `${operation}: the query parameter ${name} holds a lone UTF-16 surrogate, which has no UTF-8 encoding. Nothing was sent.`,
      { operation },
    );
  }
  if (Array.isArray(value)) for (const item of value) checkQueryValue(site, item, name);
  else if (value && typeof value === 'object') for (const key of Object.keys(value)) checkQueryValue(site, (value as Record<string, unknown>)[key], `${name}[${key}]`);
}

/** Throws when a query value holds a lone surrogate, which has no UTF-8 percent-encoding. */
export function checkQuery(site: CallSite, query: Record<string, unknown> | undefined): void {
  if (query == null) return;
  for (const name of Object.keys(query)) checkQueryValue(site, query[name], name);
}
