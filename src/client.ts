import createFetchClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from '../generated/schema.d.ts';

export const defaultBaseUrl = 'https://api.metorial.com';

export interface MetorialClientOptions {
  /** A secret key, `metorial_sk_...`, sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Defaults to the production API. Point it at the mock with `http://127.0.0.1:4010`. */
  baseUrl?: string;
  /** An API version such as `2026-01-01-magnetar`, sent as `Metorial-Version`. */
  metorialVersion?: string;
  /** A fetch implementation, for tests or for runtimes without a global fetch. */
  fetch?: ClientOptions['fetch'];
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

export type MetorialClient = Client<paths>;

/**
 * The spec's query encoding: one-or-many filters repeat the name (`session_id=a&session_id=b`),
 * object filters use brackets (`created_at[gt]=...`).
 */
export const querySerializer = {
  array: { style: 'form', explode: true },
  object: { style: 'deepObject', explode: true },
} as const;

export class MetorialConfigurationError extends Error {
  override name = 'MetorialConfigurationError';
}

function checkApiKey(apiKey: unknown): asserts apiKey is string {
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new MetorialConfigurationError(
      'createClient needs an apiKey: pass { apiKey: process.env.METORIAL_API_KEY }, a secret key that starts with metorial_sk_.',
    );
  }
}

/** A client for the Metorial API, typed by the generated `paths`: wrong paths, parameters or bodies do not compile. */
export function createClient(options: MetorialClientOptions): MetorialClient {
  checkApiKey(options.apiKey);
  return createFetchClient<paths>({
    baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, ''),
    querySerializer,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: {
      ...options.headers,
      Authorization: `Bearer ${options.apiKey}`,
      ...(options.metorialVersion ? { 'Metorial-Version': options.metorialVersion } : {}),
    },
  });
}
