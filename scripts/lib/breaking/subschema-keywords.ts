import type { Relation } from './change.ts';
import { canonical, emit, emitRelation, nested, type SchemaContext, show } from './context.ts';
import type { EffectiveSchema, Schema } from './schema.ts';

/* The keywords that apply a schema to parts of a value (JSON Schema 2020-12 applicators §10): items, maps, conditionals. */

/** Keywords that only annotate: a subschema made of these alone allows anything. */
const annotations = new Set(['title', 'description', 'examples', 'example', 'default', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'externalDocs', 'xml']);

type Slot = Schema | boolean | undefined;

/** What a subschema allows: anything (absent, `true`, `{}`), nothing (`false`), or some values. */
function formOf(slot: Slot): 'any' | 'none' | 'some' {
  if (slot === undefined || slot === true) return 'any';
  if (slot === false) return 'none';
  const keys = Object.keys(slot).filter((key) => !annotations.has(key) && !key.startsWith('x-'));
  if (!keys.length) return 'any';
  if (keys.length === 1 && keys[0] === 'not' && slot.not && formOf(slot.not) === 'any') return 'none';
  return 'some';
}

const describe = { any: 'anything', none: 'nothing', some: 'a schema' } as const;

/**
 * A subschema slot such as `additionalProperties` or `items`: from anything to some values or to
 * nothing narrows, the other way widens, and two schemas are compared keyword by keyword.
 */
function diffSlot(aspect: string, keyword: string, base: Slot, head: Slot, ctx: SchemaContext, segment = keyword): void {
  const [before, after] = [formOf(base), formOf(head)];
  if (before === 'some' && after === 'some') return ctx.recurse(base, head, nested(ctx, segment));
  if (before === after) return;
  const rank = { any: 2, some: 1, none: 0 } as const;
  const relation: Relation = rank[after] < rank[before] ? 'narrowed' : 'widened';
  emitRelation(ctx, aspect, relation, `${keyword} allowed ${describe[before]}, now ${describe[after]}`);
}

/**
 * `additionalProperties`/`unevaluatedProperties`. A response object that was closed (`false`) and
 * opens only allows new fields, which responses may always add; a map whose values loosen breaks.
 */
function diffExtraProperties(keyword: 'additionalProperties' | 'unevaluatedProperties', aspect: string, base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = [base[keyword], head[keyword]];
  if (ctx.direction === 'response' && before === false && formOf(after) !== 'none') {
    return emit(ctx, 'non-breaking', `response-${aspect}-opened`, `${keyword} was false: the object may now have fields it does not list`);
  }
  diffSlot(aspect, keyword, before, after, ctx);
}

/** Named subschemas (`patternProperties`, `dependentSchemas`), each compared as a slot of its own. */
function diffNamedSlots(aspect: string, keyword: 'patternProperties' | 'dependentSchemas', base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = [base[keyword] ?? {}, head[keyword] ?? {}];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    diffSlot(aspect, `${keyword}[${show(name)}]`, before[name], after[name], ctx);
  }
}

/** `prefixItems`: each position is its own slot. */
function diffPrefixItems(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = [base.prefixItems ?? [], head.prefixItems ?? []];
  for (let i = 0; i < Math.max(before.length, after.length); i++) diffSlot('prefix-items', `prefixItems[${i}]`, before[i], after[i], ctx);
}

/** `if`/`then`/`else`: a different condition is incomparable; `then` and `else` are slots. */
function diffConditional(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  if (base.if !== undefined && head.if !== undefined && canonical(base.if) !== canonical(head.if)) {
    return emitRelation(ctx, 'conditional', 'changed', `the if condition changed from ${show(base.if)} to ${show(head.if)}`);
  }
  diffSlot('conditional', 'then', base.if === undefined ? undefined : base.then, head.if === undefined ? undefined : head.then, ctx);
  diffSlot('conditional', 'else', base.if === undefined ? undefined : base.else, head.if === undefined ? undefined : head.else, ctx);
}

/** `not` inverts: any change to what it excludes is reported as incomparable, added narrows, removed widens. */
function diffNot(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = [formOf(base.not) === 'any' ? undefined : base.not, formOf(head.not) === 'any' ? undefined : head.not];
  if (canonical(before) === canonical(after)) return;
  const relation: Relation = before === undefined ? 'narrowed' : after === undefined ? 'widened' : 'changed';
  emitRelation(ctx, 'not', relation, `not ${show(before) ?? 'none'} → ${show(after) ?? 'none'}`);
}

/** Every applicator keyword other than properties and oneOf/anyOf. */
export function diffSubschemaKeywords(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  diffExtraProperties('additionalProperties', 'additional-properties', base, head, ctx);
  diffExtraProperties('unevaluatedProperties', 'unevaluated-properties', base, head, ctx);
  diffNamedSlots('pattern-properties', 'patternProperties', base, head, ctx);
  diffSlot('property-names', 'propertyNames', base.propertyNames, head.propertyNames, ctx);
  diffNamedSlots('dependent-schemas', 'dependentSchemas', base, head, ctx);
  diffConditional(base, head, ctx);
  diffNot(base, head, ctx);
  diffPrefixItems(base, head, ctx);
  diffSlot('items', 'items', base.items, head.items, ctx, '[]');
  diffSlot('contains', 'contains', base.contains, head.contains, ctx);
  diffSlot('unevaluated-items', 'unevaluatedItems', base.unevaluatedItems, head.unevaluatedItems, ctx);
}
