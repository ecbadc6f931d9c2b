import type { Relation } from './change.ts';
import { emit, emitRelation, type SchemaContext, show, valuesAddedAndRemoved } from './context.ts';
import type { EffectiveSchema } from './schema.ts';

/* The keywords that limit a value itself (JSON Schema 2020-12 validation §6): bounds, lengths, counts, pattern, format, enum/const, default, content. */

interface Bound {
  value: number;
  exclusive: boolean;
}

/**
 * The tighter of `minimum` and `exclusiveMinimum` (or the maximum pair). For integers an exclusive
 * bound is the inclusive one next to it, so `exclusiveMinimum: 0` and `minimum: 1` are the same.
 */
function boundOf(schema: EffectiveSchema, side: 'lower' | 'upper'): Bound | undefined {
  const inclusive = side === 'lower' ? schema.minimum : schema.maximum;
  const exclusive = side === 'lower' ? schema.exclusiveMinimum : schema.exclusiveMaximum;
  const integer = schema.types?.length === 1 && schema.types[0] === 'integer';
  const step = side === 'lower' ? 1 : -1;
  const candidates: Bound[] = [];
  if (inclusive !== undefined) candidates.push(integer ? { value: side === 'lower' ? Math.ceil(inclusive) : Math.floor(inclusive), exclusive: false } : { value: inclusive, exclusive: false });
  if (exclusive !== undefined) {
    candidates.push(integer ? { value: (side === 'lower' ? Math.floor(exclusive) : Math.ceil(exclusive)) + step, exclusive: false } : { value: exclusive, exclusive: true });
  }
  // The tighter bound: further in, or as far and exclusive.
  return candidates.sort((a, b) => step * (b.value - a.value) || Number(b.exclusive) - Number(a.exclusive))[0];
}

const describeBound = (bound: Bound | undefined, side: 'lower' | 'upper') =>
  bound ? `${side === 'lower' ? '>' : '<'}${bound.exclusive ? '' : '='} ${bound.value}` : 'none';

function diffBound(base: EffectiveSchema, head: EffectiveSchema, side: 'lower' | 'upper', ctx: SchemaContext): void {
  const before = boundOf(base, side);
  const after = boundOf(head, side);
  if (before?.value === after?.value && before?.exclusive === after?.exclusive) return;
  const inward = side === 'lower' ? 1 : -1;
  const narrowed = !before || (after !== undefined && (inward * (after.value - before.value) > 0 || (after.value === before.value && after.exclusive)));
  emitRelation(ctx, `${side}-bound`, narrowed ? 'narrowed' : 'widened', `${side} bound ${describeBound(before, side)} → ${describeBound(after, side)}`);
}

type CountKey = 'minLength' | 'maxLength' | 'minItems' | 'maxItems' | 'minProperties' | 'maxProperties' | 'minContains' | 'maxContains';
const counts: Array<[CountKey, string, 'lower' | 'upper']> = [
  ['minLength', 'min-length', 'lower'],
  ['maxLength', 'max-length', 'upper'],
  ['minItems', 'min-items', 'lower'],
  ['maxItems', 'max-items', 'upper'],
  ['minProperties', 'min-properties', 'lower'],
  ['maxProperties', 'max-properties', 'upper'],
  ['minContains', 'min-contains', 'lower'],
  ['maxContains', 'max-contains', 'upper'],
];

function diffCount(base: EffectiveSchema, head: EffectiveSchema, [key, aspect, side]: (typeof counts)[number], ctx: SchemaContext): void {
  const none = side === 'lower' ? 0 : Number.POSITIVE_INFINITY;
  const before = base[key] ?? none;
  const after = head[key] ?? none;
  if (before === after) return;
  const narrowed = side === 'lower' ? after > before : after < before;
  emitRelation(ctx, aspect, narrowed ? 'narrowed' : 'widened', `${key} ${base[key] ?? 'none'} → ${head[key] ?? 'none'}`);
}

