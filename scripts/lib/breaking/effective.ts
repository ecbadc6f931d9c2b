import { refTarget } from './deref.ts';
import type { EffectiveSchema, Schema } from './schema.ts';

/**
 * The schema a validator effectively applies, so that two spellings of the same shape compare
 * equal: `allOf` members merged into one schema (JSON Schema 2020-12 §10.2.1.1: an instance must
 * match every member), and nullability read from `type: [T, 'null']`, from `enum` holding `null`,
 * and from a `oneOf`/`anyOf` whose only other branch is `{type: 'null'}`.
 * Nested schemas are left as written; each is made effective when the comparison reaches it.
 */
export function effectiveSchema(schema: Schema | boolean | undefined): EffectiveSchema {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return { not: {} };
  const { allOf, type, nullable: _openapi30Only, ...rest } = schema;
  let node: EffectiveSchema = { ...rest, ...typesOf(type) };
  if (node.enum || node.const !== undefined) {
    // null named by the type, the enum or the const makes the value nullable, as generated clients
    // read it (`'a' | 'b' | null`), even where a strict validator would still reject it.
    node.nullable = Boolean(node.nullable) || Boolean(node.enum?.includes(null)) || node.const === null;
    if (node.enum) node.enum = node.enum.filter((value) => value !== null);
  }
  node = unwrapNullBranch(node);
  for (const member of allOf ?? []) node = mergeSchemas(node, effectiveSchema(member));
  if (schema[refTarget]) node[refTarget] = schema[refTarget];
  return node;
}

function typesOf(type: Schema['type']): Pick<EffectiveSchema, 'types' | 'nullable'> {
  if (type === undefined) return {};
  const all = [type].flat();
  const types = all.filter((t) => t !== 'null').sort();
  // A schema whose only type is null keeps it as its type.
  if (!types.length) return { types: ['null'], nullable: false };
  return { types, nullable: all.includes('null') };
}

const isNullBranch = (branch: Schema) => {
  const types = [branch.type ?? []].flat();
  return (types.length === 1 && types[0] === 'null') || branch.const === null || (branch.enum?.length === 1 && branch.enum[0] === null);
};

function unwrapNullBranch(node: EffectiveSchema): EffectiveSchema {
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = node[keyword];
    if (!branches || !branches.some(isNullBranch)) continue;
    const others = branches.filter((branch) => !isNullBranch(branch));
    const { [keyword]: _, ...siblings } = node;
    if (others.length !== 1) return { ...siblings, [keyword]: others, nullable: true };
    const merged = mergeSchemas(siblings, effectiveSchema(others[0]));
    return { ...merged, nullable: true };
  }
  return node;
}

const lowerKeys = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains'] as const;
const upperKeys = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains'] as const;
const subschemaKeys = ['items', 'contains', 'propertyNames', 'not', 'if', 'then', 'else'] as const;
const closableKeys = ['additionalProperties', 'unevaluatedProperties', 'unevaluatedItems'] as const;

const both = (a: Schema, b: Schema): Schema => ({ allOf: [a, b] });

function intersectTypes(a: string[], b: string[]): string[] {
  const out = a.filter((t) => b.includes(t));
  // integer values are numbers: integer ∩ number is integer.
  if (a.includes('integer') && b.includes('number') && !out.includes('integer')) out.push('integer');
  if (b.includes('integer') && a.includes('number') && !out.includes('integer')) out.push('integer');
  return out.sort();
}

/** Both schemas at once, as `allOf: [a, b]` requires; keywords of one side only are kept. */
function mergeSchemas(a: EffectiveSchema, b: EffectiveSchema): EffectiveSchema {
  const out: EffectiveSchema = { ...b, ...a };
  // The merged node is not the member a $ref named; only the node's own reference identifies it.
  if (a[refTarget]) out[refTarget] = a[refTarget];
  else delete out[refTarget];
  if (a.types && b.types) out.types = intersectTypes(a.types, b.types);
  else if (b.types) out.types = b.types;
  // Undefined nullability allows null; both members must allow it.
  if (a.nullable !== undefined || b.nullable !== undefined) out.nullable = (a.nullable ?? true) && (b.nullable ?? true);
  for (const key of lowerKeys) if (a[key] !== undefined && b[key] !== undefined) out[key] = Math.max(a[key], b[key]);
  for (const key of upperKeys) if (a[key] !== undefined && b[key] !== undefined) out[key] = Math.min(a[key], b[key]);
  if (a.enum && b.enum) out.enum = a.enum.filter((value) => b.enum!.some((other) => JSON.stringify(other) === JSON.stringify(value)));
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.uniqueItems || b.uniqueItems) out.uniqueItems = true;
  if (a.multipleOf !== undefined && b.multipleOf !== undefined) out.multipleOf = Math.max(a.multipleOf, b.multipleOf);
  for (const key of subschemaKeys) if (a[key] !== undefined && b[key] !== undefined) out[key] = both(a[key] as Schema, b[key] as Schema);
  for (const key of closableKeys) {
    const merged = mergeClosable(a[key], b[key]);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  for (const key of ['properties', 'patternProperties', 'dependentSchemas'] as const) {
    if (!a[key] || !b[key]) continue;
    const merged: Record<string, Schema> = { ...b[key] };
    for (const [name, schema] of Object.entries(a[key])) merged[name] = merged[name] ? both(schema, merged[name]) : schema;
    out[key] = merged;
  }
  if (a.dependentRequired && b.dependentRequired) {
    const merged: Record<string, string[]> = { ...b.dependentRequired };
    for (const [name, list] of Object.entries(a.dependentRequired)) merged[name] = [...new Set([...(merged[name] ?? []), ...list])];
    out.dependentRequired = merged;
  }
  return out;
}

/** `false` allows nothing, a schema some values, absent or `true` anything: the stricter wins. */
function mergeClosable(a: Schema | boolean | undefined, b: Schema | boolean | undefined): Schema | boolean | undefined {
  if (a === false || b === false) return false;
  if (a === undefined || a === true) return b;
  if (b === undefined || b === true) return a;
  return both(a, b);
}

/** An effective schema written back as a plain schema, with `type` holding `null` when nullable. */
export function asSchema(node: EffectiveSchema): Schema {
  const { types, nullable, ...rest } = node;
  return types ? { ...rest, type: nullable && types[0] !== 'null' ? [...types, 'null'] : types } : rest;
}
