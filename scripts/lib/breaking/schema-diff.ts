import { isDeepStrictEqual } from 'node:util';
import { type Change, type Direction, withinComponent } from './change.ts';
import type { SchemaContext } from './context.ts';
import { effectiveSchema } from './effective.ts';
import { diffProperties } from './property-keywords.ts';
import type { Schema } from './schema.ts';
import { diffSubschemaKeywords } from './subschema-keywords.ts';
import { diffNullability, diffTypes } from './type-keywords.ts';
import { diffValueKeywords } from './value-keywords.ts';
import { diffVariants } from './variant-keywords.ts';


/** A node `dereference` left as `{$ref}` where a schema recurs: compared where it was first met. */
const isRecursionPoint = (schema: Schema | boolean) => typeof schema === 'object' && schema.$ref !== undefined;

function compare(baseSchema: Schema | boolean | undefined, headSchema: Schema | boolean | undefined, outer: SchemaContext): void {
  if (baseSchema === undefined || headSchema === undefined) return;
  if (isRecursionPoint(baseSchema) || isRecursionPoint(headSchema)) return;
  // Two versions written alike (a shared component left as it was, at every place it is used) differ in
  // nothing, whatever the direction: no rule reports a keyword that kept its value.
  if (isDeepStrictEqual(baseSchema, headSchema)) return;
  const ctx = { ...outer, report: withinComponent(outer.report, baseSchema, headSchema, outer.location) };
  const base = effectiveSchema(baseSchema);
  const head = effectiveSchema(headSchema);
  diffNullability(base, head, ctx);
  const alternatives = [base, head].filter((s) => s.oneOf ?? s.anyOf).length;
  // A schema moved into oneOf/anyOf branches is compared with the branches, not with the wrapper.
  if (alternatives !== 1) {
    diffTypes(base, head, ctx);
    diffValueKeywords(base, head, ctx);
    diffProperties(base, head, ctx);
    diffSubschemaKeywords(base, head, ctx);
  }
  diffVariants(base, head, ctx);
}

/**
 * Reports every difference between two versions of a schema, each classified for the direction
 * its data flows. Schemas are compared as effective schemas (effective.ts), so `allOf` refactors
 * and the spelling of nullability do not count as changes.
 */
export function diffSchema(
  base: Schema | boolean | undefined,
  head: Schema | boolean | undefined,
  where: Omit<SchemaContext, 'recurse'>,
): void {
  compare(base, head, { ...where, recurse: compare });
}
