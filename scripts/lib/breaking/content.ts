import { type Direction, severityOf } from './change.ts';
import type { Schema } from './schema.ts';
import type { Content, OperationScope } from './openapi.ts';
import { diffSchema } from './schema-diff.ts';

/** `application/json; charset=utf-8` and `Application/JSON` name the same media type (RFC 9110 §8.3.1). */
const mediaKey = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/**
 * A media type or header without a schema allows any value (OpenAPI 3.1 §4.8.14): a schema added
 * narrows what it carries, one removed widens it. True when one side has no schema (reported here).
 */
export function diffSchemaPresence(scope: OperationScope, location: string, direction: Direction, base: Schema | undefined, head: Schema | undefined): boolean {
  if ((base === undefined) === (head === undefined)) return base === undefined;
  const added = head !== undefined;
  const severity = severityOf(direction, added ? 'narrowed' : 'widened');
  scope.report({ severity, rule: `${direction}-schema-${added ? 'added' : 'removed'}`, operation: scope.operation, location, message: added ? 'now has a schema; it allowed any value' : 'no longer has a schema: any value is allowed' });
  return true;
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
      scope.report({ severity: 'breaking', rule: `${direction}-media-type-removed`, operation: scope.operation, location, message: `${type} is no longer ${direction === 'request' ? 'accepted' : 'sent'}` });
      continue;
    }
    if (diffSchemaPresence(scope, location, direction, media.schema, next.schema)) continue;
    diffSchema(media.schema, next.schema, { direction, operation: scope.operation, location, report: scope.report });
  }
  for (const type of after.keys()) {
    if (!before.has(type)) scope.report({ severity: 'non-breaking', rule: `${direction}-media-type-added`, operation: scope.operation, location, message: `${type} is now ${direction === 'request' ? 'accepted' : 'sent'} too` });
  }
}