const isMultiple = (value: number, of: number) => Math.abs(value / of - Math.round(value / of)) < 1e-9;

function diffMultipleOf(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = [base.multipleOf, head.multipleOf];
  if (before === after) return;
  let relation: Relation;
  if (before === undefined) relation = 'narrowed';
  else if (after === undefined) relation = 'widened';
  else relation = isMultiple(after, before) ? 'narrowed' : isMultiple(before, after) ? 'widened' : 'changed';
  emitRelation(ctx, 'multiple-of', relation, `multipleOf ${before ?? 'none'} → ${after ?? 'none'}`);
}

/** The values of the integer formats of the OpenAPI Format Registry (signed 32 and 64 bits). */
const integerFormatRanges: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63 - 1] };

/**
 * The format as a limit on values: an integer format that admits every value the schema's own
 * range already allows (`limit` 1-100 as `int32`) limits nothing, so adding or removing it is no change.
 */
function limitingFormat(schema: EffectiveSchema): string | undefined {
  const range = schema.format ? integerFormatRanges[schema.format] : undefined;
  const [lower, upper] = [boundOf(schema, 'lower'), boundOf(schema, 'upper')];
  if (range && lower && upper && lower.value >= range[0] && upper.value <= range[1]) return undefined;
  return schema.format;
}

/** A keyword that narrows when added, widens when removed, and is incomparable when changed: `pattern`, `format`. */
function diffRestriction(aspect: string, key: 'pattern' | 'format', base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const [before, after] = key === 'format' ? [limitingFormat(base), limitingFormat(head)] : [base[key], head[key]];
  if (before === after) return;
  const ranges = [integerFormatRanges[before ?? ''], integerFormatRanges[after ?? '']];
  // int32 → int64 admits more integers; the other way fewer.
  const integerWidth = ranges[0] && ranges[1] ? (ranges[1][1] > ranges[0][1] ? 'widened' : 'narrowed') : undefined;
  const relation: Relation = before === undefined ? 'narrowed' : after === undefined ? 'widened' : (integerWidth ?? 'changed');
  emitRelation(ctx, aspect, relation, `${key} ${before ?? 'none'} → ${after ?? 'none'}`);
}

function diffUniqueItems(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  if (Boolean(base.uniqueItems) === Boolean(head.uniqueItems)) return;
  emitRelation(ctx, 'unique-items', head.uniqueItems ? 'narrowed' : 'widened', head.uniqueItems ? 'items must now be unique' : 'items may now repeat');
}

/** `const: x` allows what `enum: [x]` allows; either is a list of the only values allowed. */
const allowedValues = (schema: EffectiveSchema) => (schema.const !== undefined ? [schema.const] : schema.enum);

function diffAllowedValues(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const before = allowedValues(base);
  const after = allowedValues(head);
  if (!before && !after) return;
  const aspect = base.const !== undefined || head.const !== undefined ? 'const' : 'enum';
  if (!before || !after) {
    const narrowed = Boolean(after);
    return emitRelation(ctx, aspect, narrowed ? 'narrowed' : 'widened', narrowed ? `now limited to ${after!.map(show).join(', ')}` : 'no longer limited to a list of values');
  }
  const { added, removed } = valuesAddedAndRemoved(before, after);
  if (!added.length && !removed.length) return;
  const relation: Relation = added.length && removed.length ? 'changed' : removed.length ? 'narrowed' : 'widened';
  const verb = ctx.direction === 'request' ? ['accepts', 'no longer accepts'] : ['may return', 'no longer returns'];
  const parts = [added.length ? `now ${verb[0]} ${added.map(show).join(', ')}` : '', removed.length ? `${verb[1]} ${removed.map(show).join(', ')}` : ''].filter(Boolean);
  emitRelation(ctx, aspect, relation, parts.join('; '));
}

