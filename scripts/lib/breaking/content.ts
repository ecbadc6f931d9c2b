import { type Direction, severityOf } from './change.ts';
import type { Schema } from './schema.ts';
import { type Content, type OperationScope, reportAt } from './openapi.ts';
import { diffSchema } from './schema-diff.ts';

/** `application/json; charset=utf-8` and `Application/JSON` name the same media type (RFC 9110 §8.3.1). */
const mediaKey = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/**
 * Compares the schemas of a media type or header. One without a schema allows any value (OpenAPI 3.1
 * §4.8.14): a schema added narrows what it carries, one removed widens it; when both have one, they
 * are compared keyword by keyword (diffSchema).
 */
export function diffOptionalSchema(scope: OperationScope, location: string, direction: Direction, base: Schema | undefined, head: Schema | undefined): void {
  if (base !== undefined && head !== undefined) return diffSchema(base, head, { direction, operation: scope.operation, location, report: scope.report });
  if (base === head) return;
  const added = head !== undefined;
  const severity = severityOf(direction, added ? 'narrowed' : 'widened');
  reportAt(scope, severity, `${direction}-schema-${added ? 'added' : 'removed'}`, location, added ? 'now has a schema; it allowed any value' : 'no longer has a schema: any value is allowed');
}

/**
 * A `content` map (request body, response, parameter or header): a media type the API stops
 * accepting or returning breaks callers that use it; a new one does not. Each kept one's schema is compared.
 */
export function diffContent(scope: OperationScope, location: string, direction: Direction, base: Content, head: Content): void {
  const after = new Map(Object.entries(head).map(([type, media]) => [mediaKey(type), media]));
  const before = new Map(Object.entries(base).map(([type, media]) => [mediaKey(type), media]));
  for (const [type, media] of before) {
    const next = after.get(type);
    if (!next) {
      reportAt(scope, 'breaking', `${direction}-media-type-removed`, location, `${type} is no longer ${direction === 'request' ? 'accepted' : 'sent'}`);
      continue;
    }
    diffOptionalSchema(scope, location, direction, media.schema, next.schema);
  }
  for (const type of after.keys()) {
    if (!before.has(type)) reportAt(scope, 'non-breaking', `${direction}-media-type-added`, location, `${type} is now ${direction === 'request' ? 'accepted' : 'sent'} too`);
  }
}
