import { emit, nested, type SchemaContext } from './context.ts';
import type { EffectiveSchema, Schema } from './schema.ts';

/**
 * The properties a side of the exchange sees: a request never carries `readOnly` properties and a
 * response never `writeOnly` ones (OpenAPI 3.1 §4.8.24), so a property turning readOnly leaves the request.
 */
function visibleProperties(schema: EffectiveSchema, ctx: SchemaContext): Record<string, Schema> {
  const hidden = ctx.direction === 'request' ? 'readOnly' : 'writeOnly';
  return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([, property]) => !(typeof property === 'object' && property[hidden])));
}

/** A request object rejects properties it does not list when it is closed. */
const isClosed = (schema: EffectiveSchema) => schema.additionalProperties === false || schema.unevaluatedProperties === false;

/** `properties` and `required`: fields removed, added, made required or optional, and each field's own schema. */
export function diffProperties(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const before = visibleProperties(base, ctx);
  const after = visibleProperties(head, ctx);
  const requiredBefore = new Set(base.required ?? []);
  const requiredAfter = new Set(head.required ?? []);
  const request = ctx.direction === 'request';
  for (const name of Object.keys(before)) {
    const at = nested(ctx, name);
    if (!Object.hasOwn(after, name)) {
      if (!request) emit(at, 'breaking', 'response-field-removed', `field ${name} was removed`);
      else if (isClosed(head)) emit(at, 'breaking', 'request-field-removed', `field ${name} was removed; a request that sends it is now rejected`);
      else emit(at, 'non-breaking', 'request-field-removed', `field ${name} was removed`);
      continue;
    }
    const [wasRequired, isRequired] = [requiredBefore.has(name), requiredAfter.has(name)];
    if (request && !wasRequired && isRequired) emit(at, 'breaking', 'request-field-made-required', `field ${name} is now required`);
    if (request && wasRequired && !isRequired) emit(at, 'non-breaking', 'request-field-made-optional', `field ${name} is now optional`);
    if (!request && wasRequired && !isRequired) emit(at, 'breaking', 'response-field-made-optional', `field ${name} may now be absent`);
    if (!request && !wasRequired && isRequired) emit(at, 'non-breaking', 'response-field-made-required', `field ${name} is now always present`);
    ctx.recurse(before[name], after[name], at);
  }
  for (const name of Object.keys(after)) {
    if (Object.hasOwn(before, name)) continue;
    const at = nested(ctx, name);
    if (request && requiredAfter.has(name)) emit(at, 'breaking', 'request-field-added-required', `new required field ${name}`);
    else emit(at, 'non-breaking', `${ctx.direction}-field-added`, `new ${request ? 'optional ' : ''}field ${name}`);
  }
  // A name required without being listed under properties (a readOnly one is required in responses only).
  if (request) {
    for (const name of requiredAfter) {
      if (!requiredBefore.has(name) && !Object.hasOwn(head.properties ?? {}, name)) emit(nested(ctx, name), 'breaking', 'request-field-made-required', `field ${name} is now required`);
    }
  }
}
