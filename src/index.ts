export { createClient, defaultBaseUrl } from './client.ts';
export type {
  ListItem,
  ListPath,
  MetorialClient,
  MetorialClientOptions,
  RequestOptions,
  ResultMethod,
  ThrowingDeleteMethod,
  ThrowingMethod,
} from './client.ts';
export * from './errors.ts';
export { Paginator, type Page } from './pagination.ts';
export type { ListPromise } from './list-promise.ts';
export type { MetorialResources } from '../generated/resources.d.ts';
export type * from '../generated/schema.d.ts';
