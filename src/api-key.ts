import { MetorialConfigurationError } from './errors.ts';

const keyShape = /^metorial_[a-z]+_[A-Za-z0-9_-]+$/;

/**
 * Checks the key before any request. Messages describe the key, never repeat it, so they are safe
 * to log.
 */
export function checkApiKey(apiKey: unknown): string {
  if (apiKey === undefined || apiKey === null || apiKey === '') {
    throw new MetorialConfigurationError(
      'No API key: pass createClient({ apiKey }) or set the METORIAL_API_KEY environment variable. ' +
        'Secret keys start with metorial_sk_ and are in the Metorial dashboard.',
    );
  }
  if (typeof apiKey !== 'string') {
    throw new MetorialConfigurationError(`The apiKey must be a string, not ${typeof apiKey}.`);
  }
  if (!keyShape.test(apiKey)) {
    const traits = [
      /\s/.test(apiKey) ? 'contains white space (a stray newline from a file or env var?)' : '',
      apiKey.startsWith('Bearer ') ? 'starts with "Bearer " (pass the key alone)' : '',
      !apiKey.startsWith('metorial_') ? 'does not start with metorial_' : '',
    ].filter(Boolean);
    throw new MetorialConfigurationError(
      `The apiKey does not look like a Metorial key: a key is metorial_sk_ followed by letters, digits, _ or -. ` +
        `The value given has ${apiKey.length} characters${traits.length ? ` and ${traits.join(', ')}` : ''}.`,
    );
  }
  return apiKey;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith('.localhost');
}

/** The base URL, checked: the key only travels over plain http to this machine, unless the caller opts in. */
export function checkBaseUrl(baseUrl: string, allowInsecureHttp: boolean, source = 'baseUrl'): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new MetorialConfigurationError(`${source} "${baseUrl}" is not a URL: use a full URL such as https://api.metorial.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MetorialConfigurationError(`${source} must use https (or http to this machine), not ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new MetorialConfigurationError(
      `Refusing to send the API key over plain http to ${url.host}: anyone on the network could read it. ` +
        'Use https, or pass allowInsecureHttp: true if this network is trusted.',
    );
  }
  return baseUrl.replace(/\/+$/, '');
}
