import { MetorialConfigurationError } from './errors.ts';

const keyShape = /^metorial_[a-z]+_[A-Za-z0-9_-]+$/;

/**
 * Checks the key before any request. Messages describe the key, never repeat it, so they are safe
 * to log.
 */
export function checkApiKey(apiKey: unknown): string {
  if (apiKey === undefined || apiKey === null || apiKey === '') {
    throw new MetorialConfigurationError(
      'No API key: pass createClient({ apiKey }) or set the METORIAL_API_KEY environment variable (a secret key, metorial_sk_…).',
    );
  }
  if (typeof apiKey !== 'string') {
    throw new MetorialConfigurationError(`The apiKey must be a string, not ${typeof apiKey}.`);
  }
  if (!keyShape.test(apiKey)) {
    const traits = [
      /\s/.test(apiKey) ? 'contains white space' : '',
      apiKey.startsWith('Bearer ') ? 'starts with "Bearer "' : '',
      !apiKey.startsWith('metorial_') ? 'does not start with metorial_' : '',
    ].filter(Boolean);
    throw new MetorialConfigurationError(
      `The apiKey is not a Metorial key (metorial_sk_ and letters, digits, _ or -): it has ${apiKey.length} characters${traits.length ? ` and ${traits.join(', ')}` : ''}.`,
    );
  }
  return apiKey;
}

/** localhost and its subdomains (RFC 6761 §6.3), 127.0.0.0/8 and ::1. */
const isLoopback = (hostname: string): boolean => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$|\.localhost$/.test(hostname);

/** The text of a URL with its user information (`user:password@`) hidden, for messages. */
function withoutUserInfo(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:[\\/]*)[^\\/?#@]*@/, '$1***@');
}

/**
 * The base URL, checked and normalized: `origin + path`, without a trailing slash, to which the
 * client appends each operation's path. Refused, before anything is sent: a value that is not an
 * http(s) URL; plain http to another machine unless the caller opts in (the key would travel
 * unencrypted); user information (`user:password@`), which fetch refuses (Fetch standard, Request
 * constructor step 5.3) and which no message may show; a query or a fragment, which the operation's
 * path would be appended after (`/v1?tenant=acme/runs`) or dropped with (`#frag`). Messages never
 * repeat a user name, password or query.
 */
export function checkBaseUrl(baseUrl: unknown, allowInsecureHttp: boolean, source = 'baseUrl'): string {
  const text = typeof baseUrl === 'string' ? baseUrl : baseUrl instanceof URL ? baseUrl.href : undefined;
  if (text === undefined) throw new MetorialConfigurationError(`${source} must be a URL string, not ${baseUrl === null ? 'null' : typeof baseUrl}.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MetorialConfigurationError(`${source} "${withoutUserInfo(text).split(/[?#]/)[0]}" is not a URL (such as https://api.metorial.com).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MetorialConfigurationError(`${source} must use https (or http to this machine), not ${url.protocol}`);
  }
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  if (url.username !== '' || url.password !== '') {
    throw new MetorialConfigurationError(`${source} ${shown} holds a user name or password (…@${url.host}): put credentials in apiKey or headers.`);
  }
  if (url.search !== '' || text.includes('?')) {
    throw new MetorialConfigurationError(`${source} ${shown} has a query string: pass such values per call or as headers.`);
  }
  if (url.hash !== '' || text.includes('#')) {
    throw new MetorialConfigurationError(`${source} ${shown} has a fragment (#…): remove it.`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new MetorialConfigurationError(`Refusing to send the API key over plain http to ${url.host}: use https, or allowInsecureHttp: true on a trusted network.`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
