import type { SchemaNode } from '../schema-node.ts';
import type { Change, Severity } from './change.ts';

export type { SchemaNode };

/**
 * Which way data flows through a schema decides what breaks a client: a request schema breaks
 * callers when it accepts less, a response schema when it can return more.
 */
export type Direction = 'request' | 'response';

export interface SchemaContext {
  direction: Direction;
  operation: string;
  /** `request body`, `response 200 body`, `query parameter limit`. */
  location: string;
  report(change: Change): void;
}

const typesOf = (schema: SchemaNode): Set<string> => {
  if (schema.type) return new Set([schema.type].flat());
  if (schema.const !== undefined) return new Set([schema.const === null ? 'null' : typeof schema.const]);
  return new Set();
};

const join = (location: string, segment: string) => (segment.startsWith('[') ? `${location}${segment}` : `${location} ${segment}`.trim());

function emit(ctx: SchemaContext, severity: Severity, rule: string, message: string, at = ctx.location): void {
  ctx.report({ severity, rule, operation: ctx.operation, location: at, message });
}

function diffTypes(base: SchemaNode, head: SchemaNode, ctx: SchemaContext): void {
  const before = typesOf(base);
  const after = typesOf(head);
  if (!before.size || !after.size) return;
  const added = [...after].filter((t) => !before.has(t));
  const removed = [...before].filter((t) => !after.has(t));
  if (!added.length && !removed.length) return;
  const nonNull = (list: string[]) => list.filter((t) => t !== 'null');
  const describe = `from ${[...before].join(' | ')} to ${[...after].join(' | ')}`;
  if (nonNull(added).length && nonNull(removed).length) {
    return emit(ctx, 'breaking', `${ctx.direction}-type-changed`, `type changed ${describe}`);
  }
  if (ctx.direction === 'request') {
    if (removed.includes('null')) emit(ctx, 'breaking', 'request-field-made-non-nullable', 'no longer accepts null');
    if (nonNull(removed).length) emit(ctx, 'breaking', 'request-type-narrowed', `accepts fewer types: ${describe}`);
    if (added.length) emit(ctx, 'non-breaking', 'request-type-widened', `accepts more types: ${describe}`);
  } else {
    if (added.includes('null')) emit(ctx, 'breaking', 'response-field-made-nullable', 'can now be null');
    if (nonNull(added).length) emit(ctx, 'breaking', 'response-type-widened', `can return more types: ${describe}`);
    if (removed.length) emit(ctx, 'non-breaking', 'response-type-narrowed', `returns fewer types: ${describe}`);
  }
}

