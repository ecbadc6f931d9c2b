import { queryString } from '../../spec-requests.ts';
import type { ConsoleOperation, ConsoleParameter } from './model.ts';

/** What a reader typed: field name (`limit`, `created_at[gt]`) to text, and the body's text. */
export interface FormValues {
  fields: Record<string, string>;
  body: string;
}

export interface PreparedRequest {
  url: string;
  init: RequestInit & { headers: Record<string, string> };
}

/** A request the console refuses to send, with what to fix. */
export class ConsoleInputError extends Error {}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\./.test(host);

/** The server URL as typed, checked: http(s) only, and plain http only to this machine, where a key cannot be overheard. */
export function checkedServer(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConsoleInputError(`"${text}" is not a URL. Type the server's address, such as http://127.0.0.1:4010.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConsoleInputError(`The server must be an http or https URL, not ${url.protocol}.`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ConsoleInputError(`Refusing to send your key in clear text to ${url.host}: use https, or a server on this machine (127.0.0.1, localhost).`);
  }
  return url;
}

/** One parameter's value from its fields, as the spec's serialization wants it; undefined when left empty. */
function parameterValue(parameter: ConsoleParameter, fields: Record<string, string>): unknown {
  const { kind, name } = parameter;
  if (kind.type === 'object') {
    const entries = kind.keys.map((key) => [key, fields[`${name}[${key}]`]?.trim() ?? ''] as const).filter(([, v]) => v !== '');
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  const text = fields[name]?.trim() ?? '';
  if (text === '') return undefined;
  if (kind.type === 'list') {
    const values = text.split(',').map((v) => v.trim()).filter(Boolean);
    return values.length === 1 ? values[0] : values;
  }
  return text;
}

/**
 * The request an operation's form describes: its URL on the chosen server (path ids encoded as one
 * segment, the query encoded as the spec's `style`/`explode` say, as the client and the samples do),
 * the key as a bearer token (if one is given), the optional headers, and the body as typed.
 * Throws ConsoleInputError for a missing path id or a body that is not JSON; the API validates the rest.
 */
export function prepareRequest(operation: ConsoleOperation, values: FormValues, serverText: string, apiKey: string): PreparedRequest {
  const server = checkedServer(serverText);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (apiKey.trim()) headers.Authorization = `Bearer ${apiKey.trim()}`;
  const query: Record<string, unknown> = {};
  let path = operation.path;
  for (const parameter of operation.parameters) {
    const value = parameterValue(parameter, values.fields);
    if (parameter.in === 'path') {
      if (value === undefined) throw new ConsoleInputError(`Fill in the path parameter ${parameter.name}.`);
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
    } else if (parameter.in === 'query' && value !== undefined) {
      query[parameter.name] = value;
    } else if (parameter.in === 'header' && value !== undefined) {
      headers[parameter.name] = String(value);
    }
  }
  const init: PreparedRequest['init'] = { method: operation.method.toUpperCase(), headers, mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' };
  if (operation.body && values.body.trim() !== '') {
    try {
      init.body = JSON.stringify(JSON.parse(values.body));
    } catch (error) {
      throw new ConsoleInputError(`The body is not JSON: ${(error as Error).message}`);
    }
    headers['Content-Type'] = 'application/json';
  }
  const base = server.href.replace(/\/$/, '');
  return { url: `${base}${path}${queryString(operation as never, query)}`, init };
}
