import type { Change, Direction, Relation, Severity } from './change.ts';
import { severityOf } from './change.ts';
import type { Schema } from './schema.ts';

/** Where a schema comparison is, which way its data flows, and where its findings go. */
export interface SchemaContext {
  direction: Direction;
  operation: string;
  /** `request body`, `response 200 body items[] status`, `query parameter limit`. */
  location: string;
  report(change: Change): void;
  /** The schema is a parameter's own (not a property inside it): its `default` is what the server assumes when the parameter is left out. */
  parameter?: boolean;
  /** Compares two nested schemas (diffSchema), passed in so each keyword module stays on its own. */
  recurse(base: Schema | boolean | undefined, head: Schema | boolean | undefined, ctx: SchemaContext): void;
}

/** The context one level down: `items[]`, ` status`, ` additionalProperties`. */
export function nested(ctx: SchemaContext, segment: string): SchemaContext {
  return { ...ctx, parameter: false, location: segment.startsWith('[') ? `${ctx.location}${segment}` : `${ctx.location} ${segment}`.trim() };
}

export function emit(ctx: SchemaContext, severity: Severity, rule: string, message: string): void {
  ctx.report({ severity, rule, operation: ctx.operation, location: ctx.location, message });
}

/**
 * Reports a keyword whose allowed values moved, as rule `<direction>-<aspect>-<relation>`,
 * breaking when a request accepts less or a response may send more (severityOf).
 */
export function emitRelation(ctx: SchemaContext, aspect: string, relation: Relation, message: string): void {
  emit(ctx, severityOf(ctx.direction, relation), `${ctx.direction}-${aspect}-${relation}`, message);
}

export const show = (value: unknown) => JSON.stringify(value);

/** The values of `after` not in `before` and those of `before` not in `after`, equal when their JSON is (`show`). */
export function valuesAddedAndRemoved<T>(before: readonly T[], after: readonly T[]): { added: T[]; removed: T[] } {
  const [shownBefore, shownAfter] = [new Set(before.map(show)), new Set(after.map(show))];
  return { added: after.filter((v) => !shownBefore.has(show(v))), removed: before.filter((v) => !shownAfter.has(show(v))) };
}

/** JSON with object keys sorted, so that two schemas written alike in another key order have one text. */
export const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
          .join(',')}}`
      : String(JSON.stringify(value));
