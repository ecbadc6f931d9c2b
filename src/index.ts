export { createClient, defaultBaseUrl, MetorialConfigurationError, querySerializer } from './client.ts';
export type { MetorialClient, MetorialClientOptions } from './client.ts';
export type * from '../generated/schema.d.ts';
