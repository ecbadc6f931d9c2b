import fc from 'fast-check';
import type { Operation, RequestValues, Resolve, Schema } from '../../scripts/lib/spec-requests.ts';

/** Strings that survive a URL and a JSON body alike: printable ASCII, short. */
const text = (minLength = 0, maxLength = 16) => fc.string({ unit: 'grapheme-ascii', minLength, maxLength: Math.max(minLength, maxLength) });

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') {
    return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= (schema.minLength ?? 0));
  return text(schema.minLength ?? 0, schema.maxLength ?? 16);
}

function objectArbitrary(schema: Schema, resolve: Resolve, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) {
    // A free-form map such as `metadata`.
    return fc.dictionary(text(1, 8), fc.oneof(text(), fc.integer(), fc.boolean()), { maxKeys: 3 });
  }
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, arbitraryFor(property, resolve, depth + 1)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
}

/**
 * Values valid against a schema, for the subset of JSON Schema the spec uses: `$ref`, type arrays,
 * `enum`, `const`, `oneOf`/`anyOf`, `allOf` of objects, string formats and patterns, number ranges,
 * arrays and objects with their required properties.
 */
export function arbitraryFor(node: Schema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve<Schema>(node);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf ?? schema.anyOf) return fc.oneof(...(schema.oneOf ?? schema.anyOf)!.map((s) => arbitraryFor(s, resolve, depth + 1)));
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => resolve<Schema>(s));
    const merged: Schema = {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
      additionalProperties: false,
    };
    return objectArbitrary(merged, resolve, depth);
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['object'];
  return fc.oneof(...types.map((type) => arbitraryForType(type, schema, resolve, depth)));
}

function arbitraryForType(type: string, schema: Schema, resolve: Resolve, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return fc.array(arbitraryFor(schema.items ?? {}, resolve, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, depth > 3 ? 1 : 3),
      });
    case 'object':
      return objectArbitrary(schema, resolve, depth);
    default:
      throw new Error(`No arbitrary for schema type ${type}: teach test/support/schema-arbitrary.ts about it`);
  }
}

/** One value of an arbitrary, the same on every run. */
export function sampleOf<T>(arbitrary: fc.Arbitrary<T>, seed = 1): T {
  return fc.sample(arbitrary, { numRuns: 1, seed })[0]!;
}

/**
 * Ids that look like the API's (`run_Rm4…`): URL-safe, never `.` or `..`, which a URL would normalise
 * away. A path id whose schema has a prefix pattern (`^run_.`) gets that prefix.
 */
function idArbitrary(schema: Schema): fc.Arbitrary<string> {
  const prefix = schema.pattern && /^\^([A-Za-z0-9]+_)/.exec(schema.pattern)?.[1];
  const ids = prefix ? fc.stringMatching(/^[A-Za-z0-9]{1,20}$/).map((rest) => `${prefix}${rest}`) : fc.stringMatching(/^[a-z]{2,4}_[A-Za-z0-9]{1,20}$/);
  return schema.pattern ? ids.filter((id) => new RegExp(schema.pattern!).test(id)) : ids;
}

/** Valid requests for an operation: path ids, any subset of its query parameters, and a body when it takes one. */
export function requestArbitrary(operation: Operation, resolve: Resolve): fc.Arbitrary<RequestValues> {
  const path = Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, idArbitrary(resolve<Schema>(p.schema))]));
  const query = Object.fromEntries(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, arbitraryFor(p.schema, resolve)]));
  return fc.record({
    path: fc.record(path),
    query: fc.record(query, { requiredKeys: operation.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name) }),
    ...(operation.body ? { body: arbitraryFor(operation.body.schema, resolve) } : {}),
  }) as fc.Arbitrary<RequestValues>;
}