/**
 * `x-extensible-enum` lists the values known today and promises more, so a response may add or
 * drop values freely; a request that no longer accepts a value breaks callers that send it.
 */
function diffExtensibleEnum(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const { added, removed } = valuesAddedAndRemoved(base['x-extensible-enum'] ?? [], head['x-extensible-enum'] ?? []);
  if (!added.length && !removed.length) return;
  const message = [added.length ? `known values added: ${added.map(show).join(', ')}` : '', removed.length ? `known values removed: ${removed.map(show).join(', ')}` : ''].filter(Boolean).join('; ');
  if (ctx.direction === 'response') return emit(ctx, 'non-breaking', 'response-extensible-enum-changed', message);
  if (removed.length) emit(ctx, 'breaking', 'request-extensible-enum-narrowed', message);
  else emit(ctx, 'non-breaking', 'request-extensible-enum-widened', message);
}

/**
 * A changed `default` changes what the server does for a caller that leaves the value out, so it
 * breaks requests. A parameter's default added or removed changes the behaviour of every call that
 * omits the parameter, so it breaks too; on a body field it documents a behaviour and breaks no one.
 * In a response a default is only documentation.
 */
function diffDefault(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  if (show(base.default) === show(head.default)) return;
  const message = `default ${show(base.default) ?? 'none'} → ${show(head.default) ?? 'none'}`;
  if (ctx.direction === 'response') return emit(ctx, 'non-breaking', 'response-default-changed', message);
  if (ctx.parameter && (base.default === undefined || head.default === undefined)) {
    return emit(ctx, 'breaking', base.default === undefined ? 'parameter-default-added' : 'parameter-default-removed', `${message}: callers that leave the parameter out get another behaviour`);
  }
  if (base.default === undefined) return emit(ctx, 'non-breaking', 'request-default-added', message);
  if (head.default === undefined) return emit(ctx, 'non-breaking', 'request-default-removed', message);
  emit(ctx, 'breaking', 'request-default-changed', message);
}

/** `contentMediaType`/`contentEncoding` say how a string is encoded: any change is a different wire format. */
function diffContentEncoding(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  for (const [key, aspect] of [['contentMediaType', 'content-media-type'], ['contentEncoding', 'content-encoding']] as const) {
    if (base[key] !== head[key]) emitRelation(ctx, aspect, 'changed', `${key} ${base[key] ?? 'none'} → ${head[key] ?? 'none'}`);
  }
}

function diffDependentRequired(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const pairs = (schema: EffectiveSchema) => Object.entries(schema.dependentRequired ?? {}).flatMap(([name, list]) => list.map((other) => `${name} → ${other}`));
  const { added, removed } = valuesAddedAndRemoved(pairs(base), pairs(head));
  if (!added.length && !removed.length) return;
  const relation: Relation = added.length && removed.length ? 'changed' : added.length ? 'narrowed' : 'widened';
  const parts = [added.length ? `now requires ${added.join(', ')}` : '', removed.length ? `no longer requires ${removed.join(', ')}` : ''].filter(Boolean);
  emitRelation(ctx, 'dependent-required', relation, `dependentRequired: ${parts.join('; ')}`);
}

/** Every keyword that limits a value itself, compared for the context's direction. */
export function diffValueKeywords(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  diffBound(base, head, 'lower', ctx);
  diffBound(base, head, 'upper', ctx);
  diffMultipleOf(base, head, ctx);
  for (const count of counts) diffCount(base, head, count, ctx);
  diffRestriction('pattern', 'pattern', base, head, ctx);
  diffRestriction('format', 'format', base, head, ctx);
  diffUniqueItems(base, head, ctx);
  diffAllowedValues(base, head, ctx);
  diffExtensibleEnum(base, head, ctx);
  diffDefault(base, head, ctx);
  diffContentEncoding(base, head, ctx);
  diffDependentRequired(base, head, ctx);
}
