import type { OpenApiDocument } from '../bundle.ts';

/** The spec's `info` extension naming where the rendered reference (`dist/index.html`) is served (DECISIONS SDK5). */
export const referenceUrlKey = 'x-reference-url';

/**
 * Redoc 3's name for a tag or an operation in its page's address: lower case, each run of other
 * characters than letters and digits one `-` (`Provider Runs` is `provider-runs`).
 */
const redocSlug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * Where an operation is in the reference: the spec's reference URL and the fragment Redoc 3 (the
 * renderer of `dist/index.html`) gives it, `#/<tag>/<operationid>` (`#/provider-runs/listproviderruns`),
 * or undefined when the spec names no reference URL or the operation has no tag or id.
 */
export function referenceUrlFor(document: OpenApiDocument, operation: { tags?: string[]; operationId?: string }): string | undefined {
  const base = (document.info as unknown as Record<string, unknown>)[referenceUrlKey];
  const tag = operation.tags?.[0];
  if (typeof base !== 'string' || !tag || !operation.operationId) return undefined;
  return `${base.replace(/#.*$/, '')}#/${redocSlug(tag)}/${operation.operationId.toLowerCase()}`;
}
