import type { Relation } from './change.ts';
import { emit, emitRelation, type SchemaContext } from './context.ts';
import type { EffectiveSchema } from './schema.ts';

/** An integer is a number (JSON Schema 2020-12 §6.1.1), so `number` covers `integer`. */
const covers = (types: string[], type: string) => types.includes(type) || (type === 'integer' && types.includes('number'));

/** `type` as a set of JSON types; absent allows every type. */
export function diffTypes(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = [base.types, head.types];
  if (!before && !after) return;
  let relation: Relation | undefined;
  if (!before) relation = 'narrowed';
  else if (!after) relation = 'widened';
  else {
    const lost = before.some((t) => !covers(after, t));
    const gained = after.some((t) => !covers(before, t));
    relation = lost && gained ? 'changed' : lost ? 'narrowed' : gained ? 'widened' : undefined;
  }
  if (relation) emitRelation(ctx, 'type', relation, `type ${before?.join(' | ') ?? 'any'} → ${after?.join(' | ') ?? 'any'}`);
}

/** Whether `null` is allowed; undefined when the schema does not limit types or values at all. */
function allowsNull(schema: EffectiveSchema): boolean | undefined {
  if (schema.types) return schema.types[0] === 'null' || Boolean(schema.nullable);
  if (schema.nullable) return true;
  if (schema.enum || schema.const !== undefined) return false;
  return undefined;
}

export function diffNullability(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = [allowsNull(base), allowsNull(head)];
  if (before === undefined || after === undefined || before === after) return;
  if (ctx.direction === 'request') {
    if (before) emit(ctx, 'breaking', 'request-field-made-non-nullable', 'no longer accepts null');
    else emit(ctx, 'non-breaking', 'request-field-made-nullable', 'now accepts null');
  } else if (after) emit(ctx, 'breaking', 'response-field-made-nullable', 'can now be null');
  else emit(ctx, 'non-breaking', 'response-field-made-non-nullable', 'is never null any more');
}