function diffEnum(base: SchemaNode, head: SchemaNode, ctx: SchemaContext): void {
  if (!base.enum && !head.enum) return;
  if (!base.enum || !head.enum) {
    // An enum added narrows the values; an enum removed widens them.
    const narrowed = Boolean(head.enum);
    const breaking = ctx.direction === 'request' ? narrowed : !narrowed;
    return emit(ctx, breaking ? 'breaking' : 'non-breaking', `${ctx.direction}-enum-${narrowed ? 'added' : 'removed'}`, narrowed ? `now limited to ${JSON.stringify(head.enum)}` : 'no longer limited to a list of values');
  }
  const added = head.enum.filter((v) => !base.enum!.includes(v));
  const removed = base.enum.filter((v) => !head.enum!.includes(v));
  if (removed.length) {
    const breaking = ctx.direction === 'request';
    emit(ctx, breaking ? 'breaking' : 'non-breaking', `${ctx.direction}-enum-narrowed`, `no longer ${ctx.direction === 'request' ? 'accepts' : 'returns'} ${removed.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (added.length) {
    const breaking = ctx.direction === 'response';
    emit(ctx, breaking ? 'breaking' : 'non-breaking', `${ctx.direction}-enum-widened`, `now ${ctx.direction === 'request' ? 'accepts' : 'may return'} ${added.map((v) => JSON.stringify(v)).join(', ')}`);
  }
}

/** The values of the integer formats of the OpenAPI Format Registry (signed 32 and 64 bits). */
const integerFormatRanges: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63 - 1] };

/** An integer format that admits every value the schema's own range already allows narrows nothing. */
function formatAdmitsRange(schema: SchemaNode): boolean {
  const range = schema.format ? integerFormatRanges[schema.format] : undefined;
  return !!range && schema.minimum !== undefined && schema.maximum !== undefined && schema.minimum >= range[0] && schema.maximum <= range[1];
}

/** Tighter bounds, a new pattern or format: a request that was valid may not be any more. */
function diffConstraints(base: SchemaNode, head: SchemaNode, ctx: SchemaContext): void {
  if (base.const !== undefined && JSON.stringify(base.const) !== JSON.stringify(head.const)) {
    emit(ctx, 'breaking', `${ctx.direction}-const-changed`, `the constant changed from ${JSON.stringify(base.const)} to ${JSON.stringify(head.const)}`);
  }
  if (ctx.direction !== 'request') return;
  const tighter: string[] = [];
  const lower = (key: 'minimum' | 'minLength' | 'minItems') => head[key] !== undefined && (base[key] === undefined || head[key]! > base[key]!) && tighter.push(`${key} ${base[key] ?? 'none'} → ${head[key]}`);
  const upper = (key: 'maximum' | 'maxLength' | 'maxItems') => head[key] !== undefined && (base[key] === undefined || head[key]! < base[key]!) && tighter.push(`${key} ${base[key] ?? 'none'} → ${head[key]}`);
  lower('minimum');
  lower('minLength');
  lower('minItems');
  upper('maximum');
  upper('maxLength');
  upper('maxItems');
  if (head.pattern && head.pattern !== base.pattern) tighter.push(`pattern ${base.pattern ?? 'none'} → ${head.pattern}`);
  if (head.format && head.format !== base.format && !formatAdmitsRange(head)) tighter.push(`format ${base.format ?? 'none'} → ${head.format}`);
  if (tighter.length) emit(ctx, 'breaking', 'request-constraint-tightened', `accepts fewer values: ${tighter.join(', ')}`);
}

function diffProperties(base: SchemaNode, head: SchemaNode, ctx: SchemaContext): void {
  const before = base.properties ?? {};
  const after = head.properties ?? {};
  const requiredBefore = new Set(base.required ?? []);
  const requiredAfter = new Set(head.required ?? []);
  const closed = head.additionalProperties === false;
  for (const name of Object.keys(before)) {
    const at = join(ctx.location, name);
    if (!(name in after)) {
      if (ctx.direction === 'response') emit(ctx, 'breaking', 'response-field-removed', `field ${name} was removed`, at);
      else emit(ctx, closed ? 'breaking' : 'non-breaking', 'request-field-removed', `field ${name} was removed${closed ? '; a request that sends it is now rejected' : ''}`, at);
      continue;
    }
    if (ctx.direction === 'request' && !requiredBefore.has(name) && requiredAfter.has(name)) emit(ctx, 'breaking', 'request-field-made-required', `field ${name} is now required`, at);
    if (ctx.direction === 'response' && requiredBefore.has(name) && !requiredAfter.has(name)) emit(ctx, 'breaking', 'response-field-made-optional', `field ${name} may now be absent`, at);
    diffSchema(before[name]!, after[name]!, { ...ctx, location: at });
  }
  for (const name of Object.keys(after)) {
    if (name in before) continue;
    const at = join(ctx.location, name);
    if (ctx.direction === 'request' && requiredAfter.has(name)) emit(ctx, 'breaking', 'request-field-added-required', `new required field ${name}`, at);
    else emit(ctx, 'non-breaking', `${ctx.direction}-field-added`, `new ${ctx.direction === 'request' ? 'optional ' : ''}field ${name}`, at);
  }
}

const variantKey = (variant: SchemaNode, index: number): string => {
  const discriminator = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
  return variant.title ?? (discriminator ? `${discriminator[0]}=${JSON.stringify(discriminator[1].const)}` : undefined) ?? [variant.type ?? `#${index}`].flat().join('|');
};

function diffVariants(base: SchemaNode, head: SchemaNode, ctx: SchemaContext): void {
  const before = base.oneOf ?? base.anyOf;
  const after = head.oneOf ?? head.anyOf;
  if (!before || !after) return;
  const beforeKeys = new Map(before.map((v, i) => [variantKey(v, i), v]));
  const afterKeys = new Map(after.map((v, i) => [variantKey(v, i), v]));
  for (const [key, variant] of beforeKeys) {
    const match = afterKeys.get(key);
    if (!match) emit(ctx, ctx.direction === 'request' ? 'breaking' : 'non-breaking', `${ctx.direction}-variant-removed`, `the ${key} variant was removed`);
    else diffSchema(variant, match, { ...ctx, location: join(ctx.location, `(${key})`) });
  }
  for (const key of afterKeys.keys()) {
    if (!beforeKeys.has(key)) emit(ctx, ctx.direction === 'response' ? 'breaking' : 'non-breaking', `${ctx.direction}-variant-added`, `new ${key} variant`);
  }
}

/** Reports every difference between two versions of a schema, each classified for its direction. */
export function diffSchema(base: SchemaNode | undefined, head: SchemaNode | undefined, ctx: SchemaContext): void {
  if (!base || !head) return;
  if (base.$ref || head.$ref) return; // a recursion point, compared where it was first met
  diffTypes(base, head, ctx);
  diffEnum(base, head, ctx);
  diffConstraints(base, head, ctx);
  diffProperties(base, head, ctx);
  diffVariants(base, head, ctx);
  if (base.items && head.items) diffSchema(base.items, head.items, { ...ctx, location: join(ctx.location, '[]') });
}
