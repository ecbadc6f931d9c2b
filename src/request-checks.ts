import { MetorialConfigurationError } from './errors.ts';
import { type CallSite, operationName } from './transport.ts';

/**
 * Checks of what a call puts into the request, made before anything is sent, so that a value fetch
 * would refuse (or a URL parser would reinterpret) is a clear MetorialConfigurationError at once,
 * never a retried network failure. Messages name the parameter or header, never its value: a header
 * may hold a secret.
 */

/** The error for a call that cannot be made as given: `<operation>: <what>. Nothing was sent.` */
export function refused(site: CallSite, what: string): MetorialConfigurationError {
  const operation = operationName(site);
  return new MetorialConfigurationError(`${operation}: ${what}. Nothing was sent.`, { operation });
}

/** A lone surrogate has no UTF-8 encoding, so it cannot be sent. */
const surrogate = 'holds a lone UTF-16 surrogate';
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
  if (!isWellFormed(text)) return surrogate;
  for (const form of decodedForms(text)) {
    const decoded = form === text ? '' : ' once percent-decoded';
    if (form === '.' || form === '..') return `is "${form}"${decoded}, a dot segment URLs remove`;
    const separator = /[/\\?#]/.exec(form)?.[0];
    if (separator) return `holds "${separator}"${decoded}, which would split the path`;
  }
  return undefined;
}

/** Throws when a `{name}` of the path template has no value that can fill it as one segment. */
export function checkPathParameters(site: CallSite, values: Record<string, unknown> | undefined): void {
  if (!site.path.includes('{')) return;
  for (const [, name] of site.path.matchAll(/\{([^}]+)\}/g)) {
    const problem = pathValueProblem(values?.[name!]);
    if (problem) throw refused(site, `the path parameter ${name} ${problem}: pass the id of an existing object`);
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
  if (/[\r\n\0]/.test(value)) return 'holds a line break or NUL (a stray newline?)';
  if (/[^\u0000-\u00FF]/.test(value)) return 'holds a character above U+00FF (encode it first)';
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
    const what = `the header ${validName ? name : `named ${JSON.stringify(name.slice(0, 40))}`} in ${where} ${validName ? `has a value that ${problem}` : 'is not a valid header name (RFC 9110 §5.1)'}`;
    throw site ? refused(site, what) : new MetorialConfigurationError(`${what.charAt(0).toUpperCase()}${what.slice(1)}.`);
  }
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : value instanceof Date ? 'an invalid Date' : typeof value === 'object' ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : typeof value === 'number' ? String(value) : `a ${typeof value}`;

/**
 * Why one value cannot be written into the query string, or undefined. A value is a string, a finite
 * number, a boolean, a bigint or a valid Date (sent as ISO 8601, as `qs` and Stainless SDKs do).
 */
function scalarProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return isWellFormed(value) ? undefined : surrogate;
    case 'number':
      return Number.isFinite(value) ? undefined : `is ${value}`;
    case 'boolean':
    case 'bigint':
      return undefined;
    default:
      if (value instanceof Date && !Number.isNaN(value.getTime())) return undefined;
      return `is ${describe(value)}, which a query cannot hold`;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * Why a query parameter's value cannot be sent as the API reads it, or undefined. The shapes are
 * those of the spec's parameters: a value; a non-empty array of values (form style, exploded:
 * `session_id=a&session_id=b`); a non-empty object of values (deepObject: `created_at[gt]=…`), whose
 * undefined properties are left out. An empty array or object would leave the filter out and match
 * everything; a null item would send an empty value; deeper nesting has no serialization.
 */
const nested = 'is an array or object: only values go here';

function queryValueProblem(value: unknown): { at: string; problem: string } | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return { at: '', problem: 'is an empty array, which would match everything: leave it out' };
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === undefined || item === null) return { at: `[${index}]`, problem: `is ${item}` };
      const problem = scalarProblem(item);
      if (problem) return { at: `[${index}]`, problem: Array.isArray(item) || isPlainObject(item) ? nested : problem };
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (keys.length === 0) return { at: '', problem: 'is an empty object, which would match everything: leave it out' };
    for (const key of keys) {
      const item = value[key];
      if (!isWellFormed(key)) return { at: '', problem: 'has a key holding a lone UTF-16 surrogate' };
      if (item === null) return { at: `[${key}]`, problem: 'is null' };
      const problem = scalarProblem(item);
      if (problem) return { at: `[${key}]`, problem: Array.isArray(item) || isPlainObject(item) ? nested : problem };
    }
    return undefined;
  }
  const problem = scalarProblem(value);
  return problem === undefined ? undefined : { at: '', problem };
}

/**
 * Throws when a query value cannot be serialized as the API reads it (see queryValueProblem),
 * naming the parameter and where in its value; a top-level undefined or null leaves the parameter out.
 */
export function checkQuery(site: CallSite, query: Record<string, unknown> | undefined): void {
  if (query == null) return;
  if (!isPlainObject(query)) {
    throw refused(site, `params.query must be an object of parameters, not ${describe(query)}`);
  }
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    const found = isWellFormed(name) ? queryValueProblem(value) : { at: '', problem: 'has a name holding a lone UTF-16 surrogate' };
    if (found) throw refused(site, `the query parameter ${name}${found.at} ${found.problem}`);
  }
}
